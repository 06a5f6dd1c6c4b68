package dev.keel.cli;

import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a CSV file as RFC 4180 writes them: comma-separated, a field in double quotes
 * may hold commas, line breaks and doubled quotes; lines end in LF or CRLF; blank lines are
 * skipped. Strict, so a malformed file is refused with the line (and field) where it goes wrong
 * instead of being read as something else. Written here rather than taken from a library because
 * every error must say where in the file it is, which is most of the work.
 */
final class CsvRecords {
    /** Far above any label or flag; stops a file without line breaks from being read whole into one field. */
    static final int MAX_FIELD_LENGTH = 10_000;
    static final int MAX_FIELDS = 1_000;

    private final Reader in;
    private final String file;
    private int line = 1;
    private int recordLine;
    private int pushedBack = -2;
    private List<String> names = List.of();

    CsvRecords(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    /** Names the fields by the header's column names in errors from now on. */
    void names(List<String> header) {
        names = List.copyOf(header);
    }

    /** The line the record last returned starts on, counted from 1. */
    int line() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the file. */
    List<String> next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') {  // blank lines
            endOfLine(c);
            c = read();
        }
        if (c < 0) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.length() == 0) {
                c = quoted(field, fields.size() + 1);
            } else {
                while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                    if (c == '"') {
                        throw error(line, fields.size() + 1, "a double quote inside an unquoted field; quote the whole "
                                + "field and double the quotes inside it");
                    }
                    append(field, c, fields.size() + 1);
                    c = read();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (fields.size() > MAX_FIELDS) {
                throw error(recordLine, -1, "more than " + MAX_FIELDS + " fields");
            }
            if (c == ',') {
                c = read();
                continue;
            }
            if (c == '\n' || c == '\r') {
                endOfLine(c);
            }
            return fields;
        }
    }

    /** Reads a quoted field (the opening quote is consumed); returns the character after the closing quote. */
    private int quoted(StringBuilder field, int column) throws IOException {
        int opened = line;
        while (true) {
            int c = read();
            if (c < 0) {
                throw error(opened, column, "a quoted field opened here is never closed");
            }
            if (c == '"') {
                int after = read();
                if (after == '"') {
                    append(field, '"', column);
                    continue;
                }
                if (after >= 0 && after != ',' && after != '\n' && after != '\r') {
                    throw error(line, column, "'" + (char) after + "' after a closing quote; a quoted field ends at a "
                            + "comma or the end of the line");
                }
                return after;
            }
            if (c == '\n') {
                line++;
            } else if (c == '\r') {
                int next = read();
                if (next != '\n') {
                    pushedBack = next;
                }
                line++;
                c = '\n';
            }
            append(field, c, column);
        }
    }

    private void append(StringBuilder field, int c, int column) {
        if (field.length() >= MAX_FIELD_LENGTH) {
            throw error(line, column, "a field longer than " + MAX_FIELD_LENGTH + " characters");
        }
        field.append((char) c);
    }

    /** Consumes a line end starting with {@code c}: LF, CR or CRLF. */
    private void endOfLine(int c) throws IOException {
        line++;
        if (c == '\r') {
            int next = read();
            if (next != '\n') {
                pushedBack = next;
            }
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    /** A 400 naming the file, the line and, when {@code field} (from 1) is positive, its column. */
    KeelException error(int at, int field, String message) {
        String where = field <= 0 ? "" : field <= names.size() ? ", column '" + names.get(field - 1) + "'" : ", field " + field;
        return KeelException.invalid(file + ": line " + at + where + ": " + message);
    }
}
