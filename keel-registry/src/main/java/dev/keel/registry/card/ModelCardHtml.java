package dev.keel.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.flavor.Signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.keel.registry.card.CardText.orEmpty;

/**
 * A model card as one standalone HTML page: inline CSS, no scripts, no external resources, so
 * it opens offline, can be archived with a validation file and prints cleanly. Every value is
 * HTML-escaped; an author's text can never become markup.
 */
public final class ModelCardHtml {
    private static final String NOT_WRITTEN = "<p class=\"missing\">Not written yet.</p>\n";
    private static final String STYLE = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
                   max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
            h1 { font-size: 1.8rem; border-bottom: 2px solid #1f2328; padding-bottom: .3rem; }
            h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
            h3 { font-size: 1.05rem; margin-top: 1.2rem; }
            table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; font-size: .92rem; }
            th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top;
                     overflow-wrap: anywhere; }
            th { background: #f6f8fa; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            td.fail { color: #b42318; font-weight: bold; }
            code, .digest { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
            .status { color: #57606a; font-style: italic; }
            .todo { background: #fff8c5; border: 1px solid #d4a72c; padding: .5rem .8rem; }
            .missing { color: #57606a; font-style: italic; }
            p.text { white-space: pre-wrap; }
            @media print {
              body { margin: 0; max-width: none; font-size: 10pt; }
              h2 { break-after: avoid; }
              table, tr { break-inside: avoid; }
              th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    private final StringBuilder out = new StringBuilder();

    private ModelCardHtml() {
    }

    public static String render(ModelCard card) {
        ModelCardHtml html = new ModelCardHtml();
        html.write(card);
        return html.out.toString();
    }

    private void write(ModelCard card) {
        String title = CardText.title(card);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(escape(title)).append("</h1>\n");
        out.append("<p class=\"status\">").append(escape(CardText.status(card))).append("</p>\n");
        if (!card.missingSections().isEmpty()) {
            out.append("<p class=\"todo\">").append(escape(CardText.missing(card))).append("</p>\n");
        }

        ModelDetails details = card.modelDetails();
        section("Model details");
        if (details.overview() == null || details.overview().isBlank()) {
            out.append(NOT_WRITTEN);
        } else {
            text(details.overview());
        }
        table(List.of(), List.of(
                List.of("Name", orEmpty(details.name())),
                List.of("Version", Long.toString(details.version())),
                List.of("Owners", CardText.owners(details.owners())),
                List.of("Risk tier", details.riskTier() == null ? "" : details.riskTier().name().toLowerCase(Locale.ROOT)),
                List.of("License", orEmpty(details.license()))), true);
        if (!details.references().isEmpty()) {
            subsection("References");
            list(details.references());
        }
        if (!details.tags().isEmpty()) {
            subsection("Tags");
            table(List.of("Tag", "Value"), rows(details.tags()), false);
        }

        ModelParameters parameters = card.modelParameters();
        section("Model parameters");
        table(List.of(), List.of(
                List.of("Architecture", orEmpty(parameters.architecture())),
                List.of("Flavor", orEmpty(parameters.flavor())),
                List.of("Model file", orEmpty(parameters.modelFile()))), true);
        subsection("Signature");
        Signature signature = parameters.signature();
        if (signature == null) {
            out.append("<p class=\"missing\">No signature could be read from the model.</p>\n");
        } else {
            table(List.of("Direction", "Name", "Type", "Shape"), ModelCardMarkdown.signatureRows(signature), false);
        }
        if (!parameters.hyperparameters().isEmpty()) {
            subsection("Hyperparameters");
            table(List.of("Parameter", "Value"), rows(parameters.hyperparameters()), false);
        }
        if (!parameters.files().isEmpty()) {
            subsection("Files");
            out.append("<table>\n<thead><tr><th>Path</th><th>SHA-256</th><th>Bytes</th></tr></thead>\n<tbody>\n");
            for (ManifestFile file : parameters.files()) {
                out.append("<tr><td>").append(escape(file.path())).append("</td><td class=\"digest\">")
                        .append(escape(file.sha256())).append("</td><td class=\"number\">").append(file.size())
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
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
        if (card.factors().isEmpty()) {
            out.append(NOT_WRITTEN);
        } else {
            table(List.of("Factor", "Description"),
                    card.factors().stream().map(f -> List.of(f.name(), orEmpty(f.description()))).toList(), false);
        }

        section("Metrics");
        List<MetricResult> overall = card.metrics().stream().filter(r -> !r.sliced()).toList();
        List<MetricResult> sliced = card.metrics().stream().filter(MetricResult::sliced).toList();
        if (card.metrics().isEmpty()) {
            out.append(NOT_WRITTEN);
        }
        if (!overall.isEmpty()) {
            subsection("Overall");
            metrics(overall, false);
        }
        subsection("By slice");
        if (sliced.isEmpty()) {
            out.append(NOT_WRITTEN);
        } else {
            metrics(sliced, true);
        }

        section("Training data");
        data(card.trainingData());
        section("Evaluation data");
        data(card.evaluationData());

        section("Ethical considerations");
        if (card.ethicalConsiderations().isEmpty()) {
            out.append(NOT_WRITTEN);
        } else {
            table(List.of("Consideration", "Mitigation"), card.ethicalConsiderations().stream()
                    .map(e -> List.of(e.name(), orEmpty(e.mitigation()))).toList(), false);
        }

        section("Caveats and recommendations");
        if (card.caveats().isEmpty() && card.recommendations().isEmpty()) {
            out.append(NOT_WRITTEN);
        }
        if (!card.caveats().isEmpty()) {
            subsection("Caveats");
            list(card.caveats());
        }
        if (!card.recommendations().isEmpty()) {
            subsection("Recommendations");
            list(card.recommendations());
        }
        out.append("</body>\n</html>\n");
    }

    private void metrics(List<MetricResult> results, boolean withSlice) {
        out.append("<table>\n<thead><tr><th>Metric</th>");
        if (withSlice) {
            out.append("<th>Slice</th>");
        }
        out.append("<th>Value</th><th>Threshold</th><th>Met</th></tr></thead>\n<tbody>\n");
        for (MetricResult result : results) {
            out.append("<tr><td>").append(escape(result.metric())).append("</td>");
            if (withSlice) {
                out.append("<td>").append(escape(result.slice())).append("</td>");
            }
            Boolean met = result.meetsThreshold();
            out.append("<td class=\"number\">").append(escape(CardText.number(result.value()))).append("</td>")
                    .append("<td>").append(escape(CardText.threshold(result.threshold()))).append("</td>")
                    .append(Boolean.FALSE.equals(met) ? "<td class=\"fail\">" : "<td>")
                    .append(escape(CardText.met(result))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private void data(List<DataReference> references) {
        if (references.isEmpty()) {
            out.append(NOT_WRITTEN);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (DataReference d : references) {
            rows.add(List.of(d.name(), orEmpty(d.digest()), orEmpty(d.context()), orEmpty(d.source()),
                    orEmpty(d.description())));
        }
        table(List.of("Name", "Digest", "Context", "Source", "Description"), rows, false);
    }

    private static List<List<String>> rows(Map<String, String> values) {
        return values.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
    }

    private void section(String title) {
        out.append("<h2>").append(escape(title)).append("</h2>\n");
    }

    private void subsection(String title) {
        out.append("<h3>").append(escape(title)).append("</h3>\n");
    }

    private void text(String value) {
        out.append("<p class=\"text\">").append(escape(value)).append("</p>\n");
    }

    private void list(List<String> items) {
        out.append("<ul>\n");
        for (String item : items) {
            out.append("<li>").append(escape(item)).append("</li>\n");
        }
        out.append("</ul>\n");
    }

    private void listOrNone(List<String> items) {
        if (items.isEmpty()) {
            out.append(NOT_WRITTEN);
        } else {
            list(items);
        }
    }

    /** A table; {@code keyed} tables have no header row and their first column is a header cell. */
    private void table(List<String> header, List<List<String>> rows, boolean keyed) {
        out.append("<table>\n");
        if (!header.isEmpty()) {
            out.append("<thead><tr>");
            header.forEach(cell -> out.append("<th>").append(escape(cell)).append("</th>"));
            out.append("</tr></thead>\n");
        }
        out.append("<tbody>\n");
        for (List<String> row : rows) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String tag = keyed && i == 0 ? "th" : "td";
                out.append('<').append(tag).append('>').append(escape(row.get(i))).append("</").append(tag).append('>');
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** The five characters that can change HTML's meaning, in text and in attribute values alike. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
