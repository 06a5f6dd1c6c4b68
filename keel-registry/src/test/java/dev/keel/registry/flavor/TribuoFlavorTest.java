package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.keel.registry.flavor.InspectionRefusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

class TribuoFlavorTest {
    @Test
    void a_tribuo_file_is_the_tribuo_flavor_with_one_input_per_feature_and_label_and_probabilities_out() {
        var files = new FilesInMemory().with("model.tribuo", TinyClassifier.protobuf());

        Inspection inspection = ModelInspector.inspect(files);

        assertThat(inspection.flavor()).isEqualTo(Flavor.TRIBUO);
        assertThat(inspection.flavor().wireName()).isEqualTo("tribuo");
        assertThat(inspection.modelFile()).isEqualTo("model.tribuo");
        // feature ids follow the names' sorted order, whatever order training saw them in
        assertThat(inspection.signature()).isEqualTo(new Signature(
                List.of(new TensorSpec("age", "float64", List.of(-1L)),
                        new TensorSpec("debt", "float64", List.of(-1L)),
                        new TensorSpec("income", "float64", List.of(-1L)),
                        new TensorSpec("tenure", "float64", List.of(-1L))),
                List.of(new TensorSpec("label", "string", List.of(-1L)),
                        new TensorSpec("probabilities", "float64", List.of(-1L, 2L)))));
    }

    @Test
    void a_java_serialized_model_is_refused_because_loading_it_runs_code() {
        assertRefused(new FilesInMemory().with("model.ser", TinyClassifier.javaSerialized()),
                "'model.ser'", "Java serialization", "runs code", "OWASP");
    }

    @Test
    void a_java_serialized_model_is_refused_even_when_named_like_a_tribuo_file() {
        assertRefused(new FilesInMemory().with("model.tribuo", TinyClassifier.javaSerialized()),
                "'model.tribuo'", "Java serialization");
    }

    @Test
    void garbage_named_like_a_tribuo_file_is_refused_naming_the_file() {
        assertRefused(new FilesInMemory().with("model.tribuo", new byte[]{(byte) 0xFF, 0x13, 0x37, 0x00, 0x42}),
                "'model.tribuo'");
    }

    @Test
    void an_empty_tribuo_file_is_refused_naming_the_file() {
        assertRefused(new FilesInMemory().with("model.tribuo", new byte[0]), "'model.tribuo' is not a Tribuo model");
    }

    @Test
    void a_tribuo_file_naming_a_class_that_is_not_a_model_is_refused_without_loading_it() {
        byte[] notAModel = org.tribuo.protos.core.ModelProto.newBuilder()
                .setClassName("java.lang.Runtime").setVersion(0)
                .setSerializedData(com.google.protobuf.Any.getDefaultInstance()).build().toByteArray();

        assertRefused(new FilesInMemory().with("model.tribuo", notAModel),
                "'model.tribuo'", "'java.lang.Runtime', which is not a Tribuo model");
    }
}
