package dev.keel.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic credit-risk data set: applicants drawn from plausible distributions, the default
 * label from a known logistic ground truth plus noise, so a logistic regression can learn most
 * (not all) of it. The same seed always gives the same applicants.
 */
public record CreditRiskData(List<Applicant> train, List<Applicant> test) {

    public CreditRiskData {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /** {@code rows} applicants, the last {@code testFraction} of them held out for evaluation. */
    public static CreditRiskData generate(int rows, double testFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Applicant> applicants = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            applicants.add(applicant(random));
        }
        int testRows = Math.max(1, (int) Math.round(rows * testFraction));
        return new CreditRiskData(applicants.subList(0, rows - testRows), applicants.subList(rows - testRows, rows));
    }

    public double defaultRate() {
        long defaults = train.stream().filter(Applicant::defaulted).count() + test.stream().filter(Applicant::defaulted).count();
        return (double) defaults / (train.size() + test.size());
    }

    private static Applicant applicant(SplittableRandom random) {
        double age = Math.floor(21 + 49 * random.nextDouble());
        double income = Math.round(Math.exp(10.8 + 0.5 * random.nextGaussian()));
        double employmentYears = Math.floor(Math.min(age - 18, -6 * Math.log(1 - random.nextDouble())));
        double creditHistoryYears = Math.floor((age - 18) * (0.3 + 0.7 * random.nextDouble()));
        double debtRatio = clamp(0.35 + 0.15 * random.nextGaussian(), 0.0, 1.5);
        double latePayments = poisson(random, 0.4 + 1.5 * debtRatio * debtRatio);
        double openCreditLines = poisson(random, 4);
        double loanToIncome = clamp(0.3 + 0.12 * random.nextGaussian(), 0.02, 1.2);
        double loanAmount = Math.round(income * loanToIncome / 100) * 100.0;
        double homeOwner = random.nextDouble() < 0.2 + age / 150 ? 1 : 0;

        // the ground truth the models try to recover; the noise keeps the best possible AUC below 1
        double logit = -1.5
                + 0.9 * (debtRatio - 0.35) / 0.15
                + 0.55 * latePayments
                - 0.5 * (Math.log(income) - 10.8) / 0.5
                - 0.04 * (creditHistoryYears - 10)
                + 0.6 * (loanToIncome - 0.3) / 0.12
                - 0.3 * homeOwner
                - 0.02 * (age - 45)
                - 0.03 * employmentYears
                + 0.8 * random.nextGaussian();
        boolean defaulted = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        return new Applicant(age, income, debtRatio, creditHistoryYears, latePayments, loanAmount,
                employmentYears, openCreditLines, homeOwner, defaulted);
    }

    private static double poisson(SplittableRandom random, double mean) {
        // Knuth's method: fine for the small means used here
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
