package dev.keel.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.card.DataReference;
import dev.keel.api.registry.card.EthicalConsideration;
import dev.keel.api.registry.card.Factor;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.card.Owner;
import dev.keel.api.registry.card.Threshold;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Model cards for tests: one with every section written, as an author would fill it in. */
public final class SampleCards {
    private SampleCards() {
    }

    /** Every section written; no name or version, so it fits any version. */
    public static ModelCard complete() {
        return new ModelCard(
                new ModelDetails(null, 0, "Logistic regression scoring loan applicants' risk of default.",
                        List.of(new Owner("credit-risk team", "risk@example.com")), "Apache-2.0",
                        List.of("https://example.com/tickets/42"), null, Map.of("team", "risk")),
                new ModelParameters("logistic regression on standardized features", null, null, null, List.of(),
                        Map.of("learning_rate", "0.05", "epochs", "10")),
                new IntendedUse(List.of("Ranking loan applicants for manual review"), List.of("credit analysts"),
                        List.of("Automated denial of credit")),
                List.of(new Factor("age band", "21-34, 35-49, 50+"), new Factor("home ownership", "owner or not")),
                List.of(new MetricResult("auc", null, 0.82, new Threshold(">=", 0.75)),
                        new MetricResult("auc", "home_owner=yes", 0.80, new Threshold(">=", 0.75)),
                        new MetricResult("auc", "home_owner=no", 0.71, new Threshold(">=", 0.75))),
                List.of(new DataReference("credit-train", "d1g3st", "data/train.csv", "training", "4,000 applicants")),
                List.of(new DataReference("credit-test", "t3st", "data/test.csv", "test", "1,000 applicants")),
                List.of(new EthicalConsideration("Age is an input and could disadvantage young applicants",
                        "AUC is reported per age band; decisions stay with a person")),
                List.of("Trained on synthetic data"),
                List.of("Re-validate on real applications before any use"),
                false, null, 0);
    }

    /** The manifest's facts as a card would show them, for a card built outside the registry. */
    public static ModelCard withManifestFacts(ModelCard card, String name, long version) {
        Signature signature = new Signature(List.of(new TensorSpec("features", "float32", List.of(-1L, 9L))),
                List.of(new TensorSpec("probabilities", "float32", List.of(-1L, 2L))));
        ModelParameters parameters = new ModelParameters(card.modelParameters().architecture(), "onnx", "model.onnx",
                signature, List.of(new ManifestFile("model.onnx", "a".repeat(64), 1234)),
                card.modelParameters().hyperparameters());
        ModelDetails details = card.modelDetails();
        return new ModelCard(new ModelDetails(name, version, details.overview(), details.owners(), details.license(),
                details.references(), RiskTier.HIGH, details.tags()), parameters, card.intendedUse(), card.factors(),
                card.metrics(), card.trainingData(), card.evaluationData(), card.ethicalConsiderations(), card.caveats(),
                card.recommendations(), card.draft(), card.lastUpdatedBy(), card.lastUpdatedTimestamp());
    }

    /** The card after {@code edit} changed its JSON form: for cards no author could build with the records' help. */
    public static ModelCard edited(ModelCard card, Consumer<ObjectNode> edit) {
        try {
            ObjectNode json = (ObjectNode) new ObjectMapper().readTree(ModelCardJson.write(card));
            edit.accept(json);
            return ModelCardJson.read(json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
