package dev.keel.registry.card;

import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.Threshold;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a model card knows about itself, without a registry. */
class ModelCardTest {

    @Test
    void an_empty_card_misses_every_section() {
        ModelCard empty = new ModelCard(null, null, null, null, null, null, null, null, null, null, true, null, 0);

        assertThat(empty.missingSections()).containsExactly(CardSection.values());
        assertThat(empty.factors()).isEmpty();
        assertThat(empty.intendedUse().outOfScopeUses()).isEmpty();
    }

    @Test
    void a_complete_card_misses_nothing() {
        assertThat(SampleCards.complete().missingSections()).isEmpty();
    }

    @Test
    void caveats_or_recommendations_alone_complete_their_section() {
        ModelCard onlyRecommendations = SampleCards.edited(SampleCards.complete(), json -> json.putArray("caveats"));

        assertThat(onlyRecommendations.missingSections()).isEmpty();
    }

    @Test
    void overall_metrics_do_not_make_a_quantitative_analysis() {
        ModelCard overallOnly = SampleCards.edited(SampleCards.complete(), json -> json.putArray("metrics")
                .addObject().put("metric", "auc").put("value", 0.8));

        assertThat(overallOnly.missingSections()).containsExactly(CardSection.QUANTITATIVE_ANALYSIS);
    }

    @Test
    void a_threshold_says_whether_a_value_meets_it() {
        assertThat(new Threshold(">=", 0.8).holdsFor(0.8)).isTrue();
        assertThat(new Threshold(">", 0.8).holdsFor(0.8)).isFalse();
        assertThat(new Threshold("<=", 0.1).holdsFor(0.05)).isTrue();
        assertThat(new Threshold("<", 0.1).holdsFor(0.1)).isFalse();
        assertThat(new MetricResult("auc", null, 0.7, null).meetsThreshold()).isNull();
    }

    @Test
    void sections_parse_by_their_policy_names() {
        assertThat(CardSection.parse("Intended_Use")).isEqualTo(CardSection.INTENDED_USE);
        assertThatThrownBy(() -> CardSection.parse("purpose")).isInstanceOf(KeelException.class)
                .hasMessageContaining("'purpose'").hasMessageContaining("caveats_and_recommendations");
    }

    @Test
    void a_card_survives_its_json_form() {
        ModelCard card = SampleCards.withManifestFacts(SampleCards.complete(), "credit-risk", 3);

        assertThat(ModelCardJson.read(ModelCardJson.write(card))).isEqualTo(card);
        assertThat(ModelCardJson.write(card)).contains("\"model_details\"", "\"out_of_scope_uses\"", "\"evaluation_data\"");
    }

    @Test
    void checks_fill_in_the_name_and_version_and_refuse_a_value_that_is_not_a_number() {
        ModelCard checked = CardChecks.requireValid(SampleCards.complete(), "credit-risk", 3);
        assertThat(checked.modelDetails().name()).isEqualTo("credit-risk");
        assertThat(checked.modelDetails().version()).isEqualTo(3);

        ModelCard nan = new ModelCard(null, null, null, null, List.of(new MetricResult("auc", null, Double.NaN, null)),
                null, null, null, null, null, false, null, 0);
        assertThatThrownBy(() -> CardChecks.requireValid(nan, "credit-risk", 3)).isInstanceOf(KeelException.class)
                .hasMessageContaining("'metrics[0].value'");
    }

    @Test
    void malformed_json_is_refused_as_bad_input() {
        assertThatThrownBy(() -> ModelCardJson.read("{\"factors\": \"age\"}")).isInstanceOf(KeelException.class)
                .hasMessageContaining("not a model card");
    }
}
