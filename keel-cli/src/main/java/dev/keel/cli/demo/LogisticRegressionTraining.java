package dev.keel.cli.demo;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trains one {@link Candidate} with Tribuo: logistic regression (a linear model under the log
 * loss) on standardized features. The standardization is part of the model, so the saved model
 * takes raw applicant values.
 *
 * <p>Tribuo trains all epochs in one call, so the per-epoch curve comes from training 1, 2, …
 * epochs from the same seed: SGD with a fixed seed is deterministic, so the model after k
 * epochs of a longer training is exactly the k-epoch model.
 */
public final class LogisticRegressionTraining {
    public static final Label DEFAULT = new Label("default");
    public static final Label REPAID = new Label("repaid");
    public static final String TRAINER = "LinearSGDTrainer(LogMulticlass) + MeanStdDevTransformation";

    private static final LabelFactory LABELS = new LabelFactory();
    // Tribuo announces every training at INFO; the demo trains dozens of times and shows its own progress.
    // Held in a field: java.util.logging keeps loggers only weakly.
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }
    private static final double MIN_PROBABILITY = 1e-15;

    private final MutableDataset<Label> train;
    private final MutableDataset<Label> test;
    private final long seed;

    public LogisticRegressionTraining(CreditRiskData data, long seed) {
        this.train = dataset("credit-risk-demo train", data.train());
        this.test = dataset("credit-risk-demo test", data.test());
        this.seed = seed;
    }

    /** The trained model and its evaluation on the held-out set. */
    public record Result(Model<Label> model, Evaluation evaluation) {
    }

    public Result train(Candidate candidate, Consumer<EpochScores> afterEpoch) {
        Model<Label> model = null;
        for (int epoch = 1; epoch <= candidate.epochs(); epoch++) {
            model = trainer(candidate, epoch).train(train);
            Scores onTrain = score(model, train);
            Scores onTest = score(model, test);
            afterEpoch.accept(new EpochScores(epoch, onTrain.loss(), onTrain.accuracy(), onTest.loss(), onTest.accuracy()));
        }
        return new Result(model, evaluate(model));
    }

    private TransformTrainer<Label> trainer(Candidate candidate, int epochs) {
        LinearSGDTrainer sgd = new LinearSGDTrainer(new LogMulticlass(), candidate.optimiser().create(candidate.learningRate()),
                epochs, -1, 1, seed);
        return new TransformTrainer<>(sgd, new TransformationMap(List.of(new MeanStdDevTransformation())), true);
    }

    private Evaluation evaluate(Model<Label> model) {
        LabelEvaluation evaluation = LABELS.getEvaluator().evaluate(model, test);
        return new Evaluation(evaluation.accuracy(), evaluation.AUCROC(DEFAULT), evaluation.precision(DEFAULT),
                evaluation.recall(DEFAULT), evaluation.f1(DEFAULT), score(model, test).loss(), evaluation.toString());
    }

    private record Scores(double loss, double accuracy) {
    }

    /** Mean log loss (cross-entropy) and accuracy of the model's predictions on a data set. */
    private static Scores score(Model<Label> model, MutableDataset<Label> data) {
        List<Prediction<Label>> predictions = model.predict(data);
        double loss = 0;
        int correct = 0;
        for (Prediction<Label> prediction : predictions) {
            Label truth = prediction.getExample().getOutput();
            Label scored = prediction.getOutputScores().get(truth.getLabel());
            double probability = scored == null ? 0 : scored.getScore();
            loss -= Math.log(Math.max(MIN_PROBABILITY, probability));
            if (prediction.getOutput().getLabel().equals(truth.getLabel())) {
                correct++;
            }
        }
        return new Scores(loss / predictions.size(), (double) correct / predictions.size());
    }

    private static MutableDataset<Label> dataset(String description, List<Applicant> applicants) {
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, LABELS), LABELS);
        String[] names = Applicant.FEATURE_NAMES.toArray(String[]::new);
        for (Applicant applicant : applicants) {
            Example<Label> example = new ArrayExample<>(applicant.defaulted() ? DEFAULT : REPAID, names, applicant.features());
            dataset.add(example);
        }
        return dataset;
    }
}
