package dev.keel.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.keel.registry.card.CardText.orEmpty;

/**
 * A model card's sections, in the order and with the tables every rendering shows them: one
 * walk over the card, so the Markdown and the HTML page can never disagree on what a card
 * holds. A format says only how a heading, a table, a list or a remark is written.
 */
abstract sealed class CardWriter permits ModelCardMarkdown, ModelCardHtml {
    private static final String NOT_WRITTEN = "Not written yet.";

    final StringBuilder out = new StringBuilder();

    /** The card's title, its status line and, when some are missing, the sections still to write (else null). */
    abstract void header(String title, String status, String missing);

    /** A top-level section's heading. */
    abstract void section(String title);

    abstract void subsection(String title);

    /** A paragraph of what the author wrote. */
    abstract void text(String value);

    /** A note in place of what is not there, such as "Not written yet.". */
    abstract void remark(String sentence);

    abstract void list(List<String> items);

    abstract void table(List<String> header, List<List<String>> rows);

    /** A table of named fields, one per row: the name, then its value. */
    abstract void fields(List<List<String>> rows);

    abstract void files(List<ManifestFile> files);

    /** The metric results as a table, with a slice column for sliced results. */
    abstract void metrics(List<MetricResult> results, boolean withSlice);

    /** What ends the document. */
    abstract void footer();

    final String written(ModelCard card) {
        header(CardText.title(card), CardText.status(card),
                card.missingSections().isEmpty() ? null : CardText.missing(card));

        ModelDetails details = card.modelDetails();
        section("Model details");
        if (details.overview() == null || details.overview().isBlank()) {
            remark(NOT_WRITTEN);
        } else {
            text(details.overview());
        }
        fields(List.of(
                List.of("Name", orEmpty(details.name())),
                List.of("Version", Long.toString(details.version())),
                List.of("Owners", CardText.owners(details.owners())),
                List.of("Risk tier", details.riskTier() == null ? "" : details.riskTier().name().toLowerCase(Locale.ROOT)),
                List.of("License", orEmpty(details.license()))));
        if (!details.references().isEmpty()) {
            subsection("References");
            list(details.references());
        }
        if (!details.tags().isEmpty()) {
            subsection("Tags");
            table(List.of("Tag", "Value"), rows(details.tags()));
        }

        ModelParameters parameters = card.modelParameters();
        section("Model parameters");
        fields(List.of(
                List.of("Architecture", orEmpty(parameters.architecture())),
                List.of("Flavor", orEmpty(parameters.flavor())),
                List.of("Model file", orEmpty(parameters.modelFile()))));
        subsection("Signature");
        Signature signature = parameters.signature();
        if (signature == null) {
            remark("No signature could be read from the model.");
        } else {
            table(List.of("Direction", "Name", "Type", "Shape"), signatureRows(signature));
        }
        if (!parameters.hyperparameters().isEmpty()) {
            subsection("Hyperparameters");
            table(List.of("Parameter", "Value"), rows(parameters.hyperparameters()));
        }
        if (!parameters.files().isEmpty()) {
            subsection("Files");
            files(parameters.files());
        }

        IntendedUse use = card.intendedUse();
        section("Intended use");
        subsection("Primary uses");
        listOrNone(use.primaryUses());
        if (!use.primaryUsers().isEmpty()) {
            subsection("Primary users");
            list(use.primaryUsers());
        }
        subsection("Out-of-scope uses");
        listOrNone(use.outOfScopeUses());

        section("Factors");
        tableOrNone(List.of("Factor", "Description"),
                card.factors().stream().map(f -> List.of(f.name(), orEmpty(f.description()))).toList());

        section("Metrics");
        List<MetricResult> overall = card.metrics().stream().filter(r -> !r.sliced()).toList();
        List<MetricResult> sliced = card.metrics().stream().filter(MetricResult::sliced).toList();
        if (card.metrics().isEmpty()) {
            remark(NOT_WRITTEN);
        }
        if (!overall.isEmpty()) {
            subsection("Overall");
            metrics(overall, false);
        }
        subsection("By slice");
        if (sliced.isEmpty()) {
            remark(NOT_WRITTEN);
        } else {
            metrics(sliced, true);
        }

        section("Training data");
        data(card.trainingData());
        section("Evaluation data");
        data(card.evaluationData());

        section("Ethical considerations");
        tableOrNone(List.of("Consideration", "Mitigation"), card.ethicalConsiderations().stream()
                .map(e -> List.of(e.name(), orEmpty(e.mitigation()))).toList());

        section("Caveats and recommendations");
        if (card.caveats().isEmpty() && card.recommendations().isEmpty()) {
            remark(NOT_WRITTEN);
        }
        if (!card.caveats().isEmpty()) {
            subsection("Caveats");
            list(card.caveats());
        }
        if (!card.recommendations().isEmpty()) {
            subsection("Recommendations");
            list(card.recommendations());
        }
        footer();
        return out.toString();
    }

    private static List<List<String>> signatureRows(Signature signature) {
        List<List<String>> rows = new ArrayList<>();
        for (TensorSpec input : signature.inputs()) {
            rows.add(List.of("input", input.name(), input.type(), CardText.shape(input)));
        }
        for (TensorSpec output : signature.outputs()) {
            rows.add(List.of("output", output.name(), output.type(), CardText.shape(output)));
        }
        return rows;
    }

    private void data(List<DataReference> references) {
        tableOrNone(List.of("Name", "Digest", "Context", "Source", "Description"), references.stream().map(d -> List.of(
                d.name(), orEmpty(d.digest()), orEmpty(d.context()), orEmpty(d.source()), orEmpty(d.description()))).toList());
    }

    private static List<List<String>> rows(Map<String, String> values) {
        return values.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
    }

    private void listOrNone(List<String> items) {
        if (items.isEmpty()) {
            remark(NOT_WRITTEN);
        } else {
            list(items);
        }
    }

    private void tableOrNone(List<String> header, List<List<String>> rows) {
        if (rows.isEmpty()) {
            remark(NOT_WRITTEN);
        } else {
            table(header, rows);
        }
    }
}
