package dev.keel.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a model did on the held-out applicants; "positive" is the {@code default} label. */
public record Evaluation(double accuracy, double auc, double precision, double recall, double f1, double logLoss,
                         String report) {

    /**
     * The metrics logged once, after training, by the names the demo uses. Accuracy and the
     * test loss are not among them: they are logged every epoch, and the last epoch's value is
     * the final one.
     */
    public Map<String, Double> finalMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("auc", auc);
        metrics.put("precision", precision);
        metrics.put("recall", recall);
        metrics.put("f1", f1);
        return metrics;
    }
}
