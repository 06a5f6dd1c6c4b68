package dev.keel.server.contract;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.registry.Alias;
import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.ModelVersionStatus;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegisteredModelUpdate;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.Owner;
import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.Page;
import dev.keel.registry.Blobs;
import dev.keel.registry.TrainedModel;
import dev.keel.registry.approval.EvaluationSetJson;
import dev.keel.registry.card.SampleCards;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every {@link RegistryService} promises, whatever carries it, run on every {@link Backend}.
 * It uses only the service interfaces (tracking to make source runs with real model files) and
 * each test makes its own uniquely named models, so the suite shares one store or server. The
 * one hook beyond the interfaces, {@link #corruptBlob}, changes stored bytes behind the
 * registry's back, as a disk fault or an attacker would. The server acts as the contract's actor.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class RegistryContract extends ContractSuite {
    protected final Actor alice = new Actor("alice");
    protected final Actor bob = new Actor("bob");

    @Override
    protected Deployment.Setup setup() {
        return Deployment.Setup.actingAs(alice);
    }

    private RegistryService registry() {
        return deployment().keel().registry();
    }

    private TrackingService tracking() {
        return deployment().keel().tracking();
    }

    /** Changes the bytes of the stored blob with this digest, keeping its size. */
    private void corruptBlob(String sha256) throws IOException {
        Blobs.corrupt(deployment().artifacts(), sha256);
    }

    @TempDir
    Path temp;

    // helpers

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private RegisteredModel model() {
        return registry().createRegisteredModel(alice, NewRegisteredModel.named(unique("model")));
    }

    private Experiment experiment() {
        return tracking().createExperiment(alice, NewExperiment.named(unique("exp")));
    }

    /** A run holding the ONNX model under model/ (with an MLmodel-free layout) and a training dataset input. */
    private Run runWithOnnxModel() {
        Run run = tracking().createRun(alice, NewRun.in(experiment().experimentId()));
        String id = run.info().runId();
        log(id, "model/model.onnx", TrainedModel.onnx());
        log(id, "model/extra/README.txt", "a logistic regression".getBytes(StandardCharsets.UTF_8));
        log(id, "evaluation/report.txt", "accuracy 0.9".getBytes(StandardCharsets.UTF_8));
        tracking().logInputs(alice, id, List.of(DatasetInput.of(
                new Dataset("credit-train", "d1g3st", "local", "{\"uri\": \"data/train.csv\"}", null, null), "training")));
        return tracking().getRun(alice, id);
    }

    private void log(String runId, String path, byte[] bytes) {
        tracking().logArtifact(alice, runId, ArtifactPath.of(path), new ByteArrayInputStream(bytes));
    }

    /** A new model with {@code count} versions, all of the one model a new run logged. */
    private RegisteredModel modelWithVersions(int count) {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        for (int i = 0; i < count; i++) {
            version(model, run);
        }
        return model;
    }

    private ModelVersion version(RegisteredModel model, Run run) {
        return registry().createModelVersion(alice,
                NewModelVersion.of(model.name(), "runs:/" + run.info().runId() + "/model", run.info().runId()));
    }

    private Path directory(Map<String, byte[]> files) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(unique("dir")));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return dir;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> modelNames(String filter, String... orderBy) {
        return registry().searchRegisteredModels(alice, RegisteredModelSearch.filter(filter).orderedBy(List.of(orderBy)))
                .items().stream().map(RegisteredModel::name).toList();
    }

    private List<Long> versionNumbers(String filter, String... orderBy) {
        return registry().searchModelVersions(alice, ModelVersionSearch.filter(filter).orderedBy(List.of(orderBy)))
                .items().stream().map(ModelVersion::version).toList();
    }

    // registered models

    @Test
    void a_registered_model_keeps_its_owner_tier_description_and_tags() {
        String name = unique("credit");
        RegisteredModel created = registry().createRegisteredModel(alice, new NewRegisteredModel(name, "scores applicants",
                RiskTier.HIGH, List.of(new Tag("team", "risk"), new Tag("team", "credit-risk"))));

        RegisteredModel read = registry().getRegisteredModel(bob, name);
        assertThat(read).isEqualTo(created);
        assertThat(read.owner()).isEqualTo("alice");
        assertThat(read.riskTier()).isEqualTo(RiskTier.HIGH);
        assertThat(read.description()).isEqualTo("scores applicants");
        assertThat(read.tags()).containsExactly(new Tag("team", "credit-risk"));
        assertThat(read.latestVersions()).isEmpty();
        assertThat(read.aliases()).isEmpty();
        assertThat(read.creationTimestamp()).isPositive().isEqualTo(read.lastUpdatedTimestamp());
    }

    @Test
    void a_model_without_a_tier_is_low_risk() {
        assertThat(model().riskTier()).isEqualTo(RiskTier.LOW);
    }

    @Test
    void a_taken_name_is_refused_as_already_existing() {
        RegisteredModel model = model();
        assertFails(() -> registry().createRegisteredModel(bob, NewRegisteredModel.named(model.name())),
                ErrorCode.RESOURCE_ALREADY_EXISTS, model.name());
    }

    @Test
    void bad_model_names_and_tiers_are_refused_naming_the_field() {
        assertFails(() -> NewRegisteredModel.named(" "), ErrorCode.INVALID_PARAMETER_VALUE, "'name'");
        assertFails(() -> NewRegisteredModel.named("a/b"), ErrorCode.INVALID_PARAMETER_VALUE, "'/'");
        assertFails(() -> NewRegisteredModel.named("x".repeat(257)), ErrorCode.INVALID_PARAMETER_VALUE, "'name'", "256");
        assertFails(() -> RiskTier.parse("extreme"), ErrorCode.INVALID_PARAMETER_VALUE, "extreme", "low, medium, high");
        assertThat(RiskTier.parse("High")).isEqualTo(RiskTier.HIGH);
    }

    @Test
    void an_unknown_model_is_not_found_by_every_call() {
        String name = unique("missing");
        List<ThrowingCallable> calls = List.of(
                () -> registry().getRegisteredModel(alice, name),
                () -> registry().renameRegisteredModel(alice, name, unique("other")),
                () -> registry().updateRegisteredModel(alice, name, RegisteredModelUpdate.description("d")),
                () -> registry().deleteRegisteredModel(alice, name),
                () -> registry().setRegisteredModelTag(alice, name, new Tag("k", "v")),
                () -> registry().deleteRegisteredModelTag(alice, name, "k"),
                () -> registry().setAlias(alice, name, "champion", 1),
                () -> registry().deleteAlias(alice, name, "champion"),
                () -> registry().getVersionByAlias(alice, name, "champion"),
                () -> registry().getModelVersion(alice, name, 1),
                () -> registry().getLatestVersions(alice, name, List.of()),
                () -> registry().createModelVersion(alice, NewModelVersion.of(name, "runs:/" + "0".repeat(32) + "/model", null)));
        for (ThrowingCallable call : calls) {
            assertFails(call, ErrorCode.RESOURCE_DOES_NOT_EXIST, "'" + name + "'");
        }
    }

    @Test
    void renaming_keeps_versions_aliases_and_tags_and_frees_the_old_name() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        version(model, run);
        registry().setAlias(alice, model.name(), "champion", 1);
        registry().setRegisteredModelTag(alice, model.name(), new Tag("team", "risk"));
        String newName = unique("renamed");

        RegisteredModel renamed = registry().renameRegisteredModel(alice, model.name(), newName);

        assertThat(renamed.name()).isEqualTo(newName);
        assertThat(renamed.aliases()).containsExactly(new Alias("champion", 1));
        assertThat(renamed.tags()).containsExactly(new Tag("team", "risk"));
        assertThat(registry().getModelVersion(alice, newName, 1).name()).isEqualTo(newName);
        assertFails(() -> registry().getRegisteredModel(alice, model.name()), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        registry().createRegisteredModel(alice, NewRegisteredModel.named(model.name()));
    }

    @Test
    void renaming_onto_a_taken_name_is_refused() {
        RegisteredModel first = model();
        RegisteredModel second = model();
        assertFails(() -> registry().renameRegisteredModel(alice, first.name(), second.name()),
                ErrorCode.RESOURCE_ALREADY_EXISTS, second.name());
    }

    @Test
    void updating_changes_only_what_is_given() {
        RegisteredModel model = registry().createRegisteredModel(alice,
                new NewRegisteredModel(unique("m"), "first", RiskTier.MEDIUM, List.of()));

        RegisteredModel described = registry().updateRegisteredModel(alice, model.name(), RegisteredModelUpdate.description("second"));
        RegisteredModel tiered = registry().updateRegisteredModel(alice, model.name(), RegisteredModelUpdate.riskTier(RiskTier.HIGH));

        assertThat(described.description()).isEqualTo("second");
        assertThat(described.riskTier()).isEqualTo(RiskTier.MEDIUM);
        assertThat(tiered.description()).isEqualTo("second");
        assertThat(tiered.riskTier()).isEqualTo(RiskTier.HIGH);
        assertThat(tiered.lastUpdatedTimestamp()).isGreaterThanOrEqualTo(model.lastUpdatedTimestamp());
    }

    @Test
    void deleting_a_model_deletes_its_versions() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        version(model, run);

        registry().deleteRegisteredModel(alice, model.name());

        assertFails(() -> registry().getRegisteredModel(alice, model.name()), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(registry().searchModelVersions(alice, ModelVersionSearch.filter("name = '" + model.name() + "'"))
                .items()).isEmpty();
        // the name is free again and numbering starts over
        registry().createRegisteredModel(alice, NewRegisteredModel.named(model.name()));
        assertThat(version(registry().getRegisteredModel(alice, model.name()), run).version()).isEqualTo(1);
    }

    @Test
    void model_tags_are_set_replaced_and_deleted() {
        RegisteredModel model = model();
        registry().setRegisteredModelTag(alice, model.name(), new Tag("stage.note", "draft"));
        registry().setRegisteredModelTag(alice, model.name(), new Tag("stage.note", "final"));
        assertThat(registry().getRegisteredModel(alice, model.name()).tags()).containsExactly(new Tag("stage.note", "final"));

        registry().deleteRegisteredModelTag(alice, model.name(), "stage.note");

        assertThat(registry().getRegisteredModel(alice, model.name()).tags()).isEmpty();
        assertFails(() -> registry().deleteRegisteredModelTag(alice, model.name(), "stage.note"),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "'stage.note'");
        assertFails(() -> registry().setRegisteredModelTag(alice, model.name(), new Tag("../up", "x")),
                ErrorCode.INVALID_PARAMETER_VALUE, "'../up'");
    }

    @Test
    void registered_models_are_found_by_name_and_tags_and_ordered() {
        String prefix = unique("Search");
        for (String suffix : List.of("b", "a", "c")) {
            registry().createRegisteredModel(alice, new NewRegisteredModel(prefix + "-" + suffix, null, null,
                    List.of(new Tag("flavor", suffix.equals("c") ? "tribuo" : "onnx"))));
        }

        assertThat(modelNames("name = '" + prefix + "-a'")).containsExactly(prefix + "-a");
        assertThat(modelNames("name LIKE '" + prefix + "-%'")).containsExactly(prefix + "-a", prefix + "-b", prefix + "-c");
        assertThat(modelNames("name LIKE '" + prefix.toLowerCase() + "-%'")).isEmpty();
        assertThat(modelNames("name ILIKE '" + prefix.toLowerCase() + "-%'")).hasSize(3);
        assertThat(modelNames("name LIKE '" + prefix + "-%' AND tags.flavor = 'onnx'", "name DESC"))
                .containsExactly(prefix + "-b", prefix + "-a");
        assertThat(modelNames("name LIKE '" + prefix + "-%'", "last_updated_timestamp DESC")).hasSize(3);
    }

    @Test
    void registered_model_pages_follow_each_other_without_gaps() {
        String prefix = unique("paged");
        for (int i = 0; i < 5; i++) {
            registry().createRegisteredModel(alice, NewRegisteredModel.named(prefix + "-" + i));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            Page<RegisteredModel> page = registry().searchRegisteredModels(alice,
                    RegisteredModelSearch.filter("name LIKE '" + prefix + "-%'").page(2, token));
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(m -> seen.add(m.name()));
            token = page.nextPageToken();
        } while (token != null);

        assertThat(seen).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");
    }

    @Test
    void bad_registered_model_searches_are_refused() {
        assertFails(() -> RegisteredModelSearch.all().page(1001, null), ErrorCode.INVALID_PARAMETER_VALUE, "max_results", "1000");
        assertThat(RegisteredModelSearch.all().maxResults()).isEqualTo(100);
        assertFails(() -> registry().searchRegisteredModels(alice, RegisteredModelSearch.filter("run_id = 'x'")),
                ErrorCode.INVALID_PARAMETER_VALUE, "run_id");
        assertFails(() -> registry().searchRegisteredModels(alice, RegisteredModelSearch.filter("name > 'x'")),
                ErrorCode.INVALID_PARAMETER_VALUE, ">");
        assertFails(() -> registry().searchRegisteredModels(alice, RegisteredModelSearch.all().orderedBy(List.of("owner"))),
                ErrorCode.INVALID_PARAMETER_VALUE, "owner");
        assertFails(() -> registry().searchRegisteredModels(alice, RegisteredModelSearch.all().page(10, "garbage")),
                ErrorCode.INVALID_PARAMETER_VALUE, "page_token");
    }

    // model versions

    @Test
    void a_version_from_a_run_has_hashed_files_an_onnx_signature_and_the_runs_lineage() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();

        ModelVersion version = version(model, run);

        assertThat(version.version()).isEqualTo(1);
        assertThat(version.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(version.currentStage()).isEqualTo(Stage.NONE);
        assertThat(version.userId()).isEqualTo("alice");
        assertThat(version.runId()).isEqualTo(run.info().runId());
        assertThat(version.source()).isEqualTo("runs:/" + run.info().runId() + "/model");
        ModelManifest manifest = version.manifest();
        assertThat(manifest.flavor()).isEqualTo(Flavor.ONNX);
        assertThat(manifest.modelFile()).isEqualTo("model.onnx");
        assertThat(manifest.signature().inputs()).extracting(TensorSpec::shape)
                .containsExactly(List.of(-1L, (long) TrainedModel.FEATURES.length));
        assertThat(manifest.files()).containsExactly(
                new ManifestFile("extra/README.txt", sha256("a logistic regression".getBytes(StandardCharsets.UTF_8)), 21),
                new ManifestFile("model.onnx", sha256(TrainedModel.onnx()), TrainedModel.onnx().length));
        assertThat(manifest.lineage().runId()).isEqualTo(run.info().runId());
        assertThat(manifest.lineage().datasets()).extracting(d -> d.dataset().name()).containsExactly("credit-train");
        assertThat(registry().getModelVersion(bob, model.name(), 1)).isEqualTo(version);
    }

    @Test
    void a_version_is_registered_from_an_mlflow_artifacts_source_too() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        String source = run.info().artifactUri() + "/model";

        ModelVersion version = registry().createModelVersion(alice, new NewModelVersion(model.name(), source, null,
                "from the proxy", List.of(new Tag("origin", "mlflow")), "http://runs/1"));

        assertThat(version.runId()).isEqualTo(run.info().runId());
        assertThat(version.description()).isEqualTo("from the proxy");
        assertThat(version.tags()).containsExactly(new Tag("origin", "mlflow"));
        assertThat(version.runLink()).isEqualTo("http://runs/1");
        assertThat(version.manifest().flavor()).isEqualTo(Flavor.ONNX);
        assertThat(registry().getDownloadUri(alice, model.name(), 1)).isEqualTo(source);
    }

    @Test
    void a_tribuo_model_in_mlflows_layout_is_registered_with_the_tribuo_flavor() {
        RegisteredModel model = model();
        Run run = tracking().createRun(alice, NewRun.in(experiment().experimentId()));
        log(run.info().runId(), "model/model.tribuo", TrainedModel.tribuo());
        log(run.info().runId(), "model/MLmodel", """
                artifact_path: model
                flavors:
                  tribuo:
                    model_file: model.tribuo
                """.getBytes(StandardCharsets.UTF_8));

        ModelVersion version = version(model, run);

        assertThat(version.manifest().flavor()).isEqualTo(Flavor.TRIBUO);
        assertThat(version.manifest().modelFile()).isEqualTo("model.tribuo");
        assertThat(version.manifest().signature().inputs()).isNotEmpty();
        assertThat(version.manifest().lineage().datasets()).isEmpty();
    }

    @Test
    void versions_are_numbered_per_model_and_a_deleted_number_is_not_reused() {
        RegisteredModel first = model();
        RegisteredModel second = model();
        Run run = runWithOnnxModel();

        assertThat(version(first, run).version()).isEqualTo(1);
        assertThat(version(first, run).version()).isEqualTo(2);
        assertThat(version(second, run).version()).isEqualTo(1);
        registry().deleteModelVersion(alice, first.name(), 2);
        assertThat(version(first, run).version()).isEqualTo(3);
        assertFails(() -> registry().getModelVersion(alice, first.name(), 2), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "version 2", first.name());
    }

    @Test
    void bad_sources_are_refused_before_anything_is_written() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        String runId = run.info().runId();

        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "s3://bucket/model", null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "'source'", "runs:/");
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "runs:/abc/model", null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "'abc'");
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "runs:/" + "f".repeat(32) + "/model", null)),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "f".repeat(32));
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "runs:/" + runId + "/model",
                "e".repeat(32))), ErrorCode.INVALID_PARAMETER_VALUE, "'run_id'");
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "runs:/" + runId + "/nothing", null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "'nothing'");
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "runs:/" + runId + "/evaluation", null)),
                ErrorCode.INVALID_PARAMETER_VALUE, "report.txt");
        assertFails(() -> registry().createModelVersion(alice, NewModelVersion.of(model.name(), "mlflow-artifacts:/999/" + runId
                + "/artifacts/model", null)), ErrorCode.INVALID_PARAMETER_VALUE, "experiment 999");
        assertThat(registry().getRegisteredModel(alice, model.name()).latestVersions()).isEmpty();
    }

    @Test
    void a_digest_the_caller_expects_but_the_bytes_do_not_have_is_refused_naming_the_file() {
        RegisteredModel model = model();
        Run run = runWithOnnxModel();
        String source = "runs:/" + run.info().runId() + "/model";

        assertFails(() -> registry().createModelVersion(alice, new NewModelVersion(model.name(), source, null, null,
                List.of(), null, Map.of("model.onnx", "0".repeat(64)))), ErrorCode.INVALID_PARAMETER_VALUE, "'model.onnx'");
        assertFails(() -> registry().createModelVersion(alice, new NewModelVersion(model.name(), source, null, null,
                List.of(), null, Map.of("weights.bin", "0".repeat(64)))), ErrorCode.INVALID_PARAMETER_VALUE, "'weights.bin'");
        assertThat(registry().getRegisteredModel(alice, model.name()).latestVersions()).isEmpty();

        ModelVersion agreed = registry().createModelVersion(alice, new NewModelVersion(model.name(), source, null, null,
                List.of(), null, Map.of("model.onnx", sha256(TrainedModel.onnx()))));
        assertThat(agreed.version()).isEqualTo(1);
    }

    @Test
    void a_version_is_registered_from_a_directory() throws IOException {
        RegisteredModel model = model();
        Path dir = directory(Map.of("model.onnx", TrainedModel.onnx(), "docs/card.md", "# card".getBytes(StandardCharsets.UTF_8)));

        ModelVersion version = registry().createModelVersionFromDirectory(alice, model.name(), dir, "uploaded",
                List.of(new Tag("via", "cli")));

        assertThat(version.version()).isEqualTo(1);
        assertThat(version.runId()).isNull();
        assertThat(version.source()).isEqualTo("models:/" + model.name() + "/1");
        assertThat(version.description()).isEqualTo("uploaded");
        assertThat(version.manifest().files()).extracting(ManifestFile::path).containsExactly("docs/card.md", "model.onnx");
        assertThat(version.manifest().lineage()).isEqualTo(Lineage.NONE);
        assertThat(registry().getDownloadUri(alice, model.name(), 1)).isEqualTo("models:/" + model.name() + "/1");
    }

    @Test
    void a_directory_with_a_link_leading_out_is_refused_naming_the_file() throws IOException {
        RegisteredModel model = model();
        Path outside = Files.writeString(temp.resolve(unique("secret")), "not a model file");
        Path dir = directory(Map.of("model.onnx", TrainedModel.onnx()));
        Files.createSymbolicLink(dir.resolve("notes.txt"), outside);

        assertFails(() -> registry().createModelVersionFromDirectory(alice, model.name(), dir, null, List.of()),
                ErrorCode.INVALID_PARAMETER_VALUE, "'notes.txt'", "leading out");
        assertThat(registry().getRegisteredModel(alice, model.name()).latestVersions()).isEmpty();
    }

    @Test
    void a_directory_without_a_model_is_refused() throws IOException {
        RegisteredModel model = model();
        Path dir = directory(Map.of("notes.txt", "nothing to serve".getBytes(StandardCharsets.UTF_8)));
        assertFails(() -> registry().createModelVersionFromDirectory(alice, model.name(), dir, null, List.of()),
                ErrorCode.INVALID_PARAMETER_VALUE, "notes.txt");
        assertFails(() -> registry().createModelVersionFromDirectory(alice, model.name(), temp.resolve("absent"), null, List.of()),
                ErrorCode.INVALID_PARAMETER_VALUE, "'directory'");
    }

    @Test
    void a_version_description_and_tags_change_and_unknown_versions_are_not_found() {
        RegisteredModel model = modelWithVersions(1);

        assertThat(registry().updateModelVersion(alice, model.name(), 1, "calibrated").description()).isEqualTo("calibrated");
        registry().setModelVersionTag(alice, model.name(), 1, new Tag("validated", "yes"));
        assertThat(registry().getModelVersion(alice, model.name(), 1).tags()).containsExactly(new Tag("validated", "yes"));
        registry().deleteModelVersionTag(alice, model.name(), 1, "validated");
        assertThat(registry().getModelVersion(alice, model.name(), 1).tags()).isEmpty();
        assertFails(() -> registry().deleteModelVersionTag(alice, model.name(), 1, "validated"),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "'validated'");

        List<ThrowingCallable> calls = List.of(
                () -> registry().getModelVersion(alice, model.name(), 9),
                () -> registry().updateModelVersion(alice, model.name(), 9, "x"),
                () -> registry().deleteModelVersion(alice, model.name(), 9),
                () -> registry().transitionStage(alice, model.name(), 9, Stage.STAGING, false),
                () -> registry().getDownloadUri(alice, model.name(), 9),
                () -> registry().setModelVersionTag(alice, model.name(), 9, new Tag("k", "v")),
                () -> registry().deleteModelVersionTag(alice, model.name(), 9, "k"),
                () -> registry().setAlias(alice, model.name(), "champion", 9),
                () -> registry().openVersionFile(alice, model.name(), 9, "model.onnx"),
                () -> registry().verifyVersion(alice, model.name(), 9));
        for (ThrowingCallable call : calls) {
            assertFails(call, ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 9");
        }
        assertFails(() -> registry().getModelVersion(alice, model.name(), 0), ErrorCode.INVALID_PARAMETER_VALUE, "'version'");
    }

    @Test
    void model_versions_are_found_by_name_number_run_source_and_tags() {
        RegisteredModel model = model();
        Run first = runWithOnnxModel();
        Run second = runWithOnnxModel();
        version(model, first);
        version(model, second);
        registry().createModelVersion(alice, new NewModelVersion(model.name(), second.info().artifactUri() + "/model",
                null, null, List.of(new Tag("candidate", "true")), null));
        String byName = "name = '" + model.name() + "'";

        assertThat(versionNumbers(byName)).containsExactly(3L, 2L, 1L);
        assertThat(versionNumbers(byName, "version_number ASC")).containsExactly(1L, 2L, 3L);
        assertThat(versionNumbers(byName + " AND version_number >= 2", "version_number")).containsExactly(2L, 3L);
        assertThat(versionNumbers("run_id = '" + first.info().runId() + "'")).containsExactly(1L);
        assertThat(versionNumbers(byName + " AND run_id IN ('" + first.info().runId() + "', '" + second.info().runId() + "')",
                "version_number")).containsExactly(1L, 2L, 3L);
        assertThat(versionNumbers(byName + " AND source_path LIKE 'mlflow-artifacts:%'")).containsExactly(3L);
        assertThat(versionNumbers(byName + " AND tags.candidate = 'true'")).containsExactly(3L);
        assertThat(versionNumbers(byName, "creation_timestamp DESC", "version_number DESC")).containsExactly(3L, 2L, 1L);
        assertFails(() -> versionNumbers("version_number = 'one'"), ErrorCode.INVALID_PARAMETER_VALUE, "version_number");
        assertFails(() -> versionNumbers("stage = 'None'"), ErrorCode.INVALID_PARAMETER_VALUE, "stage");
    }

    @Test
    void model_version_pages_follow_each_other_without_gaps() {
        RegisteredModel model = modelWithVersions(5);
        List<Long> seen = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> page = registry().searchModelVersions(alice,
                    ModelVersionSearch.filter("name = '" + model.name() + "'").orderedBy(List.of("version_number")).page(2, token));
            page.items().forEach(v -> seen.add(v.version()));
            token = page.nextPageToken();
        } while (token != null);

        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertFails(() -> ModelVersionSearch.all().page(200_001, null), ErrorCode.INVALID_PARAMETER_VALUE, "max_results");
    }

    // stages

    @Test
    void stages_parse_case_insensitively_and_unknown_ones_name_the_allowed_stages() {
        assertThat(Stage.parse("production")).isEqualTo(Stage.PRODUCTION);
        assertThat(Stage.parse("None")).isEqualTo(Stage.NONE);
        assertThat(Stage.ARCHIVED.wireName()).isEqualTo("Archived");
        assertFails(() -> Stage.parse("Deployed"), ErrorCode.INVALID_PARAMETER_VALUE, "'Deployed'",
                "None, Staging, Production, Archived");
    }

    @Test
    void a_transition_moves_one_version_and_archiving_moves_the_others() {
        RegisteredModel model = modelWithVersions(3);
        registry().transitionStage(alice, model.name(), 1, Stage.PRODUCTION, false);
        registry().transitionStage(alice, model.name(), 2, Stage.PRODUCTION, false);
        assertThat(registry().getModelVersion(alice, model.name(), 1).currentStage()).isEqualTo(Stage.PRODUCTION);

        ModelVersion promoted = registry().transitionStage(alice, model.name(), 3, Stage.PRODUCTION, true);

        assertThat(promoted.currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry().getModelVersion(alice, model.name(), 1).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry().getModelVersion(alice, model.name(), 2).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertFails(() -> registry().transitionStage(alice, model.name(), 1, Stage.NONE, true),
                ErrorCode.INVALID_PARAMETER_VALUE, "archive_existing_versions");
    }

    @Test
    void latest_versions_are_the_newest_in_each_stage() {
        RegisteredModel model = modelWithVersions(4);
        registry().transitionStage(alice, model.name(), 1, Stage.STAGING, false);
        registry().transitionStage(alice, model.name(), 2, Stage.STAGING, false);
        registry().transitionStage(alice, model.name(), 3, Stage.PRODUCTION, false);

        assertThat(registry().getLatestVersions(alice, model.name(), List.of(Stage.STAGING)))
                .extracting(ModelVersion::version).containsExactly(2L);
        assertThat(registry().getLatestVersions(alice, model.name(), List.of(Stage.PRODUCTION, Stage.STAGING)))
                .extracting(ModelVersion::version).containsExactly(2L, 3L);
        assertThat(registry().getLatestVersions(alice, model.name(), List.of()))
                .extracting(v -> v.currentStage() + ":" + v.version()).containsExactly("None:4", "Staging:2", "Production:3");
        assertThat(registry().getRegisteredModel(alice, model.name()).latestVersions())
                .extracting(ModelVersion::version).containsExactly(4L, 2L, 3L);
        assertThat(registry().getLatestVersions(alice, model.name(), List.of(Stage.ARCHIVED))).isEmpty();
    }

    // aliases

    @Test
    void an_alias_points_at_one_version_moves_and_is_deleted() {
        RegisteredModel model = modelWithVersions(2);

        registry().setAlias(alice, model.name(), "champion", 1);
        registry().setAlias(alice, model.name(), "challenger", 2);
        assertThat(registry().getVersionByAlias(alice, model.name(), "champion").version()).isEqualTo(1);
        assertThat(registry().getModelVersion(alice, model.name(), 1).aliases()).containsExactly("champion");

        registry().setAlias(alice, model.name(), "champion", 2);

        assertThat(registry().getVersionByAlias(alice, model.name(), "champion").aliases()).containsExactly("challenger", "champion");
        assertThat(registry().getRegisteredModel(alice, model.name()).aliases())
                .containsExactly(new Alias("challenger", 2), new Alias("champion", 2));
        registry().deleteAlias(alice, model.name(), "champion");
        assertFails(() -> registry().getVersionByAlias(alice, model.name(), "champion"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "'champion'");
        assertFails(() -> registry().deleteAlias(alice, model.name(), "champion"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "'champion'");
    }

    @Test
    void deleting_a_version_removes_the_aliases_pointing_at_it() {
        RegisteredModel model = modelWithVersions(1);
        registry().setAlias(alice, model.name(), "champion", 1);

        registry().deleteModelVersion(alice, model.name(), 1);

        assertThat(registry().getRegisteredModel(alice, model.name()).aliases()).isEmpty();
    }

    @Test
    void reserved_and_malformed_aliases_are_refused() {
        RegisteredModel model = modelWithVersions(1);
        for (String reserved : List.of("latest", "LATEST", "v1", "V42")) {
            assertFails(() -> registry().setAlias(alice, model.name(), reserved, 1), ErrorCode.INVALID_PARAMETER_VALUE,
                    "'" + reserved + "'", "reserved");
        }
        assertFails(() -> registry().setAlias(alice, model.name(), "has space", 1), ErrorCode.INVALID_PARAMETER_VALUE, "'has space'");
        assertFails(() -> registry().setAlias(alice, model.name(), "a".repeat(256), 1), ErrorCode.INVALID_PARAMETER_VALUE, "255");
        assertFails(() -> registry().getVersionByAlias(alice, model.name(), "v2"), ErrorCode.INVALID_PARAMETER_VALUE, "reserved");
        registry().setAlias(alice, model.name(), "v1-candidate_B", 1);
        registry().setAlias(alice, model.name(), "a".repeat(255), 1);
        assertThat(registry().getModelVersion(alice, model.name(), 1).aliases()).hasSize(2);
    }

    // model cards

    @Test
    void a_version_without_a_card_gets_a_draft_prefilled_from_its_manifest_run_and_lineage() {
        String name = unique("card");
        registry().createRegisteredModel(alice, new NewRegisteredModel(name, "scores applicants", RiskTier.HIGH,
                List.of(new Tag("team", "risk"))));
        Run run = runWithOnnxModel();
        String runId = run.info().runId();
        tracking().logBatch(alice, runId, new LogBatch(
                List.of(new Metric("auc", 0.5, 1_000, 1), new Metric("auc", 0.83, 2_000, 2), new Metric("loss", Double.NaN, 2_000, 2)),
                List.of(new Param("learning_rate", "0.05")), List.of()));
        tracking().logInputs(alice, runId, List.of(DatasetInput.of(
                new Dataset("credit-test", "t3st", "local", "{\"uri\": \"data/test.csv\"}", null, null), "test")));
        ModelVersion version = version(registry().getRegisteredModel(alice, name), run);

        ModelCard card = registry().getModelCard(bob, name, 1);

        assertThat(card.draft()).isTrue();
        assertThat(card.lastUpdatedBy()).isNull();
        assertThat(card.modelDetails().name()).isEqualTo(name);
        assertThat(card.modelDetails().version()).isEqualTo(1);
        assertThat(card.modelDetails().overview()).isEqualTo("scores applicants");
        assertThat(card.modelDetails().owners()).extracting(Owner::name).containsExactly("alice");
        assertThat(card.modelDetails().riskTier()).isEqualTo(RiskTier.HIGH);
        assertThat(card.modelDetails().tags()).containsEntry("team", "risk");
        assertThat(card.modelDetails().references()).contains("runs:/" + runId + "/model");
        assertThat(card.modelParameters().flavor()).isEqualTo("onnx");
        assertThat(card.modelParameters().modelFile()).isEqualTo("model.onnx");
        assertThat(card.modelParameters().signature()).isEqualTo(version.manifest().signature());
        assertThat(card.modelParameters().files()).isEqualTo(version.manifest().files());
        assertThat(card.modelParameters().hyperparameters()).containsEntry("learning_rate", "0.05");
        // the last value of each metric, overall; a NaN has nothing to say on a card
        assertThat(card.metrics()).containsExactly(MetricResult.overall("auc", 0.83));
        assertThat(card.trainingData()).extracting(DataReference::name, DataReference::context)
                .containsExactly(tuple("credit-train", "training"));
        assertThat(card.evaluationData()).extracting(DataReference::name, DataReference::digest, DataReference::context)
                .containsExactly(tuple("credit-test", "t3st", "test"));
        assertThat(card.missingSections()).containsExactly(CardSection.INTENDED_USE, CardSection.OUT_OF_SCOPE_USES,
                CardSection.FACTORS, CardSection.QUANTITATIVE_ANALYSIS, CardSection.ETHICAL_CONSIDERATIONS,
                CardSection.CAVEATS_AND_RECOMMENDATIONS);
    }

    @Test
    void a_saved_card_is_read_back_with_the_manifests_facts_and_is_no_longer_a_draft() {
        RegisteredModel model = model();
        ModelVersion version = version(model, runWithOnnxModel());
        // what an author says about the flavor, signature or files does not override the manifest
        ModelCard written = SampleCards.withManifestFacts(SampleCards.complete(), null, 0);

        ModelCard saved = registry().updateModelCard(alice, model.name(), 1, written);

        assertThat(saved.draft()).isFalse();
        assertThat(saved.lastUpdatedBy()).isEqualTo("alice");
        assertThat(saved.lastUpdatedTimestamp()).isPositive();
        assertThat(saved.missingSections()).isEmpty();
        assertThat(saved.modelDetails().name()).isEqualTo(model.name());
        assertThat(saved.modelDetails().version()).isEqualTo(1);
        assertThat(saved.modelDetails().riskTier()).isEqualTo(RiskTier.LOW);
        assertThat(saved.modelParameters().files()).isEqualTo(version.manifest().files());
        assertThat(saved.modelParameters().signature()).isEqualTo(version.manifest().signature());
        assertThat(saved.modelParameters().architecture()).isEqualTo("logistic regression on standardized features");
        assertThat(saved.intendedUse()).isEqualTo(SampleCards.complete().intendedUse());
        assertThat(saved.metrics()).isEqualTo(SampleCards.complete().metrics());
        assertThat(saved.results("auc")).extracting(MetricResult::meetsThreshold).containsExactly(true, true, false);
        assertThat(registry().getModelCard(bob, model.name(), 1)).isEqualTo(saved);
    }

    @Test
    void saving_again_replaces_the_card_and_each_version_keeps_its_own() {
        RegisteredModel model = model();
        version(model, runWithOnnxModel());
        version(model, runWithOnnxModel());
        registry().updateModelCard(alice, model.name(), 1, SampleCards.complete());

        ModelCard shorter = SampleCards.edited(SampleCards.complete(), json -> json.putArray("caveats"));
        ModelCard replaced = registry().updateModelCard(alice, model.name(), 1, shorter);

        ModelCard first = registry().getModelCard(bob, model.name(), 1);
        assertThat(first).isEqualTo(replaced);
        assertThat(first.caveats()).isEmpty();
        assertThat(first.recommendations()).isNotEmpty();
        assertThat(first.lastUpdatedBy()).isEqualTo("alice");
        assertThat(registry().getModelCard(alice, model.name(), 2).draft()).isTrue();
        assertThat(registry().getModelVersion(alice, model.name(), 1).lastUpdatedTimestamp())
                .isEqualTo(first.lastUpdatedTimestamp());
    }

    @Test
    void a_card_follows_its_model_through_a_rename() {
        RegisteredModel model = modelWithVersions(1);
        registry().updateModelCard(alice, model.name(), 1, SampleCards.complete());
        String renamed = unique("renamed");

        registry().renameRegisteredModel(alice, model.name(), renamed);

        ModelCard card = registry().getModelCard(alice, renamed, 1);
        assertThat(card.draft()).isFalse();
        assertThat(card.modelDetails().name()).isEqualTo(renamed);
        assertThat(registry().updateModelCard(alice, renamed, 1, card).factors()).hasSize(2);
    }

    @Test
    void a_bad_card_is_refused_naming_the_field_and_nothing_is_saved() {
        RegisteredModel model = modelWithVersions(1);
        ModelCard complete = SampleCards.complete();
        Map<String, ModelCard> bad = new LinkedHashMap<>();
        bad.put("'metrics[1].metric'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.withArray("metrics").get(1)).putNull("metric")));
        bad.put("'metrics[0].threshold.operator'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.withArray("metrics").get(0).get("threshold")).put("operator", "=>")));
        bad.put("'model_details.overview'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.get("model_details")).put("overview", "x".repeat(5001))));
        bad.put("'model_details.owners[0].name'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.withArray("/model_details/owners").get(0)).put("name", " ")));
        bad.put("'factors[0].name'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.withArray("factors").get(0)).remove("name")));
        bad.put("'evaluation_data[0].name'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.withArray("evaluation_data").get(0)).putNull("name")));
        bad.put("'caveats[1]'", SampleCards.edited(complete, json -> json.withArray("caveats").addNull()));
        bad.put("'ethical_considerations'", SampleCards.edited(complete, json -> {
            for (int i = 0; i < 101; i++) {
                json.withArray("ethical_considerations").addObject().put("name", "risk " + i);
            }
        }));
        bad.put("'model_details.name'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.get("model_details")).put("name", "another-model")));
        bad.put("'model_details.version'", SampleCards.edited(complete, json -> ((ObjectNode)
                json.get("model_details")).put("version", 7)));

        for (Map.Entry<String, ModelCard> card : bad.entrySet()) {
            assertFails(() -> registry().updateModelCard(alice, model.name(), 1, card.getValue()),
                    ErrorCode.INVALID_PARAMETER_VALUE, card.getKey());
        }
        assertThat(registry().getModelCard(alice, model.name(), 1).draft()).isTrue();
    }

    @Test
    void an_unknown_model_or_version_has_no_card() {
        RegisteredModel model = modelWithVersions(1);
        ModelCard card = SampleCards.complete();

        assertFails(() -> registry().getModelCard(alice, model.name(), 9), ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 9");
        assertFails(() -> registry().updateModelCard(alice, model.name(), 9, card), ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 9");
        assertFails(() -> registry().getModelCard(alice, unique("absent"), 1), ErrorCode.RESOURCE_DOES_NOT_EXIST, "absent");
        assertFails(() -> registry().updateModelCard(alice, unique("absent"), 1, card), ErrorCode.RESOURCE_DOES_NOT_EXIST, "absent");
        assertFails(() -> registry().getModelCard(alice, model.name(), 0), ErrorCode.INVALID_PARAMETER_VALUE, "'version'");
        assertFails(() -> registry().updateModelCard(alice, model.name(), 1, null), ErrorCode.INVALID_PARAMETER_VALUE, "'card'");
    }

    @Test
    void a_version_registered_from_a_directory_gets_a_draft_without_a_run() throws IOException {
        RegisteredModel model = model();
        registry().createModelVersionFromDirectory(alice, model.name(), directory(Map.of("model.onnx", TrainedModel.onnx())),
                "uploaded by hand", List.of(new Tag("origin", "upload")));

        ModelCard card = registry().getModelCard(alice, model.name(), 1);

        assertThat(card.draft()).isTrue();
        assertThat(card.modelDetails().overview()).isEqualTo("uploaded by hand");
        assertThat(card.modelDetails().tags()).containsEntry("origin", "upload");
        assertThat(card.metrics()).isEmpty();
        assertThat(card.trainingData()).isEmpty();
        assertThat(card.modelParameters().flavor()).isEqualTo("onnx");
        assertThat(card.missingSections()).contains(CardSection.METRICS, CardSection.TRAINING_DATA);
    }

    // evaluation sets

    /** Eight applicants: owners selected 2 of 4, renters 1 of 4; two young, six old. */
    private static EvaluationSet evaluationSet() {
        return new EvaluationSet(List.of(true, true, false, false, true, false, false, false),
                List.of(true, false, true, false, true, false, false, true),
                Map.of("home_ownership", List.of("own", "own", "own", "own", "rent", "rent", "rent", "rent"),
                        "age_band", List.of("young", "young", "old", "old", "old", "old", "old", "old")));
    }

    @Test
    void a_recorded_evaluation_set_is_read_back_whole_with_its_summary_and_digest() {
        RegisteredModel model = modelWithVersions(1);
        EvaluationSet set = evaluationSet();

        EvaluationSetSummary summary = registry().setEvaluationSet(alice, model.name(), 1, set);

        assertThat(summary.model()).isEqualTo(model.name());
        assertThat(summary.version()).isEqualTo(1);
        assertThat(summary.rows()).isEqualTo(8);
        assertThat(summary.attributes()).containsExactly("age_band", "home_ownership");
        assertThat(summary.sha256()).isEqualTo(EvaluationSetJson.sha256(EvaluationSetJson.write(set)));
        assertThat(summary.recordedBy()).isEqualTo("alice");
        assertThat(summary.recordedTime()).isPositive();
        RecordedEvaluationSet read = registry().getEvaluationSet(bob, model.name(), 1);
        assertThat(read.summary()).isEqualTo(summary);
        assertThat(read.data()).isEqualTo(set);
        assertThat(read.data().groups("home_ownership")).containsExactly("own", "own", "own", "own", "rent", "rent",
                "rent", "rent");
        assertThat(registry().getModelVersion(alice, model.name(), 1).lastUpdatedTimestamp())
                .isEqualTo(summary.recordedTime());
    }

    @Test
    void recording_again_replaces_the_set_and_each_version_keeps_its_own() {
        RegisteredModel model = model();
        version(model, runWithOnnxModel());
        version(model, runWithOnnxModel());
        registry().setEvaluationSet(alice, model.name(), 1, evaluationSet());
        EvaluationSet smaller = new EvaluationSet(List.of(true, false), List.of(true, true),
                Map.of("region", List.of("north", "south")));

        EvaluationSetSummary replaced = registry().setEvaluationSet(alice, model.name(), 1, smaller);

        RecordedEvaluationSet read = registry().getEvaluationSet(alice, model.name(), 1);
        assertThat(read.data()).isEqualTo(smaller);
        assertThat(read.summary()).isEqualTo(replaced);
        assertThat(read.summary().attributes()).containsExactly("region");
        assertThat(read.summary().rows()).isEqualTo(2);
        assertFails(() -> registry().getEvaluationSet(alice, model.name(), 2), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "version 2", "has no evaluation set", "keel models evaluation set");
    }

    @Test
    void an_evaluation_set_follows_its_model_through_a_rename() {
        RegisteredModel model = modelWithVersions(1);
        String sha256 = registry().setEvaluationSet(alice, model.name(), 1, evaluationSet()).sha256();
        String renamed = unique("renamed");

        registry().renameRegisteredModel(alice, model.name(), renamed);

        RecordedEvaluationSet read = registry().getEvaluationSet(alice, renamed, 1);
        assertThat(read.summary().model()).isEqualTo(renamed);
        assertThat(read.summary().sha256()).isEqualTo(sha256);
    }

    @Test
    void an_unknown_model_or_version_has_no_evaluation_set_and_a_failed_recording_keeps_the_old_one() {
        RegisteredModel model = modelWithVersions(1);
        EvaluationSet set = evaluationSet();
        registry().setEvaluationSet(alice, model.name(), 1, set);

        assertFails(() -> registry().setEvaluationSet(alice, model.name(), 9, set), ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 9");
        assertFails(() -> registry().getEvaluationSet(alice, model.name(), 9), ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 9");
        assertFails(() -> registry().setEvaluationSet(alice, unique("absent"), 1, set), ErrorCode.RESOURCE_DOES_NOT_EXIST, "absent");
        assertFails(() -> registry().getEvaluationSet(alice, unique("absent"), 1), ErrorCode.RESOURCE_DOES_NOT_EXIST, "absent");
        assertFails(() -> registry().getEvaluationSet(alice, model.name(), 0), ErrorCode.INVALID_PARAMETER_VALUE, "'version'");
        assertFails(() -> registry().setEvaluationSet(alice, model.name(), 1, null), ErrorCode.INVALID_PARAMETER_VALUE,
                "'evaluation_set'");
        assertThat(registry().getEvaluationSet(alice, model.name(), 1).data()).isEqualTo(set);
    }

    @Test
    void deleting_a_version_deletes_its_evaluation_set() {
        RegisteredModel model = model();
        version(model, runWithOnnxModel());
        version(model, runWithOnnxModel());
        registry().setEvaluationSet(alice, model.name(), 1, evaluationSet());
        registry().setEvaluationSet(alice, model.name(), 2, evaluationSet());

        registry().deleteModelVersion(alice, model.name(), 1);

        assertFails(() -> registry().getEvaluationSet(alice, model.name(), 1), ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 1");
        assertThat(registry().getEvaluationSet(alice, model.name(), 2).summary().rows()).isEqualTo(8);
    }

    // files

    @Test
    void a_version_file_is_read_back_and_the_version_verifies() throws IOException {
        RegisteredModel model = modelWithVersions(1);

        try (InputStream in = registry().openVersionFile(alice, model.name(), 1, "model.onnx")) {
            assertThat(in.readAllBytes()).isEqualTo(TrainedModel.onnx());
        }
        assertThat(registry().verifyVersion(alice, model.name(), 1).files()).hasSize(2);
        assertFails(() -> registry().openVersionFile(alice, model.name(), 1, "weights.bin"),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "'weights.bin'");
    }

    @Test
    void a_tampered_file_fails_verification_and_loading_naming_the_file() throws IOException {
        RegisteredModel model = model();
        // a file no other test stores, so corrupting its blob touches nothing else
        byte[] notes = ("notes " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Path dir = directory(Map.of("model.onnx", TrainedModel.onnx(), "notes.txt", notes));
        registry().createModelVersionFromDirectory(alice, model.name(), dir, null, List.of());

        corruptBlob(sha256(notes));

        assertFails(() -> registry().verifyVersion(alice, model.name(), 1), ErrorCode.RESOURCE_CONFLICT, "'notes.txt'");
        assertThatThrownBy(() -> {
            try (InputStream in = registry().openVersionFile(alice, model.name(), 1, "notes.txt")) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("'notes.txt'");
        try (InputStream in = registry().openVersionFile(alice, model.name(), 1, "model.onnx")) {
            assertThat(in.readAllBytes()).isEqualTo(TrainedModel.onnx());
        }
    }
}
