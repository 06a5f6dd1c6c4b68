package dev.keel.serving;

import dev.keel.api.registry.Stage;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelReferenceTest {

    @Test
    void readsMlflowsThreeForms() {
        assertThat(ModelReference.parse("model", "models:/credit-risk/3"))
                .isEqualTo(new ModelReference.ByVersion("credit-risk", 3));
        assertThat(ModelReference.parse("model", "models:/credit-risk@champion"))
                .isEqualTo(new ModelReference.ByAlias("credit-risk", "champion"));
        assertThat(ModelReference.parse("model", "models:/credit-risk/production"))
                .isEqualTo(new ModelReference.ByStage("credit-risk", Stage.PRODUCTION));
        assertThat(ModelReference.parse("model", "credit-risk/2").uri()).isEqualTo("models:/credit-risk/2");
        assertThat(ModelReference.parse("model", "credit-risk@challenger").uri()).isEqualTo("models:/credit-risk@challenger");
    }

    @Test
    void refusesWhatIsNoModelUriNamingTheField() {
        for (String bad : new String[] {"", "credit-risk", "models:/", "models:/credit-risk/", "models:/a/b/3",
                "models:/credit-risk/0", "models:/credit-risk/-1", "models:/credit-risk/99999999999999999999",
                "models:/credit-risk/Shipped", "models:/credit-risk@"}) {
            assertThatThrownBy(() -> ModelReference.parse("model", bad)).as(bad)
                    .isInstanceOf(KeelException.class).hasMessageContaining("model");
        }
    }
}
