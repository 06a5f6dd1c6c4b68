package dev.keel.serving.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.flavor.Flavor;
import dev.keel.registry.flavor.Signature;
import dev.keel.registry.flavor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model on ONNX Runtime: one session, shared by every request (ONNX Runtime supports
 * concurrent {@code run} calls on one session).
 *
 * <p>Session options are chosen for many small concurrent requests: every graph optimization,
 * sequential execution, and {@link RuntimeOptions#intraOpThreads()} threads per call (1 by
 * default). Inputs go to ONNX Runtime over reused direct buffers ({@link OnnxInputs}); outputs
 * are copied out ({@link OnnxOutputs}) and every native tensor and result is closed before a
 * call returns. The signature is the graph's own, as the session reports it — what ONNX Runtime
 * will enforce — with score maps shown as the tensors they are served as.
 */
public final class OnnxModelRuntime implements ModelRuntime {
    /** One environment per JVM, as ONNX Runtime requires; its first caller sets the log level. */
    private static final OrtEnvironment ENVIRONMENT =
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "keel");

    private final ModelKey key;
    private final OrtSession session;
    private final Signature signature;
    private final InputContract contract;
    private final Map<String, Integer> outputPositions;
    private final InFlightCalls calls;

    private OnnxModelRuntime(ModelKey key, OrtSession session, Signature signature, NonFiniteInputs nonFinite) {
        this.key = key;
        this.session = session;
        this.signature = signature;
        this.calls = new InFlightCalls(() -> closeQuietly(session));
        this.contract = new InputContract(key, signature.inputs(), nonFinite);
        this.outputPositions = new HashMap<>();
        for (TensorSpec output : signature.outputs()) {
            outputPositions.put(output.name(), outputPositions.size());
        }
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
            return new OnnxModelRuntime(key, session, new Signature(inputs, outputs), nonFinite);
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
    public ModelKey key() {
        return key;
    }

    @Override
    public Flavor flavor() {
        return Flavor.ONNX;
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public List<Tensor> check(List<Tensor> inputs) {
        return java.util.Arrays.asList(contract.check(inputs));
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs, List<String> outputs) {
        Tensor[] ordered = contract.check(inputs);
        Set<String> wanted = wanted(outputs);
        if (!calls.enter()) {
            throw InferenceFailure.of(key, new IllegalStateException("the runtime was closed"));
        }
        try {
            return run(ordered, wanted, outputs);
        } finally {
            calls.exit();
        }
    }

    private List<Tensor> run(Tensor[] ordered, Set<String> wanted, List<String> outputs) {
        OnnxInputs.Arena arena = OnnxInputs.arena();
        Map<String, OnnxTensor> feeds = ordered.length == 1 ? null : new HashMap<>(ordered.length * 2);
        OnnxTensor single = null;
        try {
            int bytes = 0;
            for (Tensor tensor : ordered) {
                bytes += OnnxInputs.directBytes(tensor.datatype(), tensor.data().length());
            }
            arena.reserve(bytes);
            if (ordered.length == 1) {
                single = arena.tensor(ENVIRONMENT, ordered[0]);
            } else {
                for (int i = 0; i < ordered.length; i++) {
                    feeds.put(contract.name(i), arena.tensor(ENVIRONMENT, ordered[i]));
                }
            }
            Map<String, OnnxTensor> given = single != null ? Collections.singletonMap(contract.name(0), single) : feeds;
            try (OrtSession.Result result = wanted == null ? session.run(given) : session.run(given, wanted)) {
                return collect(result, outputs);
            }
        } catch (OrtException e) {
            throw failure(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw InferenceFailure.of(key, e);
        } finally {
            if (single != null) {
                single.close();
            }
            if (feeds != null) {
                feeds.values().forEach(OnnxTensor::close);
            }
            arena.release();
        }
    }

    /** Null for every output; otherwise the names asked for, each checked. */
    private Set<String> wanted(List<String> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            return null;
        }
        Set<String> wanted = new LinkedHashSet<>(outputs);
        for (String name : wanted) {
            if (!outputPositions.containsKey(name)) {
                throw KeelException.invalid("output '" + name + "' is not an output of " + key + "; its outputs are "
                        + outputPositions.keySet().stream().sorted().toList());
            }
        }
        return wanted;
    }

    private List<Tensor> collect(OrtSession.Result result, List<String> outputs) throws OrtException {
        if (outputs == null || outputs.isEmpty()) {
            List<Tensor> tensors = new ArrayList<>(signature.outputs().size());
            for (TensorSpec output : signature.outputs()) {
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
            return KeelException.invalid(key + " refused the inputs: " + e.getMessage()
                    .replace("Error code - ORT_INVALID_ARGUMENT - message: ", "").strip());
        }
        return InferenceFailure.of(key, e);
    }

    /**
     * Closes the session once the calls running on it have returned ({@link InFlightCalls});
     * {@link LoadedModels} goes further and waits for every lease, so no call even starts late.
     */
    @Override
    public void close() {
        calls.close();
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
