package io.leadflow.processor.funnel;

import java.util.List;

/**
 * What one customer adds to one figure: one customer in {@code stage} with {@code amountCents}, one path
 * (the set of stages it visited, from which "reached" is derived with the stage order in force when the
 * figure is rendered), and, for cohort figures, its completed stays.
 */
record Contribution(String stage, long amountCents, String path, List<Stay> stays) {

    /** A completed stay in {@code stage}, counted in a {@link StageTimes} bucket. */
    record Stay(String stage, long bucket) {}
}
