package io.leadflow.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PoolHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void countsDaysLeftBeforeAReturnRoundedUp() {
        assertThat(PoolHandler.daysLeft(NOW, NOW.plus(Duration.ofDays(2)).plusSeconds(1)))
                .isEqualTo(3);
        assertThat(PoolHandler.daysLeft(NOW, NOW.plus(Duration.ofDays(2)))).isEqualTo(2);
        assertThat(PoolHandler.daysLeft(NOW, NOW.minusSeconds(5))).isZero();
        assertThat(PoolHandler.daysLeft(NOW, null)).isNull();
    }
}
