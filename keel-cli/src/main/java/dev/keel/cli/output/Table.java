package dev.keel.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns: numbers right-aligned, text left-aligned. */
public final class Table {
    /** A column's header and whether its cells are numbers (right-aligned). */
    public record Column(String header, boolean numeric) {
        public static Column text(String header) {
            return new Column(header, false);
        }

        public static Column number(String header) {
            return new Column(header, true);
        }
    }

    private static final String GAP = "  ";

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public Table row(List<String> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("a row has " + cells.size() + " cells for " + columns.size() + " columns");
        }
        rows.add(cells.stream().map(cell -> cell == null ? "" : cell).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintStream out) {
        print(out, true);
    }

    /** The table, or {@code none} on a line of its own when it has no rows. */
    public void print(PrintStream out, String none) {
        if (rows.isEmpty()) {
            out.println(none);
        } else {
            print(out);
        }
    }

    /** The rows alone, for key/value listings where a header would only repeat the obvious. */
    public void printRows(PrintStream out) {
        print(out, false);
    }

    private void print(PrintStream out, boolean header) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = header ? columns.get(i).header().length() : 0;
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        if (header) {
            out.println(line(columns.stream().map(Column::header).toList(), widths));
        }
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
    }

    private String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String padding = " ".repeat(widths[i] - cell.length());
            if (columns.get(i).numeric()) {
                line.append(padding).append(cell);
            } else {
                line.append(cell).append(last ? "" : padding);
            }
            if (!last) {
                line.append(GAP);
            }
        }
        return line.toString().stripTrailing();
    }
}
