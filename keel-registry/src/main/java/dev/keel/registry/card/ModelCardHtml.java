package dev.keel.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;

import java.util.List;

/**
 * A model card as one standalone HTML page: inline CSS, no scripts, no external resources, so
 * it opens offline, can be archived with a validation file and prints cleanly. Every value is
 * HTML-escaped; an author's text can never become markup.
 */
public final class ModelCardHtml extends CardWriter {
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

    private ModelCardHtml() {
    }

    public static String render(ModelCard card) {
        return new ModelCardHtml().written(card);
    }

    @Override
    void header(String title, String status, String missing) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(escape(title)).append("</h1>\n");
        out.append("<p class=\"status\">").append(escape(status)).append("</p>\n");
        if (missing != null) {
            out.append("<p class=\"todo\">").append(escape(missing)).append("</p>\n");
        }
    }

    @Override
    void footer() {
        out.append("</body>\n</html>\n");
    }

    @Override
    void remark(String sentence) {
        out.append("<p class=\"missing\">").append(escape(sentence)).append("</p>\n");
    }

    @Override
    void fields(List<List<String>> rows) {
        table(List.of(), rows, true);
    }

    @Override
    void table(List<String> header, List<List<String>> rows) {
        table(header, rows, false);
    }

    @Override
    void files(List<ManifestFile> files) {
        out.append("<table>\n<thead><tr><th>Path</th><th>SHA-256</th><th>Bytes</th></tr></thead>\n<tbody>\n");
        for (ManifestFile file : files) {
            out.append("<tr><td>").append(escape(file.path())).append("</td><td class=\"digest\">")
                    .append(escape(file.sha256())).append("</td><td class=\"number\">").append(file.size())
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    @Override
    void metrics(List<MetricResult> results, boolean withSlice) {
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

    @Override
    void section(String title) {
        out.append("<h2>").append(escape(title)).append("</h2>\n");
    }

    @Override
    void subsection(String title) {
        out.append("<h3>").append(escape(title)).append("</h3>\n");
    }

    @Override
    void text(String value) {
        out.append("<p class=\"text\">").append(escape(value)).append("</p>\n");
    }

    @Override
    void list(List<String> items) {
        out.append("<ul>\n");
        for (String item : items) {
            out.append("<li>").append(escape(item)).append("</li>\n");
        }
        out.append("</ul>\n");
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
