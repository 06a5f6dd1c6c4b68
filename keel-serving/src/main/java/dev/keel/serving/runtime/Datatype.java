package dev.keel.serving.runtime;

import dev.keel.core.KeelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tensor's element type, named as the Open Inference Protocol names it, with the
 * {@link TensorData} kind that holds its values in memory. Narrow integers share {@code int[]}
 * and unsigned 32/64-bit integers share {@code long[]} so the HTTP layer parses a JSON array
 * straight into one primitive array per tensor, whatever the width; {@link Tensor} checks each
 * value fits its type.
 */
public enum Datatype {
    BOOL("bool", Kind.BOOL),
    UINT8("uint8", Kind.INT),
    UINT16("uint16", Kind.INT),
    UINT32("uint32", Kind.LONG),
    /** Held as the two's-complement bits in a {@code long}: values above 2^63-1 read as negative. */
    UINT64("uint64", Kind.LONG),
    INT8("int8", Kind.INT),
    INT16("int16", Kind.INT),
    INT32("int32", Kind.INT),
    INT64("int64", Kind.LONG),
    /** Held widened to {@code float}; narrowed to half precision only when handed to the model. */
    FP16("float16", Kind.FLOAT),
    FP32("float32", Kind.FLOAT),
    FP64("float64", Kind.DOUBLE),
    /** Text, one string per element: how the protocol's JSON carries BYTES and how ONNX string tensors take them. */
    BYTES("string", Kind.BYTES);

    /** Which primitive array holds the values; one per {@link TensorData} record. */
    enum Kind { BOOL, INT, LONG, FLOAT, DOUBLE, BYTES }

    private final String signatureType;
    private final Kind kind;

    Datatype(String signatureType, Kind kind) {
        this.signatureType = signatureType;
        this.kind = kind;
    }

    /** The element type as a registry {@link dev.keel.api.registry.flavor.TensorSpec} spells it ("float32"). */
    public String signatureType() {
        return signatureType;
    }

    Kind kind() {
        return kind;
    }

    /** The protocol's name ("FP32"), case-insensitive; a 400 naming {@code field} and the names it accepts otherwise. */
    public static Datatype parse(String field, String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the message listing what is accepted
            }
        }
        throw KeelException.invalid("'" + field + "' has datatype '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /**
     * The datatype for a signature's element type ("float32", "int64", "string", …), or empty for
     * one the protocol cannot carry (bfloat16, complex numbers, sequences, maps).
     */
    public static Optional<Datatype> ofSignatureType(String type) {
        if ("bytes".equals(type)) {
            return Optional.of(BYTES);
        }
        for (Datatype datatype : values()) {
            if (datatype.signatureType.equals(type)) {
                return Optional.of(datatype);
            }
        }
        return Optional.empty();
    }
}
