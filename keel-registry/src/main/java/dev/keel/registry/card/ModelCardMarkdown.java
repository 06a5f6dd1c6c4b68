package dev.keel.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;

import java.util.List;

/**
 * A model card as Markdown (CommonMark with GitHub's tables): one heading per section, metrics,
 * slices, the signature, data sets and files as tables. Text is escaped so that what an author
 * wrote shows as written: no raw HTML gets through, and a '|' cannot break a table.
 */
public final class ModelCardMarkdown extends CardWriter {

    private ModelCardMarkdown() {
    }

    public static String render(ModelCard card) {
        return new ModelCardMarkdown().written(card);
    }

    @Override
    void header(String title, String status, String missing) {
        heading(1, title);
        paragraph("_" + escaped(status) + "_");
        if (missing != null) {
            paragraph("**" + escaped(missing) + "**");
        }
    }

    @Override
    void section(String title) {
        heading(2, title);
    }

    @Override
    void subsection(String title) {
        heading(3, title);
    }

    @Override
    void text(String value) {
        paragraph(escaped(value));
    }

    @Override
    void remark(String sentence) {
        paragraph("_" + escaped(sentence) + "_");
    }

    @Override
    void fields(List<List<String>> rows) {
        table(List.of("Field", "Value"), rows);
    }

    @Override
    void files(List<ManifestFile> files) {
        table(List.of("Path", "SHA-256", "Bytes"), files.stream()
                .map(file -> List.of(file.path(), file.sha256(), Long.toString(file.size()))).toList());
    }

    @Override
    void metrics(List<MetricResult> results, boolean withSlice) {
        if (withSlice) {
            table(List.of("Metric", "Slice", "Value", "Threshold", "Met"), results.stream().map(r -> List.of(r.metric(),
                    r.slice(), CardText.number(r.value()), CardText.threshold(r.threshold()), CardText.met(r))).toList());
        } else {
            table(List.of("Metric", "Value", "Threshold", "Met"), results.stream().map(r -> List.of(r.metric(),
                    CardText.number(r.value()), CardText.threshold(r.threshold()), CardText.met(r))).toList());
        }
    }

    @Override
    void footer() {
        // Markdown has no closing tags
    }

    private void heading(int level, String title) {
        out.append("#".repeat(level)).append(' ').append(escaped(title)).append("\n\n");
    }

    private void paragraph(String markdown) {
        out.append(markdown).append("\n\n");
    }

    @Override
    void list(List<String> items) {
        for (String item : items) {
            out.append("- ").append(escaped(item).replace("\n", "\n  ")).append('\n');
        }
        out.append('\n');
    }

    @Override
    void table(List<String> header, List<List<String>> rows) {
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
    private static String escaped(String value) {
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
        return escaped(value).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>");
    }
}
