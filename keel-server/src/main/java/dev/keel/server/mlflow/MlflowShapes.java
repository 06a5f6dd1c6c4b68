package dev.keel.server.mlflow;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;

import java.util.List;
import java.util.function.Function;

/**
 * The messages of MLflow's {@code service.proto} as Keel answers them. Written with snake_case
 * names and without null fields; an empty repeated field is null here, so it is left out as
 * protobuf's JSON printer leaves it out.
 */
final class MlflowShapes {
    private MlflowShapes() {
    }

    record KeyValue(String key, String value) {
    }

    record ExperimentJson(String experimentId, String name, String artifactLocation, String lifecycleStage,
                          Long lastUpdateTime, Long creationTime, List<KeyValue> tags) {
        static ExperimentJson of(Experiment e) {
            return new ExperimentJson(e.experimentId(), e.name(), e.artifactLocation(), e.lifecycleStage().wireName(),
                    e.lastUpdateTime(), e.creationTime(), list(e.tags(), MlflowShapes::tag));
        }
    }

    record MetricJson(String key, double value, long timestamp, long step) {
        static MetricJson of(Metric m) {
            return new MetricJson(m.key(), m.value(), m.timestamp(), m.step());
        }
    }

    record RunInfoJson(String runId, String runUuid, String runName, String experimentId, String userId, String status,
                       Long startTime, Long endTime, String artifactUri, String lifecycleStage) {
        static RunInfoJson of(RunInfo i) {
            return new RunInfoJson(i.runId(), i.runId(), i.runName(), i.experimentId(), i.userId(), i.status().name(),
                    i.startTime(), i.endTime(), i.artifactUri(), i.lifecycleStage().wireName());
        }
    }

    record RunDataJson(List<MetricJson> metrics, List<KeyValue> params, List<KeyValue> tags) {
    }

    record DatasetJson(String name, String digest, String sourceType, String source, String schema, String profile) {
        static DatasetJson of(Dataset d) {
            return new DatasetJson(d.name(), d.digest(), d.sourceType(), d.source(), d.schema(), d.profile());
        }
    }

    record DatasetInputJson(List<KeyValue> tags, DatasetJson dataset) {
        static DatasetInputJson of(DatasetInput input) {
            return new DatasetInputJson(list(input.tags(), (InputTag t) -> new KeyValue(t.key(), t.value())),
                    DatasetJson.of(input.dataset()));
        }
    }

    record RunInputsJson(List<DatasetInputJson> datasetInputs) {
    }

    record RunJson(RunInfoJson info, RunDataJson data, RunInputsJson inputs) {
        static RunJson of(Run run) {
            return new RunJson(RunInfoJson.of(run.info()),
                    new RunDataJson(list(run.data().metrics(), MetricJson::of),
                            list(run.data().params(), (Param p) -> new KeyValue(p.key(), p.value())),
                            list(run.data().tags(), MlflowShapes::tag)),
                    new RunInputsJson(list(run.inputs().datasetInputs(), DatasetInputJson::of)));
        }
    }

    record FileInfoJson(String path, boolean isDir, Long fileSize) {
        /** An entry of a run's listing: its path from the run's artifact root. */
        static FileInfoJson of(ArtifactEntry entry) {
            return new FileInfoJson(entry.path(), entry.isDir(), entry.fileSize());
        }

        /** An entry of the artifact proxy's listing: its name within the listed directory. */
        static FileInfoJson named(ArtifactEntry entry) {
            int slash = entry.path().lastIndexOf('/');
            return new FileInfoJson(slash < 0 ? entry.path() : entry.path().substring(slash + 1), entry.isDir(),
                    entry.fileSize());
        }
    }

    // responses

    record CreateExperimentResponse(String experimentId) {
    }

    record ExperimentResponse(ExperimentJson experiment) {
    }

    record SearchExperimentsResponse(List<ExperimentJson> experiments, String nextPageToken) {
    }

    record RunResponse(RunJson run) {
    }

    record UpdateRunResponse(RunInfoJson runInfo) {
    }

    record SearchRunsResponse(List<RunJson> runs, String nextPageToken) {
    }

    record ListArtifactsResponse(String rootUri, List<FileInfoJson> files) {
    }

    record ProxyListResponse(List<FileInfoJson> files) {
    }

    /** The answer of every call that returns no fields. */
    record Empty() {
    }

    private static KeyValue tag(Tag tag) {
        return new KeyValue(tag.key(), tag.value());
    }

    static <T, R> List<R> list(List<T> items, Function<T, R> convert) {
        return items.isEmpty() ? null : items.stream().map(convert).toList();
    }
}
