package io.leadflow.processor.funnel;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Time in stage as a mergeable HdrHistogram: a stay's duration is counted in its histogram bucket (two
 * significant digits, under 1% error), so figures hold bucket counts, never lists of durations. Bucket
 * counts add and subtract exactly, so a customer's stays can leave a figure as exactly as they entered it.
 * Percentiles are read from the bucket counts directly, the way {@link Histogram#getValueAtPercentile}
 * reads its own (a figure has a few buckets; a histogram's counts array has thousands).
 */
final class StageTimes {

    static final int SIGNIFICANT_DIGITS = 2;

    // Only its bucket arithmetic is used, which reads immutable fields: safe to share between threads.
    private static final Histogram LAYOUT = new Histogram(SIGNIFICANT_DIGITS);

    // The layout of two significant digits, as HdrHistogram derives it: 256 sub-buckets per power of two.
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (2L << SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    private static final int LEADING_ZERO_COUNT_BASE = 64 - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);

    /** How many buckets there are: every {@link #indexOf index} is below it. */
    static final int BUCKETS = 7_424;

    /** The bucket of a stay of {@code durationMillis}: the lowest value it shares a bucket with. */
    static long bucketOf(long durationMillis) {
        return LAYOUT.lowestEquivalentValue(Math.max(0, durationMillis));
    }

    /**
     * The position of {@code bucket} among all buckets in value order, as HdrHistogram indexes its counts
     * array: below 7,424 for any duration, so two bytes hold it where the bucket's value takes eight.
     */
    static char indexOf(long bucket) {
        long value = Math.max(0, bucket);
        int magnitude = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        int subBucket = (int) (value >>> magnitude);
        return (char) (((magnitude + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucket - SUB_BUCKET_HALF_COUNT);
    }

    /** The bucket (its lowest value) at {@code index}: the inverse of {@link #indexOf}. */
    static long bucketAt(char index) {
        int magnitude = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (magnitude < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            magnitude = 0;
        }
        return (long) subBucket << magnitude;
    }

    /** Median and 90th percentile of the durations counted by {@code buckets}, or {@code null}s if none. */
    static Percentiles percentilesOf(Map<Long, Long> buckets) {
        SortedMap<Long, Long> sorted =
                buckets instanceof SortedMap<Long, Long> map && map.comparator() == null ? map : new TreeMap<>(buckets);
        long total = 0;
        for (long count : sorted.values()) {
            total += Math.max(0, count);
        }
        if (total == 0) {
            return Percentiles.NONE;
        }
        long p50Count = countAtPercentile(50.0, total);
        long p90Count = countAtPercentile(90.0, total);
        Long p50 = null;
        long seen = 0;
        for (Map.Entry<Long, Long> bucket : sorted.entrySet()) {
            seen += Math.max(0, bucket.getValue());
            if (p50 == null && seen >= p50Count) {
                p50 = LAYOUT.highestEquivalentValue(bucket.getKey());
            }
            if (seen >= p90Count) {
                return new Percentiles(p50, LAYOUT.highestEquivalentValue(bucket.getKey()));
            }
        }
        return new Percentiles(p50 == null ? 0L : p50, 0L);
    }

    /** The highest duration a bucket stands for, which {@link Histogram#getValueAtPercentile} reports. */
    static long highestEquivalentValue(long bucket) {
        return LAYOUT.highestEquivalentValue(bucket);
    }

    /** The count a percentile falls at, as {@link Histogram#getValueAtPercentile} derives it. */
    static long countAtPercentile(double percentile, long total) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        return Math.max((long) Math.ceil(requested * total / 100.0), 1);
    }

    /** p50 and p90 in milliseconds; both null when no stay was completed. */
    record Percentiles(Long p50, Long p90) {
        static final Percentiles NONE = new Percentiles(null, null);
    }
}
