package dev.keel.cli.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CreditRiskDataTest {

    @Test
    void the_same_seed_gives_the_same_applicants() {
        assertThat(CreditRiskData.generate(500, 0.2, 7)).isEqualTo(CreditRiskData.generate(500, 0.2, 7));
        assertThat(CreditRiskData.generate(500, 0.2, 7)).isNotEqualTo(CreditRiskData.generate(500, 0.2, 8));
    }

    @Test
    void a_fifth_is_held_out_and_defaults_are_a_minority_but_not_rare() {
        CreditRiskData data = CreditRiskData.generate(5000, 0.2, 42);

        assertThat(data.train()).hasSize(4000);
        assertThat(data.test()).hasSize(1000);
        assertThat(data.defaultRate()).isBetween(0.1, 0.4);
    }

    @Test
    void applicants_have_plausible_values() {
        assertThat(CreditRiskData.generate(2000, 0.2, 1).train()).allSatisfy(applicant -> {
            assertThat(applicant.age()).isBetween(21.0, 70.0);
            assertThat(applicant.income()).isPositive();
            assertThat(applicant.debtRatio()).isBetween(0.0, 1.5);
            assertThat(applicant.creditHistoryYears()).isBetween(0.0, applicant.age() - 18);
            assertThat(applicant.latePayments()).isGreaterThanOrEqualTo(0);
            assertThat(applicant.loanAmount()).isGreaterThanOrEqualTo(0);
        });
    }
}
