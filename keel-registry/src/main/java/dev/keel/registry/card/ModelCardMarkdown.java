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
import java.util.Map;

import static dev.keel.registry.card.CardText.orEmpty;

/**
 * A model card as Markdown (CommonMark with GitHub's tables): one heading per section, metrics,
 * slices, the signature, data sets and files as tables. Text is escaped so that what an author
 * wrote shows as written: no raw HTML gets through, and a '|' cannot break a table.
 */
public final class ModelCardMarkdown {
    private static final String NOT_WRITTEN = "_Not written yet._";

    private final StringBuilder out = new StringBuilder();

    private ModelCardMarkdown() {
    }

    public static String render(ModelCard card) {
        ModelCardMarkdown markdown = new ModelCardMarkdown();
        markdown.write(card);
        return markdown.out.toString();
    }

    private void write(ModelCard card) {
        heading(1, CardText.title(card));
        paragraph("_" + text(CardText.status(card)) + "_");
        if (!card.missingSections().isEmpty()) {
            paragraph("**" + text(CardText.missing(card)) + "**");
        }

        ModelDetails details = card.modelDetails();
        heading(2, "Model details");
        paragraph(details.overview() == null || details.overview().isBlank() ? NOT_WRITTEN : text(details.overview()));
        table(List.of("Field", "Value"), List.of(
                List.of("Name", orEmpty(details.name())),
                List.of("Version", Long.toString(details.version())),
                List.of("Owners", CardText.owners(details.owners())),
                List.of("Risk tier", details.riskTier() == null ? "" : details.riskTier().name().toLowerCase(java.util.Locale.ROOT)),
                List.of("License", orEmpty(details.license()))));
        if (!details.references().isEmpty()) {
            heading(3, "References");
            list(details.references());
        }
        if (!details.tags().isEmpty()) {
            heading(3, "Tags");
            table(List.of("Tag", "Value"), rows(details.tags()));
        }

        ModelParameters parameters = card.modelParameters();
        heading(2, "Model parameters");
        table(List.of("Field", "Value"), List.of(
                List.of("Architecture", orEmpty(parameters.architecture())),
                List.of("Flavor", orEmpty(parameters.flavor())),
                List.of("Model file", orEmpty(parameters.modelFile()))));
        heading(3, "Signature");
        Signature signature = parameters.signature();
        if (signature == null) {
            paragraph("_No signature could be read from the model._");
        } else {
            table(List.of("Direction", "Name", "Type", "Shape"), signatureRows(signature));
        }
        if (!parameters.hyperparameters().isEmpty()) {
            heading(3, "Hyperparameters");
            table(List.of("Parameter", "Value"), rows(parameters.hyperparameters()));
        }
        if (!parameters.files().isEmpty()) {
            heading(3, "Files");
            List<List<String>> files = new ArrayList<>();
            for (ManifestFile file : parameters.files()) {
                files.add(List.of(file.path(), file.sha256(), Long.toString(file.size())));
            }
            table(List.of("Path", "SHA-256", "Bytes"), files);
        }

        IntendedUse use = card.intendedUse();
        heading(2, "Intended use");
        heading(3, "Primary uses");
        listOrNone(use.primaryUses());
        if (!use.primaryUsers().isEmpty()) {
            heading(3, "Primary users");
            list(use.primaryUsers());
        }
        heading(3, "Out-of-scope uses");
        listOrNone(use.outOfScopeUses());

        heading(2, "Factors");
        if (card.factors().isEmpty()) {
            paragraph(NOT_WRITTEN);
        } else {
            table(List.of("Factor", "Description"),
                    card.factors().stream().map(f -> List.of(f.name(), orEmpty(f.description()))).toList());
        }

        heading(2, "Metrics");
        List<MetricResult> overall = card.metrics().stream().filter(r -> !r.sliced()).toList();
        List<MetricResult> sliced = card.metrics().stream().filter(MetricResult::sliced).toList();
        if (card.metrics().isEmpty()) {
            paragraph(NOT_WRITTEN);
        }
        if (!overall.isEmpty()) {
            heading(3, "Overall");
            table(List.of("Metric", "Value", "Threshold", "Met"), overall.stream().map(r -> List.of(r.metric(),
                    CardText.number(r.value()), CardText.threshold(r.threshold()), CardText.met(r))).toList());
        }
        heading(3, "By slice");
        if (sliced.isEmpty()) {
            paragraph(NOT_WRITTEN);
        } else {
            table(List.of("Metric", "Slice", "Value", "Threshold", "Met"), sliced.stream().map(r -> List.of(r.metric(),
                    r.slice(), CardText.number(r.value()), CardText.threshold(r.threshold()), CardText.met(r))).toList());
        }

        heading(2, "Training data");
        data(card.trainingData());
        heading(2, "Evaluation data");
        data(card.evaluationData());

        heading(2, "Ethical considerations");
        if (card.ethicalConsiderations().isEmpty()) {
            paragraph(NOT_WRITTEN);
        } else {
            table(List.of("Consideration", "Mitigation"), card.ethicalConsiderations().stream()
                    .map(e -> List.of(e.name(), orEmpty(e.mitigation()))).toList());
        }

        heading(2, "Caveats and recommendations");
        if (card.caveats().isEmpty() && card.recommendations().isEmpty()) {
            paragraph(NOT_WRITTEN);
        }
        if (!card.caveats().isEmpty()) {
            heading(3, "Caveats");
            list(card.caveats());
        }
        if (!card.recommendations().isEmpty()) {
            heading(3, "Recommendations");
            list(card.recommendations());
        }
    }

