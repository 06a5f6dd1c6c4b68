package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.keel.core.KeelException;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.TensorData;

import java.io.IOException;
import java.util.Arrays;

/**
 * A tensor's {@code data} as it streams out of the JSON, flat or nested, before its datatype is
 * necessarily known (nothing in the protocol puts {@code datatype} ahead of {@code data}).
 * Integers are kept exactly as longs and other numbers as doubles, so an INT64 keeps every bit
 * and an FP32 tensor is one narrowing copy away; {@link #as} turns them into the datatype's
 * primitive array, refusing a value that does not belong (1.5 in an INT32, "yes" in a BOOL).
 */
final class TensorValues {
    /** Nesting beyond this is hostile input, not a tensor (and would recurse deep). */
    private static final int MAX_DEPTH = 33;

    private final String tensor;
    private final int maxValues;
    private long[] longs = new long[16];
    private double[] doubles;
    private boolean[] booleans;
    private String[] strings;
    private int count;
    /** What the values seen so far are: numbers (integral or not), booleans or strings; mixing is refused. */
    private Kind kind;
    private boolean allIntegral = true;

    private enum Kind { NUMBER, BOOLEAN, STRING }

    private TensorValues(String tensor, int maxValues) {
        this.tensor = tensor;
        this.maxValues = maxValues;
    }

