package dev.keel.server.http;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.api.http.Operation;
import dev.keel.api.http.Payload;
import dev.keel.api.http.QueryParameter;
import dev.keel.server.http.ErrorResponses.ErrorBody;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OpenAPI 3 document of the native API, generated from the very route table the server
 * registers, with schemas read from the records through the same Jackson configuration that
 * serialises them: a route or a field cannot be added without appearing here.
 */
public final class OpenApiDocument {
    private final ObjectMapper mapper;
    private final ObjectNode schemas;

    private OpenApiDocument(ObjectMapper mapper) {
        this.mapper = mapper;
        this.schemas = mapper.createObjectNode();
    }

    public static ObjectNode of(List<Route> routes, ObjectMapper mapper, String version) {
        return new OpenApiDocument(mapper).document(routes, version);
    }

    private ObjectNode document(List<Route> routes, String version) {
        ObjectNode root = mapper.createObjectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", "Keel native API");
        info.put("version", version);
        info.put("description", "Experiment tracking, the model registry, approvals, the audit trail, users, tokens and "
                + "permissions over HTTP. JSON names are snake_case; metric values NaN, "
                + "Infinity and -Infinity are the strings \"NaN\", \"Infinity\", \"-Infinity\". Every error is "
                + "{\"error_code\", \"message\"} with the status of its code.");
        ObjectNode paths = root.putObject("paths");
        JavaType error = mapper.constructType(ErrorBody.class);
        for (Route route : routes) {
            Operation<?, ?> described = route.operation();
            ObjectNode item = paths.has(described.openApiPath()) ? (ObjectNode) paths.get(described.openApiPath())
                    : paths.putObject(described.openApiPath());
            item.set(described.method().name().toLowerCase(Locale.ROOT), operation(described, error));
        }
        root.putObject("components").set("schemas", schemas);
        return root;
    }

    private ObjectNode operation(Operation<?, ?> route, JavaType error) {
        ObjectNode operation = mapper.createObjectNode();
        operation.put("summary", route.summary());
        operation.put("operationId", operationId(route));
        ArrayNode parameters = mapper.createArrayNode();
        for (String name : route.pathParameters()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", name);
            parameter.put("in", "path");
            parameter.put("required", true);
            parameter.set("schema", mapper.createObjectNode().put("type", "string"));
            if (route.path().contains("<" + name + ">")) {
                parameter.put("description", "may contain '/'; each segment percent-encoded");
            }
        }
        for (QueryParameter query : route.query()) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", query.name());
            parameter.put("in", "query");
            parameter.put("required", false);
            parameter.put("description", query.description());
            ObjectNode schema = schema(mapper.constructType(query.type()));
            if (query.repeated()) {
                parameter.put("explode", true);
                schema = mapper.createObjectNode().put("type", "array").set("items", schema);
            }
            parameter.set("schema", schema);
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        if (!(route.request() instanceof Payload.None)) {
            ObjectNode body = operation.putObject("requestBody");
            body.put("required", true);
            body.set("content", content(route.request()));
        }
        ObjectNode responses = operation.putObject("responses");
        ObjectNode success = responses.putObject(String.valueOf(route.status()));
        success.put("description", route.status() == 204 ? "done" : "success");
        if (!(route.response() instanceof Payload.None)) {
            success.set("content", content(route.response()));
        }
        ObjectNode failure = responses.putObject("default");
        failure.put("description", "an error: 400 bad input, 404 unknown id or route, 413 body too large, 500 internal");
        failure.set("content", content(new Payload.Json(error)));
        return operation;
    }

    private ObjectNode content(Payload payload) {
        ObjectNode content = mapper.createObjectNode();
        // Java 17: no pattern matching in switch yet
        if (payload instanceof Payload.Json json) {
            content.putObject(JsonBodies.JSON).set("schema", schema(mapper.constructType(json.type())));
        } else if (payload instanceof Payload.Binary) {
            content.putObject("application/octet-stream").putObject("schema").put("type", "string").put("format", "binary");
        } else if (payload instanceof Payload.JsonLines lines) {
            content.putObject("application/x-ndjson").set("schema", schema(mapper.constructType(lines.type())));
        } else if (payload instanceof Payload.Text) {
            content.putObject("text/plain").putObject("schema").put("type", "string");
        }
        return content;
    }

    /** The JSON schema of a Java type; records become named components. */
    private ObjectNode schema(JavaType type) {
        Class<?> raw = type.getRawClass();
        ObjectNode schema = mapper.createObjectNode();
        if (raw == Object.class || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(raw)) {
            return schema.put("type", "object");
        }
        if (raw == String.class) {
            return schema.put("type", "string");
        }
        if (raw == int.class || raw == Integer.class) {
            return schema.put("type", "integer").put("format", "int32");
        }
        if (raw == long.class || raw == Long.class) {
            return schema.put("type", "integer").put("format", "int64");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            ArrayNode oneOf = schema.putArray("oneOf");
            oneOf.addObject().put("type", "number").put("format", "double");
            oneOf.addObject().put("type", "string").putArray("enum").add("NaN").add("Infinity").add("-Infinity");
            return schema;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return schema.put("type", "boolean");
        }
        if (raw.isEnum()) {
            ArrayNode values = schema.put("type", "string").putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return schema;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            schema.set("items", schema(type.getContentType()));
            return schema;
        }
        if (Map.class.isAssignableFrom(raw)) {
            schema.put("type", "object");
            schema.set("additionalProperties", schema(type.getContentType()));
            return schema;
        }
        String name = componentName(type);
        if (!schemas.has(name)) {
            ObjectNode component = schemas.putObject(name);  // reserved first: records may refer to themselves
            component.put("type", "object");
            ObjectNode properties = component.putObject("properties");
            BeanDescription description = mapper.getSerializationConfig().introspect(type);
            for (BeanPropertyDefinition property : description.findProperties()) {
                properties.set(property.getName(), schema(property.getPrimaryType()));
            }
        }
        return schema.put("$ref", "#/components/schemas/" + name);
    }

    private static String componentName(JavaType type) {
        String own = type.getRawClass().getSimpleName();
        if (type.getBindings().isEmpty()) {
            return own;
        }
        return type.getBindings().getTypeParameters().stream().map(t -> t.getRawClass().getSimpleName())
                .collect(Collectors.joining()) + own;
    }

    private static String operationId(Operation<?, ?> route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String segment : route.path().split("/")) {
            if (segment.isEmpty() || segment.equals("api") || segment.equals("v1")) {
                continue;
            }
            String word = segment.replaceAll("[{}<>]", "").replace("-", "_");
            for (String part : word.split("_")) {
                if (!part.isEmpty()) {
                    id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
        }
        return id.toString();
    }
}
