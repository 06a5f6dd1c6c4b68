package dev.keel.cli.demo;

import java.util.List;

/** One loan applicant of the demo's data set, and whether they defaulted. */
public record Applicant(double age, double income, double debtRatio, double creditHistoryYears,
                        double latePayments, double loanAmount, double employmentYears,
                        double openCreditLines, double homeOwner, boolean defaulted) {

    /** The model's inputs, in the order {@link #features()} gives their values. */
    public static final List<String> FEATURE_NAMES = List.of("age", "income", "debt_ratio", "credit_history_years",
            "late_payments", "loan_amount", "employment_years", "open_credit_lines", "home_owner");

    /** The applicant's home-ownership group, a sensitive attribute: "owner" or "non-owner". */
    public String homeOwnership() {
        return homeOwner == 1 ? "owner" : "non-owner";
    }

    /** The applicant's age band, a sensitive attribute: "21-34", "35-49" or "50-69". */
    public String ageBand() {
        return age < 35 ? "21-34" : age < 50 ? "35-49" : "50-69";
    }

    public double[] features() {
        return new double[] {age, income, debtRatio, creditHistoryYears, latePayments, loanAmount,
                employmentYears, openCreditLines, homeOwner};
    }
}
