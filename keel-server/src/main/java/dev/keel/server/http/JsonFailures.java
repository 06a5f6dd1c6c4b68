package dev.keel.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns what Jackson reports about a request body into a {@link KeelException} that names the
 * field in the JSON (such as {@code metrics[3].value}) and says what was expected. A
 * {@code KeelException} thrown by a record's constructor while it is being read comes out
 * unchanged: it already names the field in the domain's words.
 */
final class JsonFailures {
    private JsonFailures() {
    }

    static KeelException translate(IOException failure) {
        KeelException own = findKeelException(failure);
        if (own != null) {
            return own;
        }
        StreamReadException malformed = find(failure, StreamReadException.class);
        if (malformed instanceof InputCoercionException range) {
            // well-formed JSON whose number does not fit the field: name the field, as for any other wrong value
            String field = outOfRangeField(failure, range);
            if (!field.isEmpty()) {
                return KeelException.invalid("'" + field + "' is out of range: " + firstLine(range.getOriginalMessage()));
            }
        }
        if (malformed != null) {
            return new KeelException(ErrorCode.BAD_REQUEST, "malformed JSON in request body"
                    + location(malformed) + ": " + firstLine(malformed.getOriginalMessage()));
        }
        if (failure instanceof MismatchedInputException mismatch) {
            return mismatched(mismatch);
        }
        if (failure instanceof DatabindException databind && databind instanceof JsonMappingException mapping) {
            String path = path(mapping.getPath());
            Throwable cause = mapping.getCause() != null ? mapping.getCause() : mapping;
            return KeelException.invalid((path.isEmpty() ? "invalid request body" : "invalid value for '" + path + "'")
                    + ": " + firstLine(cause instanceof JsonMappingException m ? m.getOriginalMessage() : cause.getMessage()));
        }
        return new KeelException(ErrorCode.BAD_REQUEST, "could not read the request body: " + firstLine(failure.getMessage()));
    }

    private static KeelException mismatched(MismatchedInputException mismatch) {
        String path = path(mismatch.getPath());
        String expected = describe(mismatch.getTargetType());
        if (path.isEmpty() && mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("No content")) {
            return KeelException.invalid("request body is empty; it must be " + expected);
        }
        if (path.isEmpty()) {
            return KeelException.invalid("request body must be " + expected + got(mismatch));
        }
        if (mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("Cannot map `null`")) {
            return KeelException.invalid("missing value for required parameter '" + path + "'");
        }
        return KeelException.invalid("'" + path + "' must be " + expected + got(mismatch));
    }

    private static String got(MismatchedInputException mismatch) {
        if (mismatch instanceof InvalidFormatException format && format.getValue() != null) {
            return " (got " + quoted(format.getValue()) + ")";
        }
        if (mismatch.getProcessor() instanceof JsonParser parser && parser.currentToken() != null) {
            return " (got " + describe(parser.currentToken()) + ")";
        }
        return "";
    }

    private static String quoted(Object value) {
        String text = String.valueOf(value);
        text = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return value instanceof String ? "'" + text + "'" : text;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "an unexpected value";
        };
    }

    /** What a Java type looks like in JSON, in words a client author understands. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
            return "a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "'" + ((Enum<?>) c).name() + "'")
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    static String describe(JavaType type) {
        return describe(type == null ? null : type.getRawClass());
    }

    /** {@code metrics[3].value} from Jackson's path of references. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The field an out-of-range number was meant for: from the mapping path, else from the parser's position. */
    private static String outOfRangeField(IOException failure, InputCoercionException range) {
        String field = failure instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
        JsonParser parser = range.getProcessor();
        if (field.isEmpty() && parser != null && parser.getParsingContext() != null) {
            String name = parser.getParsingContext().getCurrentName();
            field = name == null ? "" : name;
        }
        return field;
    }

    private static String location(StreamReadException malformed) {
        if (malformed.getLocation() == null || malformed.getLocation().getLineNr() < 0) {
            return "";
        }
        return " at line " + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static KeelException findKeelException(Throwable failure) {
        return find(failure, KeelException.class);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
