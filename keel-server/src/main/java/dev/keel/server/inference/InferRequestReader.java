package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.keel.core.KeelException;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol infer request straight from the body's bytes with Jackson's
 * streaming parser: each tensor's {@code data} goes into one primitive array, with no tree of
 * nodes and no boxed numbers in between — at thousands of requests a second the tree would cost
 * more than the model. Every mistake is a 400 naming the tensor and field.
 */
public final class InferRequestReader {
    /** Inputs a request may carry; a model with more is not something this protocol serves. */
    static final int MAX_TENSORS = 1024;

    private final JsonFactory json;
    private final int maxValues;

    /** {@code maxValues}: values one tensor may hold (the body's size limit bounds the rest). */
    public InferRequestReader(int maxValues) {
        this.maxValues = maxValues;
        this.json = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
    }

    public InferRequest read(byte[] body) {
        if (body.length == 0) {
            throw KeelException.invalid("the request body is empty; expected an inference request with 'inputs'");
        }
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw KeelException.invalid("the request body must be a JSON object with 'inputs'");
            }
            String id = null;
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = text(parser, value, "id");
                    case "inputs" -> inputs = inputs(parser, value);
                    case "outputs" -> outputs = outputs(parser, value);
                    default -> parser.skipChildren(); // "parameters" and extensions this server does not interpret
                }
            }
            if (parser.nextToken() != null) {
                throw KeelException.invalid("the request body has content after its JSON object");
            }
            if (inputs == null) {
                throw KeelException.invalid("missing value for 'inputs'");
            }
            return new InferRequest(id, inputs, outputs);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KeelException.invalid("the request body could not be read: " + e.getMessage());
        }
    }

    private List<Tensor> inputs(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw KeelException.invalid("'inputs' must be an array of tensors (got " + TensorValues.describe(value) + ")");
        }
        List<Tensor> tensors = new ArrayList<>(4);
        Set<String> names = new HashSet<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (tensors.size() == MAX_TENSORS) {
                throw KeelException.invalid("'inputs' has more than " + MAX_TENSORS + " tensors");
            }
            Tensor tensor = tensor(parser, token, "inputs[" + tensors.size() + "]");
            if (!names.add(tensor.name())) {
                throw KeelException.invalid("'inputs' names tensor '" + tensor.name() + "' twice");
            }
            tensors.add(tensor);
        }
        return tensors;
    }

    private Tensor tensor(JsonParser parser, JsonToken start, String where) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw KeelException.invalid("'" + where + "' must be an object with name, shape, datatype and data");
        }
        String name = null;
        Datatype datatype = null;
        long[] shape = null;
        TensorValues data = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, value, where + ".name");
                case "datatype" -> datatype = Datatype.parse(where + ".datatype", text(parser, value, where + ".datatype"));
                case "shape" -> shape = shape(parser, value, where + ".shape");
                case "data" -> data = TensorValues.read(parser, name == null ? where : name, maxValues);
                default -> parser.skipChildren(); // "parameters": binary_data_size and friends are not supported
            }
        }
        String label = name == null ? where : "tensor '" + name + "'";
        if (name == null || name.isBlank()) {
            throw KeelException.invalid("missing value for '" + where + ".name'");
        }
        if (datatype == null) {
            throw KeelException.invalid("missing value for '" + where + ".datatype' (" + label + ")");
        }
        if (shape == null) {
            throw KeelException.invalid("missing value for '" + where + ".shape' (" + label + ")");
        }
        if (data == null) {
            throw KeelException.invalid("missing value for '" + where + ".data' (" + label + "); binary tensor data is"
                    + " not supported, send the values as JSON");
        }
        return new Tensor(name, datatype, shape, data.as(datatype));
    }

    private static long[] shape(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw KeelException.invalid("'" + field + "' must be an array of dimensions");
        }
        long[] dims = new long[4];
        int rank = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw KeelException.invalid("'" + field + "' must hold non-negative integers (got " + parser.getText() + ")");
            }
            if (rank == Tensor.MAX_RANK) {
                throw KeelException.invalid("'" + field + "' has more than " + Tensor.MAX_RANK + " dimensions");
            }
            if (rank == dims.length) {
                dims = java.util.Arrays.copyOf(dims, dims.length * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return java.util.Arrays.copyOf(dims, rank);
    }

    private static List<String> outputs(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw KeelException.invalid("'outputs' must be an array of {\"name\": …} objects");
        }
        List<String> names = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            String where = "outputs[" + names.size() + "]";
            if (token != JsonToken.START_OBJECT) {
                throw KeelException.invalid("'" + where + "' must be an object with a 'name'");
            }
            if (names.size() == MAX_TENSORS) {
                throw KeelException.invalid("'outputs' names more than " + MAX_TENSORS + " tensors");
            }
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                if (field.equals("name")) {
                    name = text(parser, fieldValue, where + ".name");
                } else {
                    parser.skipChildren();
                }
            }
            if (name == null || name.isBlank()) {
                throw KeelException.invalid("missing value for '" + where + ".name'");
            }
            names.add(name);
        }
        return names;
    }

    private static String text(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw KeelException.invalid("'" + field + "' must be a string (got " + TensorValues.describe(value) + ")");
        }
        return parser.getText();
    }
}
