package dev.keel.store.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a filter or order-by clause from left to right. The parser asks for the piece it expects
 * next (an identifier, a comparator, a value), so a word means what its place says: {@code in}
 * is a comparator after an identifier but a key in {@code params.in}. That is why there is no
 * separate token list: MLflow's keys may contain dots, dashes and slashes, and only the position
 * tells a key from an operator.
 */
final class FilterScanner {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final int SHOWN = 40;

    /** The left-hand side as written: an optional entity prefix and a key, quotes removed. */
    record Identifier(String prefix, String key, String source) {
    }

    /** A right-hand side as written; {@code value} is null for an unquoted word, which no comparison accepts. */
    record Literal(FilterValue value, String source) {
    }

    private final String text;
    private int pos;

    FilterScanner(String text) {
        this.text = text;
    }

    int position() {
        skipWhitespace();
        return pos;
    }

    boolean atEnd() {
        skipWhitespace();
        return pos >= text.length();
    }

    /** The next character, after whitespace; the caller has checked {@link #atEnd()}. */
    char peek() {
        skipWhitespace();
        return text.charAt(pos);
    }

    /** {@code metrics.auc}, {@code tags."mlflow.user"}, {@code `metrics`.`my metric`}, or a bare attribute. */
    Identifier identifier() {
        skipWhitespace();
        int start = pos;
        if (pos >= text.length()) {
            throw new GrammarError("expected a comparison such as metrics.auc > 0.5, but the text ends here");
        }
        char c = text.charAt(pos);
        String head;
        if (c == '`' || c == '"') {
            head = quoted(c);
        } else if (isWordStart(c)) {
            head = word();
        } else {
            throw new GrammarError("expected an identifier such as metrics.auc or status, got '" + nextToken() + "'");
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            String key = key(head);
            return new Identifier(head, key, text.substring(start, pos));
        }
        return new Identifier(null, head, text.substring(start, pos));
    }

    /** Reads the key after {@code prefix.}; unquoted keys run up to whitespace or an operator. */
    private String key(String prefix) {
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            return quoted(text.charAt(pos));
        }
        int start = pos;
        while (pos < text.length() && isKeyPart(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw new GrammarError("expected a key after '" + prefix + ".', as in " + prefix
                    + ".my_key or " + prefix + ".`my key`");
        }
        return text.substring(start, pos);
    }

