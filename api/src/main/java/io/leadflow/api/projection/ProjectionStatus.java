package io.leadflow.api.projection;

import java.time.Instant;
import java.util.Map;

/**
 * The projection's state for health and metrics.
 *
 * @param lagByTopic records not yet projected, per topic
 * @param lastPollAt when the consumer last polled, null before the first poll
 * @param stalled whether the projection has stopped making progress
 * @param lastFailure the last write failure since the last successful batch, or null
 */
record ProjectionStatus(Map<String, Long> lagByTopic, Instant lastPollAt, boolean stalled, Throwable lastFailure) {

    long totalLag() {
        return lagByTopic.values().stream().mapToLong(Long::longValue).sum();
    }
}