    /** Reads the array (or a lone scalar) the parser is on, nested to any sensible depth. */
    static TensorValues read(JsonParser parser, String tensor, int maxValues) throws IOException {
        TensorValues values = new TensorValues(tensor, maxValues);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            values.readArray(parser, 1);
        } else {
            values.add(parser, token);
        }
        return values;
    }

    private void readArray(JsonParser parser, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw KeelException.invalid("tensor '" + tensor + "' has 'data' nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw KeelException.invalid("tensor '" + tensor + "': the body ends inside 'data'");
            }
            if (token == JsonToken.START_ARRAY) {
                readArray(parser, depth + 1);
            } else {
                add(parser, token);
            }
        }
    }

    private void add(JsonParser parser, JsonToken token) throws IOException {
        if (count == maxValues) {
            throw new KeelException(dev.keel.core.ErrorCode.PAYLOAD_TOO_LARGE, "tensor '" + tensor
                    + "' has more than " + maxValues + " values in 'data'");
        }
        switch (token) {
            case VALUE_NUMBER_INT -> {
                expect(Kind.NUMBER, parser);
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw KeelException.invalid("tensor '" + tensor + "' has " + parser.getText() + " at position "
                            + count + ", beyond any integer datatype");
                }
                if (allIntegral) {
                    ensureLongs();
                    longs[count++] = parser.getLongValue();
                } else {
                    ensureDoubles();
                    doubles[count++] = parser.getLongValue();
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                expect(Kind.NUMBER, parser);
                if (allIntegral) {
                    switchToDoubles();
                }
                ensureDoubles();
                doubles[count++] = parser.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                expect(Kind.BOOLEAN, parser);
                if (booleans == null) {
                    booleans = new boolean[16];
                } else if (count == booleans.length) {
                    booleans = Arrays.copyOf(booleans, grown(booleans.length));
                }
                booleans[count++] = token == JsonToken.VALUE_TRUE;
            }
            case VALUE_STRING -> {
                String text = parser.getText();
                // Python's json writes NaN bare, others quote it: a number tensor takes both spellings
                double special = special(text);
                if (!Double.isNaN(special) || "NaN".equals(text)) {
                    if (kind == null || kind == Kind.NUMBER) {
                        kind = Kind.NUMBER;
                        if (allIntegral) {
                            switchToDoubles();
                        }
                        ensureDoubles();
                        doubles[count++] = special;
                        return;
                    }
                }
                expect(Kind.STRING, parser);
                if (strings == null) {
                    strings = new String[16];
                } else if (count == strings.length) {
                    strings = Arrays.copyOf(strings, grown(strings.length));
                }
                strings[count++] = text;
            }
            default -> throw KeelException.invalid("tensor '" + tensor + "' has " + describe(token) + " at position "
                    + count + " of 'data'; expected numbers, booleans or strings");
        }
    }

    private static double special(String text) {
        return switch (text) {
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    private void expect(Kind seen, JsonParser parser) throws IOException {
        if (kind == null) {
            kind = seen;
        } else if (kind != seen) {
            throw KeelException.invalid("tensor '" + tensor + "' mixes " + plural(kind) + " and " + plural(seen)
                    + " in 'data' (position " + count + ": " + parser.getText() + ")");
        }
    }

    private void ensureLongs() {
        if (count == longs.length) {
            longs = Arrays.copyOf(longs, grown(longs.length));
        }
    }

    private void ensureDoubles() {
        if (doubles == null) {
            doubles = new double[Math.max(16, longs.length)];
        } else if (count == doubles.length) {
            doubles = Arrays.copyOf(doubles, grown(doubles.length));
        }
    }

    private void switchToDoubles() {
        allIntegral = false;
        doubles = new double[Math.max(16, longs.length)];
        for (int i = 0; i < count; i++) {
            doubles[i] = longs[i];
        }
    }

    private int grown(int length) {
        return (int) Math.min((long) length * 2, Math.max(maxValues, 16));
    }

    int count() {
        return count;
    }

    /** The values as {@code datatype} holds them; a 400 naming the tensor and position for one that does not fit. */
    TensorData as(Datatype datatype) {
        if (count == 0) {
            return empty(datatype);
        }
        switch (datatype) {
            case BOOL -> {
                requireKind(Kind.BOOLEAN, datatype);
                return new TensorData.BoolData(Arrays.copyOf(booleans, count));
            }
            case BYTES -> {
                requireKind(Kind.STRING, datatype);
                return new TensorData.BytesData(Arrays.copyOf(strings, count));
            }
            case FP16, FP32 -> {
                requireKind(Kind.NUMBER, datatype);
                float[] floats = new float[count];
                if (allIntegral) {
                    for (int i = 0; i < count; i++) {
                        floats[i] = longs[i];
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        floats[i] = (float) doubles[i];
                    }
                }
                return new TensorData.FloatData(floats);
            }
            case FP64 -> {
                requireKind(Kind.NUMBER, datatype);
                if (allIntegral) {
                    double[] widened = new double[count];
                    for (int i = 0; i < count; i++) {
                        widened[i] = longs[i];
                    }
                    return new TensorData.DoubleData(widened);
                }
                return new TensorData.DoubleData(Arrays.copyOf(doubles, count));
            }
            case INT64, UINT32, UINT64 -> {
                requireIntegers(datatype);
                return new TensorData.LongData(Arrays.copyOf(longs, count));
            }
            default -> { // INT8, INT16, INT32, UINT8, UINT16
                requireIntegers(datatype);
                int[] ints = new int[count];
                for (int i = 0; i < count; i++) {
                    long value = longs[i];
                    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                        throw KeelException.invalid("tensor '" + tensor + "' has " + value + " at position " + i
                                + ", outside the range of " + datatype);
                    }
                    ints[i] = (int) value;
                }
                return new TensorData.IntData(ints);
            }
        }
    }

    private void requireIntegers(Datatype datatype) {
        requireKind(Kind.NUMBER, datatype);
        if (!allIntegral) {
            for (int i = 0; i < count; i++) {
                if (doubles[i] != Math.rint(doubles[i]) || Double.isInfinite(doubles[i])) {
                    throw KeelException.invalid("tensor '" + tensor + "' has " + doubles[i] + " at position " + i
                            + "; " + datatype + " takes integers only");
                }
            }
            // integral doubles such as 3.0: exact up to 2^53, which is what their JSON could say anyway
            longs = new long[count];
            for (int i = 0; i < count; i++) {
                longs[i] = (long) doubles[i];
            }
            allIntegral = true;
        }
    }

    private void requireKind(Kind wanted, Datatype datatype) {
        if (kind != wanted) {
            throw KeelException.invalid("tensor '" + tensor + "' has datatype " + datatype + " but its 'data' holds "
                    + plural(kind) + "; " + datatype + " takes " + plural(wanted));
        }
    }

    private static TensorData empty(Datatype datatype) {
        return switch (datatype) {
            case BOOL -> new TensorData.BoolData(new boolean[0]);
            case BYTES -> new TensorData.BytesData(new String[0]);
            case FP16, FP32 -> new TensorData.FloatData(new float[0]);
            case FP64 -> new TensorData.DoubleData(new double[0]);
            case INT64, UINT32, UINT64 -> new TensorData.LongData(new long[0]);
            default -> new TensorData.IntData(new int[0]);
        };
    }

    private static String plural(Kind kind) {
        return switch (kind) {
            case NUMBER -> "numbers";
            case BOOLEAN -> "booleans";
            case STRING -> "strings";
        };
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