    Comparator comparator() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw new GrammarError("a comparator is missing; expected one of =, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN");
        }
        char c = text.charAt(pos);
        if (isOperatorChar(c)) {
            int start = pos;
            while (pos < text.length() && isOperatorChar(text.charAt(pos))) {
                pos++;
            }
            String symbol = text.substring(start, pos);
            return switch (symbol) {
                case "=" -> Comparator.EQ;
                case "!=" -> Comparator.NEQ;
                case ">" -> Comparator.GT;
                case ">=" -> Comparator.GE;
                case "<" -> Comparator.LT;
                case "<=" -> Comparator.LE;
                default -> throw new GrammarError("unknown comparator '" + symbol
                        + "'; expected one of =, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN");
            };
        }
        if (isWordStart(c)) {
            int start = pos;
            String word = word();
            switch (word.toUpperCase(Locale.ROOT)) {
                case "LIKE":
                    return Comparator.LIKE;
                case "ILIKE":
                    return Comparator.ILIKE;
                case "IN":
                    return Comparator.IN;
                case "NOT":
                    skipWhitespace();
                    if (pos < text.length() && isWordStart(text.charAt(pos))
                            && word().equalsIgnoreCase("IN")) {
                        return Comparator.NOT_IN;
                    }
                    throw new GrammarError("expected IN after NOT, got '" + text.substring(start, pos).strip() + "'");
                default:
                    throw new GrammarError("unknown comparator '" + word
                            + "'; expected one of =, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN");
            }
        }
        throw new GrammarError("expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN), got '"
                + nextToken() + "'");
    }

    /** A quoted string, a number, a parenthesised list of quoted strings, or (for the error message) a bare word. */
    Literal literal() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw new GrammarError("a value is missing after the comparator");
        }
        int start = pos;
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            String value = quoted(c);
            return new Literal(new FilterValue.StringValue(value), text.substring(start, pos));
        }
        if (c == '(') {
            List<String> values = list();
            return new Literal(new FilterValue.StringList(values), text.substring(start, pos));
        }
        if (Character.isDigit(c) || c == '.' || c == '+' || c == '-') {
            return number();
        }
        if (isWordStart(c)) {
            while (pos < text.length() && (isWordPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            return new Literal(null, text.substring(start, pos));
        }
        throw new GrammarError("expected a value (a number, a quoted string or a list), got '" + nextToken() + "'");
    }

    private Literal number() {
        int start = pos;
        Matcher matcher = NUMBER.matcher(text).region(pos, text.length());
        boolean matched = matcher.lookingAt();
        int end = matched ? matcher.end() : pos;
        if (!matched || (end < text.length() && (isWordPart(text.charAt(end)) || text.charAt(end) == '.'))) {
            throw new GrammarError("'" + nextToken() + "' is not a number");
        }
        String source = text.substring(start, end);
        double value = Double.parseDouble(source);
        if (Double.isInfinite(value)) {
            throw new GrammarError("'" + source + "' is out of range for a number");
        }
        pos = end;
        return new Literal(new FilterValue.NumberValue(value), source);
    }

    private List<String> list() {
        int open = pos;
        pos++;
        List<String> values = new ArrayList<>();
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == ')') {
            pos++;
            return values;
        }
        while (true) {
            skipWhitespace();
            if (pos >= text.length()) {
                throw new GrammarError("the list starting at '" + shown(open) + "' has no closing ')'");
            }
            char c = text.charAt(pos);
            if (c != '\'' && c != '"') {
                throw new GrammarError("a list holds quoted strings separated by commas, as in ('a', 'b'); got '"
                        + nextToken() + "'");
            }
            values.add(quoted(c));
            skipWhitespace();
            if (pos >= text.length()) {
                throw new GrammarError("the list starting at '" + shown(open) + "' has no closing ')'");
            }
            c = text.charAt(pos);
            if (c == ')') {
                pos++;
                return values;
            }
            if (c != ',') {
                throw new GrammarError("expected ',' or ')' in the list, got '" + nextToken() + "'");
            }
            pos++;
        }
    }

    /**
     * The content between {@code quote} characters. The quote itself may appear doubled (SQL's
     * {@code 'it''s'}) or after a backslash ({@code 'it\'s'}); {@code \\} is one backslash. Any
     * other backslash stays as written, so LIKE patterns such as {@code 'a\_b'} pass unchanged.
     */
    private String quoted(char quote) {
        int open = pos;
        pos++;
        StringBuilder content = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
            if (c == '\\' && (next == quote || next == '\\')) {
                content.append(next);
                pos += 2;
            } else if (c == quote && next == quote) {
                content.append(quote);
                pos += 2;
            } else if (c == quote) {
                pos++;
                return content.toString();
            } else {
                content.append(c);
                pos++;
            }
        }
        String closing = quote == '`' ? "backtick (`)" : "quote (" + quote + ")";
        throw new GrammarError("the text starting at " + shown(open) + " has no closing " + closing);
    }

    /** The next word, if one starts here (case as written), without consuming it. */
    String peekWord() {
        skipWhitespace();
        int end = pos;
        while (end < text.length() && isWordPart(text.charAt(end))) {
            end++;
        }
        return text.substring(pos, end);
    }

    /** Consumes the next word; the caller has seen it with {@link #peekWord()}. */
    void skipWord() {
        skipWhitespace();
        while (pos < text.length() && isWordPart(text.charAt(pos))) {
            pos++;
        }
    }

    /** Whether a word ends here (so {@code ANDx} is not {@code AND}). */
    boolean atWordBoundary() {
        return pos >= text.length() || !isWordPart(text.charAt(pos));
    }

    /** The next whitespace-delimited run, shortened, for error messages. */
    String nextToken() {
        skipWhitespace();
        int end = pos;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return abbreviate(text.substring(pos, end));
    }

    String source(int from) {
        return text.substring(from, pos);
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && isWordPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String shown(int from) {
        return abbreviate(text.substring(from));
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    static String abbreviate(String s) {
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "…";
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Unquoted keys may hold what MLflow's keys hold except space: letters, digits, _ . - / */
    private static boolean isKeyPart(char c) {
        return isWordPart(c) || c == '.' || c == '-' || c == '/';
    }

    private static boolean isOperatorChar(char c) {
        return c == '=' || c == '!' || c == '<' || c == '>';
    }
}
