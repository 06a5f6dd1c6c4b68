package dev.keel.cli;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.core.KeelException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation set from a CSV file with a header: one column holding the model's decision, one
 * the true outcome, and one per sensitive attribute holding each row's group. A decision or
 * outcome is 1/0 or true/false, or, with a positive label, that label (anything else is
 * negative). Every error names the file, the line and the column.
 */
final class EvaluationCsv {
    /** Which columns mean what; {@code positive} is null for 1/0 and true/false. */
    record Columns(String predicted, String actual, List<String> sensitive, String positive) {
        Columns {
            sensitive = List.copyOf(sensitive);
        }
    }

    private EvaluationCsv() {
    }

    static EvaluationSet read(Path file, Columns columns) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw KeelException.invalid("'--file' " + file + " is not a readable file");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            return read(new CsvRecords(reader, file.toString()), file.toString(), columns);
        } catch (NoSuchFileException e) {
            throw KeelException.invalid("'--file' " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw KeelException.invalid(file + " is not UTF-8 text");
        }
    }

    private static EvaluationSet read(CsvRecords records, String file, Columns columns) throws IOException {
        List<String> header = records.next();
        if (header == null) {
            throw KeelException.invalid(file + " is empty; it needs a header naming its columns, then one row per example");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            // a byte order mark some editors write would otherwise stick to the first column's name
            String name = (i == 0 ? header.get(i).replace("\uFEFF", "") : header.get(i)).strip();
            if (names.contains(name)) {
                throw records.error(records.line(), i + 1, "the header names column '" + name + "' twice");
            }
            names.add(name);
        }
        records.names(names);
        int predicted = column(names, columns.predicted(), "--predicted", file);
        int actual = column(names, columns.actual(), "--actual", file);
        Map<String, Integer> sensitive = new LinkedHashMap<>();
        for (String attribute : columns.sensitive()) {
            if (sensitive.put(attribute, column(names, attribute, "--sensitive", file)) != null) {
                throw KeelException.invalid("'--sensitive' names column '" + attribute + "' twice");
            }
        }

        List<Boolean> decisions = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        Map<String, List<String>> groups = new HashMap<>();
        sensitive.keySet().forEach(attribute -> groups.put(attribute, new ArrayList<>()));
        for (List<String> row = records.next(); row != null; row = records.next()) {
            if (decisions.size() == EvaluationSet.MAX_ROWS) {
                throw KeelException.invalid(file + " has more than " + EvaluationSet.MAX_ROWS
                        + " rows; an evaluation set holds at most " + EvaluationSet.MAX_ROWS);
            }
            if (row.size() != names.size()) {
                throw records.error(records.line(), -1, "the row has " + row.size() + " fields; the header has "
                        + names.size());
            }
            decisions.add(flag(records, row, predicted, columns.positive()));
            outcomes.add(flag(records, row, actual, columns.positive()));
            for (Map.Entry<String, Integer> attribute : sensitive.entrySet()) {
                groups.get(attribute.getKey()).add(group(records, row, attribute.getValue()));
            }
        }
        if (decisions.isEmpty()) {
            throw KeelException.invalid(file + " has a header but no rows");
        }
        return new EvaluationSet(decisions, outcomes, groups);
    }

    private static int column(List<String> names, String wanted, String option, String file) {
        int index = names.indexOf(wanted == null ? null : wanted.strip());
        if (index < 0) {
            throw KeelException.invalid("'" + option + "' names column '" + wanted + "', which the header of " + file
                    + " does not have; it has " + String.join(", ", names));
        }
        return index;
    }

    private static boolean flag(CsvRecords records, List<String> row, int column, String positive) {
        String value = row.get(column).strip();
        if (value.isEmpty()) {
            throw records.error(records.line(), column + 1, "empty; every row needs a value");
        }
        if (positive != null) {
            return value.equals(positive);
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
                return true;
            case "0":
            case "false":
                return false;
            default:
                throw records.error(records.line(), column + 1, "'" + shorten(value) + "' is not 1/0 or true/false; "
                        + "name the positive label with --positive LABEL");
        }
    }

    private static String group(CsvRecords records, List<String> row, int column) {
        String value = row.get(column).strip();
        if (value.isEmpty()) {
            throw records.error(records.line(), column + 1, "empty; every row needs a group");
        }
        if (value.length() > EvaluationSet.MAX_GROUP_LENGTH) {
            throw records.error(records.line(), column + 1, "the group is " + value.length()
                    + " characters long; at most " + EvaluationSet.MAX_GROUP_LENGTH + " are allowed");
        }
        return value;
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
