package io.leadflow.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StandaloneOptionsTest {

    @Test
    void theDemoIsOffUnlessAskedFor() {
        StandaloneOptions options = StandaloneOptions.parse();

        assertThat(options.demo()).isFalse();
        assertThat(options.demoRate()).isEqualTo(30);
        assertThat(options.demoSeed()).isEqualTo(42);
    }

    @Test
    void takesTheDemoRateAndSeed() {
        StandaloneOptions options = StandaloneOptions.parse("--demo", "--demo-rate=120", "--demo-seed=7");

        assertThat(options.demo()).isTrue();
        assertThat(options.demoRate()).isEqualTo(120);
        assertThat(options.demoSeed()).isEqualTo(7);
        assertThat(StandaloneOptions.parse("--demo-rate=60").demo()).isTrue();
    }

    @Test
    void refusesARateOutOfRange() {
        assertThatThrownBy(() -> StandaloneOptions.parse("--demo", "--demo-rate=0"))
                .hasMessageContaining("--demo-rate must be a whole number from 1 to 6000");
        assertThatThrownBy(() -> StandaloneOptions.parse("--demo-rate=lots")).hasMessageContaining("'lots'");
    }
}
