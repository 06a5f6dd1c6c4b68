package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.keel.registry.flavor.InspectionRefusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class MlflowFlavorTest {
    /** What mlflow.onnx.log_model writes (MLflow 2.16), trimmed of nothing Keel reads. */
    private static final String ONNX_MLMODEL = """
            artifact_path: model
            flavors:
              onnx:
                code: null
                onnx_model: model.onnx
                onnx_version: 1.16.2
                providers:
                - CUDAExecutionProvider
                - CPUExecutionProvider
              python_function:
                data: model.onnx
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.onnx
                python_version: 3.11.9
            mlflow_version: 2.16.0
            model_size_bytes: 1021
            model_uuid: 6c3c1d1b3f5d4b0e9a6f2b8a0f1e2d3c
            run_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
            %s
            utc_time_created: '2024-09-10 12:00:00.000000'
            """;

    private FilesInMemory mlflowOnnxModel(String signature) {
        return new FilesInMemory()
                .with("MLmodel", ONNX_MLMODEL.formatted(signature))
                .with("model.onnx", TinyClassifier.onnx())
                .with("conda.yaml", "name: mlflow-env\n")
                .with("python_env.yaml", "python: 3.11.9\n")
                .with("requirements.txt", "mlflow==2.16.0\nonnx==1.16.2\n");
    }

    @Test
    void an_mlmodel_with_an_onnx_flavor_names_the_model_file_and_the_graph_gives_the_signature() {
        Inspection inspection = ModelInspector.inspect(mlflowOnnxModel(""));

        assertThat(inspection.flavor()).isEqualTo(Flavor.ONNX);
        assertThat(inspection.modelFile()).isEqualTo("model.onnx");
        assertThat(inspection.signature()).isEqualTo(TinyClassifier.ONNX_SIGNATURE);
    }

    @Test
    void an_mlmodel_signature_of_tensor_specs_wins_and_an_unnamed_tensor_takes_the_graphs_name() {
        String signature = """
                signature:
                  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'
                  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}, "name": "scores"}]'
                  params: null""";

        Inspection inspection = ModelInspector.inspect(mlflowOnnxModel(signature));

        assertThat(inspection.signature()).isEqualTo(new Signature(
                List.of(new TensorSpec("input", "float32", List.of(-1L, 4L))),
                List.of(new TensorSpec("scores", "float32", List.of(-1L, 2L)))));
    }

    @Test
    void an_mlmodel_with_keels_tribuo_flavor_and_a_column_signature_states_the_inputs() {
        String mlmodel = """
                artifact_path: model
                run_id: 0a1b2c3d
                flavors:
                  tribuo:
                    model_file: model.tribuo
                    format: protobuf
                    tribuo_version: 4.3.2
                    model_class: org.tribuo.classification.sgd.linear.LinearSGDModel
                signature:
                  inputs: '[{"name": "income", "type": "double"}, {"name": "age", "type": "long", "required": true}, {"name": "region", "type": "string"}, {"name": "member", "type": "boolean"}]'
                """;
        var files = new FilesInMemory().with("MLmodel", mlmodel).with("model.tribuo", TinyClassifier.protobuf());

        Inspection inspection = ModelInspector.inspect(files);

        assertThat(inspection.flavor()).isEqualTo(Flavor.TRIBUO);
        assertThat(inspection.modelFile()).isEqualTo("model.tribuo");
        assertThat(inspection.signature().inputs()).containsExactly(
                new TensorSpec("income", "float64", List.of(-1L)),
                new TensorSpec("age", "int64", List.of(-1L)),
                new TensorSpec("region", "string", List.of(-1L)),
                new TensorSpec("member", "bool", List.of(-1L)));
        // no outputs stated: the model's own
        assertThat(inspection.signature().outputs()).containsExactly(
                new TensorSpec("label", "string", List.of(-1L)),
                new TensorSpec("probabilities", "float64", List.of(-1L, 2L)));
    }

    @Test
    void an_mlmodel_without_an_onnx_or_tribuo_flavor_is_refused_naming_the_flavors_it_has() {
        String mlmodel = """
                artifact_path: model
                flavors:
                  python_function:
                    loader_module: mlflow.sklearn
                    model_path: model.pkl
                    python_version: 3.11.9
                  sklearn:
                    pickled_model: model.pkl
                    serialization_format: cloudpickle
                    sklearn_version: 1.5.1
                """;

        assertRefused(new FilesInMemory().with("MLmodel", mlmodel).with("model.pkl", new byte[]{(byte) 0x80, 4}),
                "[python_function, sklearn]", "'onnx' and 'tribuo'");
    }

    @Test
    void an_mlmodel_naming_a_missing_onnx_file_is_refused_naming_it() {
        assertRefused(new FilesInMemory().with("MLmodel", ONNX_MLMODEL.formatted("")),
                "'model.onnx', which is not among the model files");
    }

    @Test
    void an_onnx_flavor_without_its_model_file_field_is_refused() {
        assertRefused(new FilesInMemory().with("MLmodel", "flavors:\n  onnx:\n    onnx_version: 1.16.2\n"),
                "flavors.onnx.onnx_model");
    }

    @Test
    void an_mlmodel_that_is_not_yaml_is_refused_naming_it() {
        assertRefused(new FilesInMemory().with("MLmodel", "flavors: [onnx: {\n").with("model.onnx", new byte[0]),
                "'MLmodel' is not valid YAML");
    }

    @Test
    void an_mlmodel_signature_that_is_not_json_is_refused_naming_the_field() {
        assertRefused(mlflowOnnxModel("signature:\n  inputs: '[{\"type\": \"tensor\"'\n"),
                "signature.inputs is not valid JSON");
    }

    @Test
    void a_tensor_spec_without_dtype_and_shape_is_refused_naming_its_position() {
        assertRefused(mlflowOnnxModel("signature:\n  outputs: '[{\"type\": \"tensor\", \"name\": \"y\"}]'\n"),
                "signature.outputs[0]");
    }
}
