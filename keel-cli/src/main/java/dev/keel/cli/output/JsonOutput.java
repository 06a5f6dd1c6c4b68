package dev.keel.cli.output;

import dev.keel.api.Tag;
import dev.keel.api.http.WireFormat;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Machine output: exactly one JSON document on stdout per command, in snake_case like the REST
 * API. Metrics, params and tags are objects keyed by name, so {@code jq '.[].metrics.auc'} works.
 */
public final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper WIRE = WireFormat.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** A document of plain maps, lists and values, as the views below build them. */
    public static void print(PrintStream out, Object document) {
        print(out, MAPPER, document);
    }

    /** The native API's own wire records ({@code dev.keel.api.http}), written as the API writes them. */
    public static void printWire(PrintStream out, Object body) {
        print(out, WIRE, body);
    }

    private static void print(PrintStream out, ObjectMapper mapper, Object document) {
        try {
            out.println(mapper.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> experiment(Experiment experiment) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("experiment_id", experiment.experimentId());
        view.put("name", experiment.name());
        view.put("artifact_location", experiment.artifactLocation());
        view.put("lifecycle_stage", experiment.lifecycleStage().wireName());
        view.put("creation_time", experiment.creationTime());
        view.put("last_update_time", experiment.lastUpdateTime());
        view.put("tags", tags(experiment.tags()));
        return view;
    }

    public static List<Map<String, Object>> experiments(List<Experiment> experiments) {
        return experiments.stream().map(JsonOutput::experiment).toList();
    }

    public static Map<String, Object> run(Run run) {
        RunInfo info = run.info();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", info.runId());
        view.put("run_name", info.runName());
        view.put("experiment_id", info.experimentId());
        view.put("user_id", info.userId());
        view.put("status", info.status().name());
        view.put("start_time", info.startTime());
        view.put("end_time", info.endTime());
        view.put("artifact_uri", info.artifactUri());
        view.put("lifecycle_stage", info.lifecycleStage().wireName());
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : run.data().metrics()) {
            metrics.put(metric.key(), metric.value());
        }
        view.put("metrics", metrics);
        Map<String, String> params = new LinkedHashMap<>();
        for (Param param : run.data().params()) {
            params.put(param.key(), param.value());
        }
        view.put("params", params);
        view.put("tags", tags(run.data().tags()));
        return view;
    }

    public static List<Map<String, Object>> runs(List<Run> runs) {
        return runs.stream().map(JsonOutput::run).toList();
    }

    public static Map<String, Object> metric(Metric metric) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key", metric.key());
        view.put("value", metric.value());
        view.put("timestamp", metric.timestamp());
        view.put("step", metric.step());
        return view;
    }

    public static Map<String, Object> artifact(ArtifactEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("path", entry.path());
        view.put("is_dir", entry.isDir());
        view.put("file_size", entry.fileSize());
        return view;
    }

    /** Tags as an object keyed by name. */
    public static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> view = new LinkedHashMap<>();
        for (Tag tag : tags) {
            view.put(tag.key(), tag.value());
        }
        return view;
    }
}
