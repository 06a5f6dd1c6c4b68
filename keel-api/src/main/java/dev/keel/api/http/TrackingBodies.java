package dev.keel.api.http;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.List;

/**
 * The few shapes of tracking's native API that are not domain records: bodies whose fields
 * live in the path elsewhere, and a metric whose value and timestamp must be present (a domain
 * {@link Metric} would silently read a missing number as 0).
 */
public final class TrackingBodies {
    private TrackingBodies() {
    }

    /** {@code PATCH /api/v1/experiments/{id}}: the new name. */
    public record ExperimentRename(String name) {
    }

    /** A metric as sent: the same fields as {@link Metric}, with value and timestamp required. */
    public record MetricBody(String key, Double value, Long timestamp, Long step) {
        public static MetricBody of(Metric metric) {
            return new MetricBody(metric.key(), metric.value(), metric.timestamp(), metric.step());
        }

        /** The metric; {@code field} prefixes the names of missing fields ("metrics[3]."). */
        public Metric toMetric(String field) {
            if (value == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + "value'");
            }
            if (timestamp == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + "timestamp'");
            }
            return new Metric(key, value, timestamp, step == null ? 0 : step);
        }
    }

    /** A batch as sent: the same fields as {@link LogBatch}. */
    public record LogBatchBody(List<MetricBody> metrics, List<Param> params, List<Tag> tags) {
        public static LogBatchBody of(LogBatch batch) {
            return new LogBatchBody(batch.metrics().stream().map(MetricBody::of).toList(), batch.params(), batch.tags());
        }

        public LogBatch toBatch() {
            List<Metric> converted = new ArrayList<>(metrics == null ? 0 : metrics.size());
            if (metrics != null) {
                for (int i = 0; i < metrics.size(); i++) {
                    MetricBody metric = metrics.get(i);
                    if (metric == null) {
                        throw KeelException.invalid("'metrics[" + i + "]' must be a JSON object, not null");
                    }
                    converted.add(metric.toMetric("metrics[" + i + "]."));
                }
            }
            return new LogBatch(converted, params, tags);
        }
    }

    /** {@code POST /api/v1/runs/{id}/inputs}: the datasets the run used. */
    public record InputsBody(List<DatasetInput> datasets) {
        public InputsBody {
            datasets = datasets == null ? List.of() : datasets;
        }
    }

    /** {@code POST /api/v1/runs/{id}/models}: a logged model's description, one JSON object as text. */
    public record LoggedModelBody(String modelJson) {
    }

    /** {@code GET /api/v1/runs/{id}/artifacts}: the direct children of a directory. */
    public record ArtifactListing(List<ArtifactEntry> files) {
        public ArtifactListing {
            files = List.copyOf(files);
        }
    }
}
