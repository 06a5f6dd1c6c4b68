package dev.keel.serving.runtime;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.Blobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resolving references, verifying digests and caching files, from a real registry and from local directories. */
class ModelLoaderTest {
    private static final LogisticModel TRAINED = LogisticModel.train(3);
    private static final double[][] ROWS = LogisticModel.rows(5, 4);

    @TempDir
    Path dir;
    private TestRegistry registry;
    private ModelLoader loader;

    @BeforeEach
    void open() {
        registry = new TestRegistry(dir);
        loader = registry.loader(dir.resolve("cache"));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void a_reference_resolves_by_version_alias_or_stage() {
        registry.register("scorer", TRAINED.onnxDirectory(dir));
        registry.register("scorer", TRAINED.tribuoDirectory(dir));
        registry.registry.setAlias(TestRegistry.ALICE, "scorer", "champion", 2);
        registry.registry.transitionStage(TestRegistry.ALICE, "scorer", 1, Stage.PRODUCTION, false);

        assertThat(loader.resolve(ModelReference.parse("model", "models:/scorer/1"))).isEqualTo(new ModelKey("scorer", 1));
        assertThat(loader.resolve(ModelReference.parse("model", "models:/scorer@champion"))).isEqualTo(new ModelKey("scorer", 2));
        assertThat(loader.resolve(ModelReference.parse("model", "models:/scorer/Production"))).isEqualTo(new ModelKey("scorer", 1));
    }

    @Test
    void a_reference_to_nothing_is_a_404_naming_what_is_missing() {
        registry.register("scorer", TRAINED.onnxDirectory(dir));

        notFound(() -> loader.resolve(ModelReference.parse("model", "models:/scorer/7")), "version 7");
        notFound(() -> loader.resolve(ModelReference.parse("model", "models:/scorer@champion")), "'champion'");
        notFound(() -> loader.resolve(ModelReference.parse("model", "models:/scorer/Staging")), "stage Staging");
        notFound(() -> loader.resolve(ModelReference.parse("model", "models:/nobody/1")), "'nobody'");
    }

    @Test
    void a_file_tampered_with_in_the_store_is_refused_naming_it() throws IOException {
        ModelVersion version = registry.register("scorer", TRAINED.onnxDirectory(dir));
        Blobs.corrupt(registry.artifacts, version.manifest().file("model.onnx").sha256());

        assertThatThrownBy(() -> loader.open(new ModelKey("scorer", 1)))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_CONFLICT))
                .hasMessageContaining("'model.onnx'");
        assertThat(cachedFiles()).isEmpty();
    }

    @Test
    void a_damaged_cached_copy_is_fetched_again_and_verified() throws IOException {
        registry.register("scorer", TRAINED.onnxDirectory(dir));
        float[] expected;
        try (ModelRuntime runtime = loader.open(new ModelKey("scorer", 1))) {
            expected = runtime.predict(List.of(LogisticModel.onnxInput(ROWS))).get(0).floats();
        }
        Path cached = cachedFiles().get(0);
        Files.write(cached, new byte[]{1, 2, 3});

        try (ModelRuntime runtime = loader.open(new ModelKey("scorer", 1))) {
            assertThat(runtime.predict(List.of(LogisticModel.onnxInput(ROWS))).get(0).floats()).containsExactly(expected);
        }
        assertThat(Files.readAllBytes(cached)).isEqualTo(TRAINED.onnx());
    }

    @Test
    void a_second_load_uses_the_verified_cached_copy() throws IOException {
        ModelVersion version = registry.register("scorer", TRAINED.onnxDirectory(dir));
        loader.open(new ModelKey("scorer", 1)).close();
        // the store's copy is now damaged, but the cached copy still matches the manifest
        Blobs.corrupt(registry.artifacts, version.manifest().file("model.onnx").sha256());

        try (ModelRuntime runtime = loader.open(new ModelKey("scorer", 1))) {
            assertThat(runtime.predict(List.of(LogisticModel.onnxInput(ROWS))).get(0).shape()).containsExactly(5, 3);
        }
    }

    @Test
    void the_footprint_is_estimated_from_the_versions_files() {
        registry.register("scorer", TRAINED.onnxDirectory(dir));

        assertThat(loader.footprintBytes(new ModelKey("scorer", 1)))
                .isEqualTo(Footprint.DEFAULT.estimate(TRAINED.onnx().length));
    }

    @Test
    void a_local_directory_serves_without_a_registry() {
        ModelDirectories directories = new ModelDirectories(
                Map.of("onnx", TRAINED.onnxDirectory(dir), "tribuo", TRAINED.tribuoDirectory(dir)),
                RuntimeOptions.DEFAULT, Footprint.DEFAULT);

        try (ModelRuntime onnx = directories.open(ModelDirectories.key("onnx"));
             ModelRuntime tribuo = directories.open(ModelDirectories.key("tribuo"))) {
            assertThat(onnx.flavor()).isEqualTo(Flavor.ONNX);
            assertThat(tribuo.flavor()).isEqualTo(Flavor.TRIBUO);
            assertThat(tribuo.predict(LogisticModel.tribuoInputs(ROWS)).get(0).strings())
                    .containsExactly(TRAINED.tribuoPredictions(ROWS).stream().map(p -> p.getOutput().getLabel())
                            .toArray(String[]::new));
        }
        notFound(() -> directories.open(ModelDirectories.key("other")), "'other'");
    }

    @Test
    void a_java_serialized_model_in_a_local_directory_is_refused() throws IOException {
        Path model = Files.createTempDirectory(dir, "serialized");
        Files.write(model.resolve("model.tribuo"), new byte[]{(byte) 0xAC, (byte) 0xED, 0, 5, 1, 2, 3});
        ModelDirectories directories = new ModelDirectories(Map.of("bad", model), RuntimeOptions.DEFAULT,
                Footprint.DEFAULT);

        PredictionTest.invalid(() -> directories.open(ModelDirectories.key("bad")), "'model.tribuo'", "Java-serialized");
    }

    private List<Path> cachedFiles() throws IOException {
        Path cache = dir.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void notFound(Runnable call, String fragment) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining(fragment);
    }
}
