package io.leadflow.processor.funnel;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Time in stage as a mergeable HdrHistogram: a stay's duration is counted in its histogram bucket (two
 * significant digits, under 1% error), so figures hold bucket counts, never lists of durations. Bucket
 * counts add and subtract exactly, so a customer's stays can leave a figure as exactly as they entered it.
 */
final class StageTimes {

    static final int SIGNIFICANT_DIGITS = 2;

    // Only its bucket arithmetic is used, which reads immutable fields: safe to share between threads.
    private static final Histogram LAYOUT = new Histogram(SIGNIFICANT_DIGITS);

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);

    /** The bucket of a stay of {@code durationMillis}: the lowest value it shares a bucket with. */
    static long bucketOf(long durationMillis) {
        return LAYOUT.lowestEquivalentValue(Math.max(0, durationMillis));
    }

    /** Median and 90th percentile of the durations counted by {@code buckets}, or {@code null}s if none. */
    Percentiles percentilesOf(Map<Long, Long> buckets) {
        histogram.reset();
        buckets.forEach((bucket, count) -> {
            if (count > 0) {
                histogram.recordValueWithCount(bucket, count);
            }
        });
        if (histogram.getTotalCount() == 0) {
            return Percentiles.NONE;
        }
        return new Percentiles(histogram.getValueAtPercentile(50.0), histogram.getValueAtPercentile(90.0));
    }

    /** p50 and p90 in milliseconds; both null when no stay was completed. */
    record Percentiles(Long p50, Long p90) {
        static final Percentiles NONE = new Percentiles(null, null);
    }
}
