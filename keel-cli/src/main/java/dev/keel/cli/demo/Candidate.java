package dev.keel.cli.demo;

import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.SGD;

import java.util.List;
import java.util.Locale;

/** One logistic-regression configuration the demo trains: how it descends and for how long. */
public record Candidate(Optimiser optimiser, double learningRate, int epochs) {

    /** The gradient-descent flavours on offer. */
    public enum Optimiser {
        ADAGRAD {
            @Override
            StochasticGradientOptimiser create(double learningRate) {
                return new AdaGrad(learningRate, 0.1);
            }
        },
        SGD_LINEAR_DECAY {
            @Override
            StochasticGradientOptimiser create(double learningRate) {
                return SGD.getLinearDecaySGD(learningRate);
            }
        };

        abstract StochasticGradientOptimiser create(double learningRate);

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Candidate {
        if (!(learningRate > 0) || epochs < 1) {
            throw new IllegalArgumentException("a candidate needs a positive learning rate and at least one epoch");
        }
    }

    /** The configurations {@code keel demo} tries, in order; {@code --models N} takes the first N. */
    public static List<Candidate> grid() {
        return List.of(
                new Candidate(Optimiser.ADAGRAD, 0.01, 4),
                new Candidate(Optimiser.ADAGRAD, 0.05, 8),
                new Candidate(Optimiser.ADAGRAD, 0.2, 12),
                new Candidate(Optimiser.SGD_LINEAR_DECAY, 0.1, 8),
                new Candidate(Optimiser.ADAGRAD, 1.0, 6),
                new Candidate(Optimiser.SGD_LINEAR_DECAY, 0.5, 12));
    }

    public String runName() {
        return "logreg-" + optimiser.label() + "-lr" + trim(learningRate) + "-e" + epochs;
    }

    public String learningRateText() {
        return trim(learningRate);
    }

    private static String trim(double value) {
        return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
