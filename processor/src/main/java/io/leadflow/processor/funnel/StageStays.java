package io.leadflow.processor.funnel;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The completed stays of one stage in one cohort figure: stays per {@link StageTimes} bucket, and the
 * buckets its p50 and p90 fall in, kept up to date as stays come and go. A change moves a percentile by a
 * bucket or two at most, so it is followed in a few steps instead of a scan of every bucket at each
 * emission (a busy figure has hundreds of buckets per stage). The percentiles are those {@link
 * StageTimes#percentilesOf} computes from the same buckets.
 */
final class StageStays {

    private final TreeMap<Long, Long> buckets = new TreeMap<>();
    private final Tracker p50 = new Tracker(50.0);
    private final Tracker p90 = new Tracker(90.0);
    private long total;

    /** Adds {@code delta} stays (negative: takes them back) to {@code bucket}. */
    void add(long bucket, long delta) {
        long count = buckets.getOrDefault(bucket, 0L) + delta;
        if (count == 0) {
            buckets.remove(bucket);
        } else {
            buckets.put(bucket, count);
        }
        total += delta;
        p50.moved(bucket, delta);
        p90.moved(bucket, delta);
    }

    /** Stays per bucket, lowest bucket first (a read-only view). */
    SortedMap<Long, Long> buckets() {
        return Collections.unmodifiableSortedMap(buckets);
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    StageTimes.Percentiles percentiles() {
        if (total <= 0) {
            return StageTimes.Percentiles.NONE;
        }
        return new StageTimes.Percentiles(p50.value(), p90.value());
    }

    /**
     * Where one percentile falls: the first bucket whose stays, with those of every lower bucket, reach the
     * percentile's count ({@code below} = stays in lower buckets); unknown ({@code bucket == null}) until
     * first asked.
     */
    private final class Tracker {

        private final double percentile;
        private Long bucket;
        private long below;

        Tracker(double percentile) {
            this.percentile = percentile;
        }

        long value() {
            if (bucket == null) {
                locate();
            }
            return StageTimes.highestEquivalentValue(bucket);
        }

        void moved(long changed, long delta) {
            if (bucket == null) {
                return;
            }
            if (total <= 0) {
                bucket = null;
                return;
            }
            if (changed < bucket) {
                below += delta;
            }
            long target = StageTimes.countAtPercentile(percentile, total);
            while (true) {
                long here = buckets.getOrDefault(bucket, 0L);
                if (below >= target) {
                    Long lower = buckets.lowerKey(bucket);
                    if (lower == null) {
                        locate();
                        return;
                    }
                    below -= buckets.get(lower);
                    bucket = lower;
                } else if (below + here < target) {
                    Long higher = buckets.higherKey(bucket);
                    if (higher == null) {
                        locate();
                        return;
                    }
                    below += here;
                    bucket = higher;
                } else {
                    return;
                }
            }
        }

        /** Finds the bucket by a scan from the lowest. */
        private void locate() {
            long target = StageTimes.countAtPercentile(percentile, total);
            below = 0;
            for (Map.Entry<Long, Long> entry : buckets.entrySet()) {
                if (below + entry.getValue() >= target) {
                    bucket = entry.getKey();
                    return;
                }
                below += entry.getValue();
            }
            bucket = null;
        }
    }
}
