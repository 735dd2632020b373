package io.leadflow.processor.funnel;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the funnel topology.
 *
 * @param emitInterval how often changed figures are written out: each figure key is emitted at most once
 *     per interval (wall-clock), so dashboards update smoothly without a flood
 * @param rulesCheckInterval how often the tenants' rules are compared with the ones the figures were last
 *     rendered with; a changed stage set re-emits every figure of that tenant
 */
public record FunnelSettings(Duration emitInterval, Duration rulesCheckInterval) {

    /** 200 ms between emissions of one figure, rules checked every second. */
    public static final FunnelSettings DEFAULTS = new FunnelSettings(Duration.ofMillis(200), Duration.ofSeconds(1));

    public FunnelSettings {
        requirePositive(emitInterval, "emitInterval");
        requirePositive(rulesCheckInterval, "rulesCheckInterval");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
