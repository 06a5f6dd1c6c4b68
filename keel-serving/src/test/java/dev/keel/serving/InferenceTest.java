package dev.keel.serving;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.Variant;
import dev.keel.core.KeelException;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.serving.runtime.LoadListener;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.LogisticModel;
import dev.keel.serving.runtime.ModelLoader;
import dev.keel.serving.runtime.Tensor;
import dev.keel.serving.runtime.TestRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serving path end to end in-process: routing, loading from a real registry, running ONNX, statistics, shadow. */
class InferenceTest {
    @TempDir
    Path dir;

    private TestRegistry registry;
    private TrafficStatistics statistics;
    private Router router;
    private LoadedModels models;
    private Inference inference;
    private final AtomicInteger shadowRuns = new AtomicInteger();
    private final AtomicInteger shadowAgreements = new AtomicInteger();
    private LogisticModel first;
    private LogisticModel second;

    @BeforeEach
    void serve() {
        registry = new TestRegistry(dir);
        first = LogisticModel.train(1);
        second = LogisticModel.train(2);
        registry.register("churn", first.onnxDirectory(dir.resolve("v1")));
        registry.register("churn", second.onnxDirectory(dir.resolve("v2")));
        statistics = new TrafficStatistics(Clock.systemUTC());
        router = new Router(statistics, 7);
        ModelLoader loader = registry.loader(dir.resolve("cache"));
        models = new LoadedModels(loader, 512L * 1024 * 1024, LoadListener.NONE);
        inference = new Inference(router, models, loader::resolve, Duration.ofSeconds(5), 1, new InferenceListener() {
            @Override
            public void shadowed(String endpoint, String variant, long nanos, boolean failed, boolean agreed) {
                shadowRuns.incrementAndGet();
                if (agreed) {
                    shadowAgreements.incrementAndGet();
                }
            }
        });
    }

    @AfterEach
    void stop() {
        inference.close();
        models.close();
        registry.close();
    }

    private void endpoint(String name, Shadow shadow) {
        Instant now = Instant.now();
        router.changed(new Endpoint(name, List.of(Variant.of("blue", "models:/churn/1"), Variant.of("green", "models:/churn/2")),
                new Single("blue"), shadow, 1, "alice", now, now));
    }

    @Test
    void answersThroughTheEndpointAsTheModelItself() {
        endpoint("scoring", null);
        double[][] rows = LogisticModel.rows(20, 99);
        Answer answer = inference.predict("scoring", null, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of());
        assertThat(answer.variant()).isEqualTo("blue");
        assertThat(answer.model().version()).isEqualTo(1);
        Answer direct = inference.predict(new ModelReference.ByVersion("churn", 1),
                InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of());
        assertThat(answer.outputs()).isEqualTo(direct.outputs());
        assertThat(statistics.totals("scoring").get("blue").requests()).isEqualTo(1);
    }

    @Test
    void aClientMistakeIsA400AndNotCountedAgainstTheVariant() {
        endpoint("scoring", null);
        Tensor wrong = Tensor.fp32("input", new long[] {1, 3}, 1, 2, 3);
        assertThatThrownBy(() -> inference.predict("scoring", null, InputBinder.of(List.of(wrong)), List.of()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(400))
                .hasMessageContaining("input");
        Totals blue = statistics.totals("scoring").get("blue");
        assertThat(blue == null ? 0 : blue.errors()).isZero();
        assertThatThrownBy(() -> inference.predict("nowhere", null, InputBinder.of(List.of(wrong)), List.of()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code().httpStatus()).isEqualTo(404));
    }

    @Test
    void theShadowIsComparedAndRecordedButNeverAnswers() throws InterruptedException {
        endpoint("scoring", new Shadow("green", 100));
        double[][] rows = LogisticModel.rows(1, 5);
        Answer primaryOnly = inference.predict(new ModelReference.ByVersion("churn", 1),
                InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of());
        for (int i = 0; i < 50; i++) {
            Answer answer = inference.predict("scoring", null, InputBinder.of(List.of(LogisticModel.onnxInput(rows))),
                    List.of());
            assertThat(answer.variant()).isEqualTo("blue");
            assertThat(answer.outputs()).isEqualTo(primaryOnly.outputs());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (shadowRuns.get() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(shadowRuns.get()).isEqualTo(50);
        Map<String, Totals> totals = statistics.totals("scoring");
        assertThat(totals.get("green").requests()).isEqualTo(50);
        // a model trained on other data answers differently: the comparison sees it
        assertThat(shadowAgreements.get()).isLessThan(50);
    }
}
