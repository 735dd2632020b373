package io.leadflow.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void derivesTheSameIdForTheSameTenantKeyAndPositionOnly() {
        IdempotencyKey key = new IdempotencyKey("order-4711");

        assertThat(key.id("acme", "lead")).isEqualTo(new IdempotencyKey("order-4711").id("acme", "lead"));
        assertThat(key.id("acme", "lead")).isNotEqualTo(key.id("globex", "lead"));
        assertThat(key.id("acme", "lead")).isNotEqualTo(key.id("acme", "activity"));
        assertThat(key.id("acme", "lead", 1)).isNotEqualTo(key.id("acme", "lead", 2));
        assertThat(UUID.fromString(key.id("acme", "lead")).version()).isEqualTo(5);
    }

    @Test
    void refusesKeysThatAreBlankTooLongOrNotVisibleAscii() {
        assertThatThrownBy(() -> new IdempotencyKey("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyKey("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyKey("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyKey("键")).isInstanceOf(IllegalArgumentException.class);
    }
}
