package dev.keel.registry.approval;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.GroupRates;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.registry.approval.FairnessMetricsTest.bools;
import static dev.keel.registry.approval.FairnessMetricsTest.groups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationSetTest {
    private static final EvaluationSet SET = new EvaluationSet(bools("1100" + "1000"), bools("1010" + "1001"),
            Map.of("home_ownership", groups("own", 4, "rent", 4), "age_band", groups("young", 2, "old", 6)));

    @Test
    void the_canonical_form_is_compact_ordered_json_and_the_same_content_gives_the_same_digest() {
        String canonical = EvaluationSetJson.write(SET);

        assertThat(canonical).isEqualTo("{\"predicted\":[true,true,false,false,true,false,false,false],"
                + "\"actual\":[true,false,true,false,true,false,false,true],\"sensitive_attributes\":{"
                + "\"age_band\":[\"young\",\"young\",\"old\",\"old\",\"old\",\"old\",\"old\",\"old\"],"
                + "\"home_ownership\":[\"own\",\"own\",\"own\",\"own\",\"rent\",\"rent\",\"rent\",\"rent\"]}}");
        assertThat(EvaluationSetJson.read(canonical)).isEqualTo(SET);

        // the attributes given in another order are the same set, with the same digest
        Map<String, List<String>> reordered = new LinkedHashMap<>();
        reordered.put("home_ownership", groups("own", 4, "rent", 4));
        reordered.put("age_band", groups("young", 2, "old", 6));
        EvaluationSet same = new EvaluationSet(SET.predicted(), SET.actual(), reordered);
        assertThat(EvaluationSetJson.sha256(EvaluationSetJson.write(same))).isEqualTo(EvaluationSetJson.sha256(canonical))
                .hasSize(64);
        EvaluationSet other = new EvaluationSet(bools("1100" + "1001"), SET.actual(), reordered);
        assertThat(EvaluationSetJson.sha256(EvaluationSetJson.write(other))).isNotEqualTo(EvaluationSetJson.sha256(canonical));
    }

    @Test
    void rates_per_group_show_decisions_beside_outcomes() {
        assertThat(SET.rows()).isEqualTo(8);
        assertThat(SET.overall()).isEqualTo(new GroupRates("all", 8, 3.0 / 8, 4.0 / 8));
        List<GroupRates> home = SET.rates("home_ownership");
        assertThat(home).extracting(GroupRates::group).containsExactly("own", "rent");
        assertThat(home.get(0).rows()).isEqualTo(4);
        assertThat(home.get(0).predictedPositiveRate()).isCloseTo(0.5, within(1e-12));
        assertThat(home.get(1).predictedPositiveRate()).isCloseTo(0.25, within(1e-12));
        assertThat(home.get(1).actualPositiveRate()).isCloseTo(0.5, within(1e-12));
        assertThatThrownBy(() -> SET.rates("gender")).isInstanceOf(KeelException.class)
                .hasMessageContaining("no sensitive attribute 'gender'; it has age_band, home_ownership");
    }

    @Test
    void each_limit_is_a_400_naming_the_field() {
        List<Boolean> tooMany = Collections.nCopies(EvaluationSet.MAX_ROWS + 1, true);
        refused(() -> new EvaluationSet(tooMany, tooMany, Map.of()), "'predicted' holds 100001 rows", "at most 100000");

        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (int i = 0; i <= EvaluationSet.MAX_ATTRIBUTES; i++) {
            attributes.put("a" + i, List.of("x"));
        }
        refused(() -> new EvaluationSet(bools("1"), bools("1"), attributes), "'sensitive_attributes' holds 11 attributes");

        refused(() -> new EvaluationSet(bools("10"), bools("10"), Map.of("region", List.of("north", "n".repeat(101)))),
                "'sensitive_attributes.region[1]' is 101 characters long; at most 100");
        refused(() -> new EvaluationSet(bools("10"), bools("10"), Map.of("region", List.of("north", " "))),
                "'sensitive_attributes.region[1]' is blank");
        refused(() -> new EvaluationSet(bools("1"), bools("1"), Map.of("a".repeat(101), List.of("x"))),
                "sensitive attribute name", "101 characters long");
        refused(() -> new EvaluationSet(bools("1"), bools("1"), Map.of("home\nownership", List.of("x"))),
                "invalid sensitive attribute name");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= EvaluationSet.MAX_GROUPS; i++) {
            ids.add("applicant-" + i);
        }
        List<Boolean> rows = Collections.nCopies(ids.size(), false);
        refused(() -> new EvaluationSet(rows, rows, Map.of("applicant", ids)),
                "'sensitive_attributes.applicant' has more than 100 distinct groups");

        List<Boolean> withNull = new ArrayList<>(bools("10"));
        withNull.add(null);
        refused(() -> new EvaluationSet(withNull, bools("101"), Map.of()), "'predicted[2]' is null");
        refused(() -> new EvaluationSet(bools("10"), null, Map.of()), "'actual'");
        refused(() -> new EvaluationSet(bools("10"), bools("10"), null), "'sensitive_attributes'");
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... inMessage) {
        var failure = assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
        for (String text : inMessage) {
            failure.hasMessageContaining(text);
        }
    }
}