    static List<List<String>> signatureRows(Signature signature) {
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
        if (references.isEmpty()) {
            paragraph(NOT_WRITTEN);
            return;
        }
        table(List.of("Name", "Digest", "Context", "Source", "Description"), references.stream().map(d -> List.of(
                d.name(), orEmpty(d.digest()), orEmpty(d.context()), orEmpty(d.source()), orEmpty(d.description()))).toList());
    }

    private static List<List<String>> rows(Map<String, String> values) {
        return values.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
    }

    private void heading(int level, String title) {
        out.append("#".repeat(level)).append(' ').append(text(title)).append("\n\n");
    }

    private void paragraph(String markdown) {
        out.append(markdown).append("\n\n");
    }

    private void list(List<String> items) {
        for (String item : items) {
            out.append("- ").append(text(item).replace("\n", "\n  ")).append('\n');
        }
        out.append('\n');
    }

    private void listOrNone(List<String> items) {
        if (items.isEmpty()) {
            paragraph(NOT_WRITTEN);
        } else {
            list(items);
        }
    }

    private void table(List<String> header, List<List<String>> rows) {
        out.append('|');
        header.forEach(cell -> out.append(' ').append(cell(cell)).append(" |"));
        out.append("\n|");
        header.forEach(cell -> out.append(" --- |"));
        out.append('\n');
        for (List<String> row : rows) {
            out.append('|');
            row.forEach(cell -> out.append(' ').append(cell(cell)).append(" |"));
            out.append('\n');
        }
        out.append('\n');
    }

    /**
     * Text as written: backslash-escapes what would start HTML, code, emphasis or a link. An
     * underscore inside a word ({@code debt_ratio}) starts nothing in CommonMark and stays bare,
     * so feature and metric names read as they are.
     */
    private static String text(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean markup = c == '\\' || c == '<' || c == '`' || c == '*' || c == '[' || c == ']'
                    || (c == '_' && !(i > 0 && i + 1 < value.length()
                    && Character.isLetterOrDigit(value.charAt(i - 1)) && Character.isLetterOrDigit(value.charAt(i + 1))));
            if (markup) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** A table cell: escaped text, no pipe that would end the cell, line breaks as {@code <br>}. */
    private static String cell(String value) {
        return text(value).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>");
    }
}
