package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model on ONNX Runtime: one session, shared by every request (ONNX Runtime supports
 * concurrent {@code run} calls on one session).
 *
 * <p>Session options are chosen for many small concurrent requests: every graph optimization,
 * sequential execution, and {@link RuntimeOptions#intraOpThreads()} threads per call (1 by
 * default). Small inputs are written into tensors the thread kept from an earlier call, and
 * small outputs computed into kept ones ({@link ReusedTensors}); other inputs go to ONNX Runtime
 * over reused direct buffers ({@link OnnxInputs}). Outputs are copied out ({@link OnnxOutputs}),
 * and every tensor and result not kept is closed before a call returns. The signature is the graph's own, as the session reports it — what ONNX Runtime
 * will enforce — with score maps shown as the tensors they are served as.
 */
public final class OnnxModelRuntime extends CheckedRuntime {
    /** One environment per JVM, as ONNX Runtime requires; its first caller sets the log level. */
    private static final OrtEnvironment ENVIRONMENT =
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "keel");

    private final OrtSession session;
    private final Map<String, Integer> outputPositions;
    private final InFlightCalls calls;
    /** Per output: its shape with the batch first when it can be pinned ({@link #pinned}), else null. */
    private final long[][] pinnableOutputs;
    private final Datatype[] outputTypes;
    /** Cleared for good once pinning proved wrong for this model. */
    private volatile boolean pinning = true;

    private OnnxModelRuntime(ModelKey key, OrtSession session, Signature signature, NonFiniteInputs nonFinite,
                             Map<String, NodeInfo> outputInfo) {
        super(key, Flavor.ONNX, signature, nonFinite);
        this.session = session;
        this.calls = new InFlightCalls(() -> closeQuietly(session));
        this.outputPositions = new HashMap<>();
        for (TensorSpec output : signature.outputs()) {
            outputPositions.put(output.name(), outputPositions.size());
        }
        this.pinnableOutputs = new long[signature.outputs().size()][];
        this.outputTypes = new Datatype[signature.outputs().size()];
        for (int position = 0; position < pinnableOutputs.length; position++) {
            NodeInfo node = outputInfo.get(signature.outputs().get(position).name());
            if (node != null && node.getInfo() instanceof TensorInfo tensor) {
                outputTypes[position] = OnnxTypes.datatype(tensor.onnxType).orElse(null);
                pinnableOutputs[position] = outputTypes[position] == null ? null : batchFirst(tensor.getShape());
            }
        }
    }

    /** {@code shape} when it is the batch ({@code -1}) followed by known sizes, else null. */
    private static long[] batchFirst(long[] shape) {
        if (shape.length == 0 || shape[0] != -1) {
            return null;
        }
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 1) {
                return null;
            }
        }
        return shape.clone();
    }

    /**
     * Opens {@code modelFile} (files it references, such as external weights, are read from its
     * directory). Refused with the input or output named when Keel cannot serve the graph.
     */
    public static OnnxModelRuntime open(ModelKey key, Path modelFile, NonFiniteInputs nonFinite, RuntimeOptions options) {
        OrtSession session;
        try (SessionOptions sessionOptions = sessionOptions(options)) {
            session = ENVIRONMENT.createSession(modelFile.toString(), sessionOptions);
        } catch (OrtException e) {
            throw new KeelException(ErrorCode.INVALID_PARAMETER_VALUE, key + " cannot be served: ONNX Runtime "
                    + "could not load model file '" + modelFile.getFileName() + "': " + e.getMessage(), e);
        }
        try {
            List<TensorSpec> inputs = new ArrayList<>();
            for (NodeInfo input : session.getInputInfo().values()) {
                inputs.add(OnnxTypes.inputSpec(key, input));
            }
            List<TensorSpec> outputs = new ArrayList<>();
            for (NodeInfo output : session.getOutputInfo().values()) {
                outputs.add(OnnxTypes.outputSpec(key, output));
            }
            return new OnnxModelRuntime(key, session, new Signature(inputs, outputs), nonFinite, session.getOutputInfo());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof KeelException keel) {
                throw keel;
            }
            throw new KeelException(ErrorCode.INTERNAL_ERROR, key + " cannot be served: " + e.getMessage(), e);
        }
    }

    private static SessionOptions sessionOptions(RuntimeOptions options) throws OrtException {
        SessionOptions sessionOptions = new SessionOptions();
        sessionOptions.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
        sessionOptions.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
        sessionOptions.setInterOpNumThreads(1);
        // a failing request is reported to its caller in full; ONNX Runtime's own line on stderr
        // for each one would only flood the log of a server under a faulty model
        sessionOptions.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return sessionOptions;
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs, List<String> outputs) {
        Tensor[] ordered = checked(inputs);
        Set<String> wanted = wanted(outputs);
        if (!calls.enter()) {
            throw InferenceFailure.of(key(), new IllegalStateException("the runtime was closed"));
        }
        try {
            return run(ordered, wanted, outputs);
        } finally {
            calls.exit();
        }
    }

    private List<Tensor> run(Tensor[] ordered, Set<String> wanted, List<String> outputs) {
        OnnxInputs.Arena arena = OnnxInputs.arena();
        ReusedTensors reused = arena.reused();
        OnnxTensor[] feeds = new OnnxTensor[ordered.length];
        boolean[] owned = new boolean[ordered.length];
        try {
            int bytes = 0;
            for (Tensor tensor : ordered) {
                if (reused == null || !ReusedTensors.reusable(tensor.datatype(), tensor.shape())) {
                    bytes += OnnxInputs.directBytes(tensor.datatype(), tensor.data().length());
                }
            }
            arena.reserve(bytes);
            for (int i = 0; i < ordered.length; i++) {
                Tensor tensor = ordered[i];
                if (reused != null && ReusedTensors.reusable(tensor.datatype(), tensor.shape())) {
                    feeds[i] = reused.input(ENVIRONMENT, i, tensor);
                } else {
                    feeds[i] = arena.tensor(ENVIRONMENT, tensor);
                    owned[i] = true;
                }
            }
            Map<String, OnnxTensor> given = named(feeds);
            Map<String, OnnxTensor> pinned = reused == null || !pinning ? null : pinned(reused, ordered, wanted);
            if (pinned != null) {
                try (OrtSession.Result result = session.run(given, pinned)) {
                    return collect(result, outputs);
                } catch (OrtException e) {
                    // run again below the usual way: if that succeeds, this model's outputs are not
                    // [rows, ...] as its signature suggests, and are never pinned again
                    List<Tensor> answer = runUnpinned(given, wanted, outputs);
                    pinning = false;
                    return answer;
                }
            }
            return runUnpinned(given, wanted, outputs);
        } catch (OrtException e) {
            throw failure(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw InferenceFailure.of(key(), e);
        } finally {
            for (int i = 0; i < feeds.length; i++) {
                if (owned[i]) {
                    feeds[i].close();
                }
            }
            arena.release();
        }
    }

    private List<Tensor> runUnpinned(Map<String, OnnxTensor> given, Set<String> wanted, List<String> outputs)
            throws OrtException {
        try (OrtSession.Result result = wanted == null ? session.run(given) : session.run(given, wanted)) {
            return collect(result, outputs);
        }
    }

    private Map<String, OnnxTensor> named(OnnxTensor[] feeds) {
        if (feeds.length == 1) {
            return Collections.singletonMap(contract().name(0), feeds[0]);
        }
        Map<String, OnnxTensor> named = new HashMap<>(feeds.length * 2);
        for (int i = 0; i < feeds.length; i++) {
            named.put(contract().name(i), feeds[i]);
        }
        return named;
    }

    /**
     * Kept tensors for the outputs to be computed into ({@link ReusedTensors}), or null to let
     * ONNX Runtime create them. Pinned only when every output asked for is a tensor whose shape
     * is the batch and then known sizes ({@code [-1, 3]}), and every input has the same number
     * of rows: the outputs are then taken to have that many rows. ONNX Runtime checks a pinned
     * output's shape against the one it computes and fails the call when they differ, which
     * {@link #run} answers by computing the outputs the usual way.
     */
    private Map<String, OnnxTensor> pinned(ReusedTensors reused, Tensor[] ordered, Set<String> wanted)
            throws OrtException {
        long rows = -1;
        for (Tensor tensor : ordered) {
            if (tensor.shape().length == 0 || (rows != -1 && tensor.shape()[0] != rows)) {
                return null;
            }
            rows = tensor.shape()[0];
        }
        if (rows < 1) {
            return null;
        }
        Collection<String> names = wanted == null ? outputPositions.keySet() : wanted;
        if (names.size() == 1) {
            // the common case, without a map of its own
            String name = names.iterator().next();
            OnnxTensor only = pinnedOutput(reused, outputPositions.get(name), rows);
            return only == null ? null : Collections.singletonMap(name, only);
        }
        Map<String, OnnxTensor> pinned = new HashMap<>(names.size() * 2);
        for (String name : names) {
            OnnxTensor output = pinnedOutput(reused, outputPositions.get(name), rows);
            if (output == null) {
                return null;
            }
            pinned.put(name, output);
        }
        return pinned;
    }

    private OnnxTensor pinnedOutput(ReusedTensors reused, int position, long rows) throws OrtException {
        long[] template = pinnableOutputs[position];
        if (template == null) {
            return null;
        }
        long[] shape = template.clone();
        shape[0] = rows;
        Datatype type = outputTypes[position];
        return ReusedTensors.reusable(type, shape) ? reused.output(ENVIRONMENT, position, type, shape) : null;
    }

    private List<Tensor> collect(OrtSession.Result result, List<String> outputs) throws OrtException {
        if (outputs == null || outputs.isEmpty()) {
            List<Tensor> tensors = new ArrayList<>(signature().outputs().size());
            for (TensorSpec output : signature().outputs()) {
                tensors.add(output(result, output.name()));
            }
            return tensors;
        }
        List<Tensor> tensors = new ArrayList<>(outputs.size());
        Set<String> seen = new HashSet<>();
        for (String name : outputs) {
            if (seen.add(name)) {
                tensors.add(output(result, name));
            }
        }
        return tensors;
    }

    private static Tensor output(OrtSession.Result result, String name) throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException(
                "ONNX Runtime returned no output '" + name + "'"));
        return OnnxOutputs.convert(name, value);
    }

    /**
     * ONNX Runtime says INVALID_ARGUMENT when the inputs do not fit the graph in a way its
     * signature could not say (two inputs whose batch sizes must agree, a scalar given a rank):
     * the caller's mistake, a 400. Anything else is the model failing: a 500 for this request.
     */
    private KeelException failure(OrtException e) {
        if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
            return KeelException.invalid(key() + " refused the inputs: " + e.getMessage()
                    .replace("Error code - ORT_INVALID_ARGUMENT - message: ", "").strip());
        }
        return InferenceFailure.of(key(), e);
    }

    /**
     * Closes the session once the calls running on it have returned ({@link InFlightCalls});
     * {@link LoadedModels} goes further and waits for every lease, so no call even starts late.
     */
    @Override
    public void close() {
        calls.close();
    }

    /** Whether outputs are still computed into kept tensors: false once that proved wrong for this model. */
    boolean pinsOutputs() {
        return pinning;
    }

    boolean isClosed() {
        return calls.isClosed();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to do: the session's native memory is released either way
        }
    }
}
