package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void equalNamesComeBackAsOneInstance() {
        Names names = new Names(10);
        String first = names.of(new String("CONTACTED"));

        assertThat(names.of(new String("CONTACTED"))).isSameAs(first);
        assertThat(names.of("NEW")).isNotSameAs(first).isEqualTo("NEW");
    }

    @Test
    void pastTheBoundANameIsUsedAsItComes() {
        Names names = new Names(2);
        String kept = names.of(new String("NEW"));
        names.of("CONTACTED");
        String late = new String("WON");

        assertThat(names.of(late)).isSameAs(late);
        assertThat(names.of(new String("WON"))).isNotSameAs(late);
        assertThat(names.of(new String("NEW"))).isSameAs(kept);
    }

    @Test
    void factsShareTheirStageNamesAndPath() {
        CustomerFacts one = facts();
        CustomerFacts other = facts();

        assertThat(other.stage()).isSameAs(one.stage());
        assertThat(other.visits().get(0).stage()).isSameAs(one.visits().get(0).stage());
        assertThat(other.path()).isSameAs(one.path());
    }

    private static CustomerFacts facts() {
        return new CustomerFacts(
                "t",
                "c-1",
                1,
                new String("CONTACTED"),
                100L,
                "o",
                "team",
                "web",
                "spring",
                0,
                "UTC",
                List.of(new Visit(new String("NEW"), 0), new Visit(new String("CONTACTED"), 10)));
    }
}
