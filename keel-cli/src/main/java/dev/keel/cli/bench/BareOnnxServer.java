package dev.keel.cli.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The floor the serving benchmark compares Keel with (issue 5: "a bare Javalin handler calling
 * ONNX Runtime"): one Javalin route, {@code POST /v2/models/{name}/infer}, that takes the same
 * OIP body Keel takes, parses it with Jackson into a tree, copies the first input's flat
 * {@code data} into a float buffer of the given {@code shape}, runs the session and writes the
 * first output as an OIP response with a Jackson generator. Nothing else: no routing, no
 * validation beyond what a missing field throws, no metrics, no headers, no size limit. The
 * session has the options Keel's ONNX runtime uses (all graph optimisations, sequential, one
 * intra-op and one inter-op thread); Javalin has Keel's settings (no compression, no banner).
 */
final class BareOnnxServer implements AutoCloseable {
    private final Javalin app;
    private final OrtSession session;

    private BareOnnxServer(Javalin app, OrtSession session) {
        this.app = app;
        this.session = session;
    }

    static BareOnnxServer start(byte[] onnx) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(onnx, options);
        }
        ObjectMapper mapper = new ObjectMapper();
        String inputName = session.getInputNames().iterator().next();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.routes.addHttpHandler(HandlerType.POST, "/v2/models/{name}/infer",
                    ctx -> infer(ctx, mapper, environment, session, inputName));
        });
        app.start("127.0.0.1", 0);
        return new BareOnnxServer(app, session);
    }

    private static void infer(Context ctx, ObjectMapper mapper, OrtEnvironment environment, OrtSession session,
                              String inputName) throws IOException, OrtException {
        JsonNode input = mapper.readTree(ctx.bodyInputStream()).get("inputs").get(0);
        JsonNode shapeNode = input.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode data = input.get("data");
        FloatBuffer values = FloatBuffer.allocate(data.size());
        for (JsonNode value : data) {
            values.put(value.floatValue());
        }
        values.flip();
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, values, shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor));
             JsonGenerator out = mapper.getFactory().createGenerator(body)) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] outputShape = output.getInfo().getShape();
            FloatBuffer outputs = output.getFloatBuffer();
            out.writeStartObject();
            out.writeStringField("model_name", ctx.pathParam("name"));
            out.writeArrayFieldStart("outputs");
            out.writeStartObject();
            out.writeStringField("name", session.getOutputNames().iterator().next());
            out.writeStringField("datatype", "FP32");
            out.writeArrayFieldStart("shape");
            for (long dimension : outputShape) {
                out.writeNumber(dimension);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("data");
            while (outputs.hasRemaining()) {
                out.writeNumber(outputs.get());
            }
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
        }
        ctx.contentType("application/json").result(body.toByteArray());
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    @Override
    public void close() throws OrtException {
        app.stop();
        session.close();
    }
}
