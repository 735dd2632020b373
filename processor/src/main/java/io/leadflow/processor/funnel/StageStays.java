package io.leadflow.processor.funnel;

import java.util.Arrays;

/**
 * The completed stays of one stage in one cohort figure: stays per {@link StageTimes} bucket, and the
 * buckets its p50 and p90 fall in, kept up to date as stays come and go. A change moves a percentile by a
 * bucket or two at most, so it is followed in a few steps instead of a scan of every bucket at each
 * emission (a busy figure has hundreds of buckets per stage). The percentiles are those {@link
 * StageTimes#percentilesOf} computes from the same buckets.
 *
 * <p>Buckets and counts are kept in two sorted arrays, not a map of boxed numbers: a busy figure is
 * written with all its buckets at every commit, and a stay is added far less often than a bucket is read.
 */
final class StageStays {

    private long[] buckets = new long[4];
    private long[] counts = new long[4];
    private int size;
    private final Tracker p50 = new Tracker(50.0);
    private final Tracker p90 = new Tracker(90.0);
    private long total;

    /** Adds {@code delta} stays (negative: takes them back) to {@code bucket}. */
    void add(long bucket, long delta) {
        int index = indexOf(bucket);
        if (index >= 0) {
            counts[index] += delta;
            if (counts[index] == 0) {
                remove(index);
            }
        } else if (delta != 0) {
            insert(-index - 1, bucket, delta);
        }
        total += delta;
        p50.moved(bucket, delta);
        p90.moved(bucket, delta);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** How many buckets hold stays. */
    int size() {
        return size;
    }

    /** The {@code index}th lowest bucket holding stays. */
    long bucket(int index) {
        return buckets[index];
    }

    /** The stays in the {@code index}th lowest bucket. */
    long count(int index) {
        return counts[index];
    }

    StageTimes.Percentiles percentiles() {
        if (total <= 0) {
            return StageTimes.Percentiles.NONE;
        }
        return new StageTimes.Percentiles(p50.value(), p90.value());
    }

    private int indexOf(long bucket) {
        return Arrays.binarySearch(buckets, 0, size, bucket);
    }

    private long countIn(long bucket) {
        int index = indexOf(bucket);
        return index >= 0 ? counts[index] : 0;
    }

    /** Index of the highest bucket below {@code bucket}, -1 if none. */
    private int lowerIndex(long bucket) {
        int index = indexOf(bucket);
        return (index >= 0 ? index : -index - 1) - 1;
    }

    /** Index of the lowest bucket above {@code bucket}, {@link #size} if none. */
    private int higherIndex(long bucket) {
        int index = indexOf(bucket);
        return index >= 0 ? index + 1 : -index - 1;
    }

    private void insert(int index, long bucket, long count) {
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, index, buckets, index + 1, size - index);
        System.arraycopy(counts, index, counts, index + 1, size - index);
        buckets[index] = bucket;
        counts[index] = count;
        size++;
    }

    private void remove(int index) {
        System.arraycopy(buckets, index + 1, buckets, index, size - index - 1);
        System.arraycopy(counts, index + 1, counts, index, size - index - 1);
        size--;
    }

    /**
     * Where one percentile falls: the first bucket whose stays, with those of every lower bucket, reach the
     * percentile's count ({@code below} = stays in lower buckets); unknown until first asked.
     */
    private final class Tracker {

        private final double percentile;
        private boolean known;
        private long bucket;
        private long below;

        Tracker(double percentile) {
            this.percentile = percentile;
        }

        long value() {
            if (!known) {
                locate();
            }
            return StageTimes.highestEquivalentValue(bucket);
        }

        void moved(long changed, long delta) {
            if (!known) {
                return;
            }
            if (total <= 0) {
                known = false;
                return;
            }
            if (changed < bucket) {
                below += delta;
            }
            long target = StageTimes.countAtPercentile(percentile, total);
            while (true) {
                long here = countIn(bucket);
                if (below >= target) {
                    int lower = lowerIndex(bucket);
                    if (lower < 0) {
                        locate();
                        return;
                    }
                    below -= counts[lower];
                    bucket = buckets[lower];
                } else if (below + here < target) {
                    int higher = higherIndex(bucket);
                    if (higher >= size) {
                        locate();
                        return;
                    }
                    below += here;
                    bucket = buckets[higher];
                } else {
                    return;
                }
            }
        }

        /** Finds the bucket by a scan from the lowest. */
        private void locate() {
            long target = StageTimes.countAtPercentile(percentile, total);
            below = 0;
            for (int i = 0; i < size; i++) {
                if (below + counts[i] >= target) {
                    bucket = buckets[i];
                    known = true;
                    return;
                }
                below += counts[i];
            }
            known = false;
        }
    }
}
