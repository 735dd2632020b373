package io.leadflow.ingest.auth;

/**
 * A token bucket: it holds at most {@code capacity} tokens and gains {@code perSecond} of them every
 * second; each request takes one. Small and lock-based on purpose: one bucket per key, taken once per
 * request, never contended for long.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, int capacity, long nowNanos) {
        if (!(perSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException(
                    "a rate limit needs perSecond > 0 and burst >= 1, got " + perSecond + " and " + capacity);
        }
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    /**
     * Takes one token if there is one.
     *
     * @return 0 if a token was taken, otherwise the nanoseconds until one will be there
     */
    synchronized long tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perSecond * NANOS_PER_SECOND);
    }

    boolean hasLimit(double otherPerSecond, int otherCapacity) {
        return perSecond == otherPerSecond && capacity == otherCapacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed / NANOS_PER_SECOND * perSecond);
            refilledAt = nowNanos;
        }
    }
}
