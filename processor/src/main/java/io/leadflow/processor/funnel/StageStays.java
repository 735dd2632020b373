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
 * A bucket is kept as its two-byte {@link StageTimes#indexOf index}: finding it is a binary search in an
 * array of every cohort figure's stage, mostly not in the processor's cache, and a quarter of the bytes is a
 * quarter of the cache lines to wait for.
 */
final class StageStays {

    private char[] buckets = new char[4];
    private long[] counts = new long[4];
    private int size;
    private final Tracker p50 = new Tracker(50.0);
    private final Tracker p90 = new Tracker(90.0);
    private long total;

    /** Adds {@code delta} stays (negative: takes them back) to {@code bucket}. */
    void add(long bucket, long delta) {
        if (delta == 0) {
            return;
        }
        char key = StageTimes.indexOf(bucket);
        int index = indexOf(key);
        total += delta;
        if (index >= 0) {
            counts[index] += delta;
            p50.changed(index, delta);
            p90.changed(index, delta);
            if (counts[index] == 0) {
                remove(index);
                p50.removed(index);
                p90.removed(index);
            }
        } else {
            int at = -index - 1;
            insert(at, key, delta);
            p50.inserted(at, delta);
            p90.inserted(at, delta);
        }
        p50.settle();
        p90.settle();
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
        return StageTimes.bucketAt(buckets[index]);
    }

    /** The {@link StageTimes#indexOf index} of the {@code index}th lowest bucket holding stays. */
    char bucketIndex(int index) {
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

    private int indexOf(char key) {
        return Arrays.binarySearch(buckets, 0, size, key);
    }

    private void insert(int index, char key, long count) {
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, index, buckets, index + 1, size - index);
        System.arraycopy(counts, index, counts, index + 1, size - index);
        buckets[index] = key;
        counts[index] = count;
        size++;
    }

    private void remove(int index) {
        System.arraycopy(buckets, index + 1, buckets, index, size - index - 1);
        System.arraycopy(counts, index + 1, counts, index, size - index - 1);
        size--;
    }

    /**
     * Where one percentile falls: the index of the first bucket whose stays, with those of every lower
     * bucket, reach the percentile's count ({@code below} = stays in lower buckets); unknown until first
     * asked. It follows the arrays as buckets are inserted and removed, so a change costs no search; and it
     * keeps the duration it stands for, so an emission reads it without touching the arrays again.
     */
    private final class Tracker {

        private final double percentile;
        private boolean known;
        private int index;
        private long below;
        private long value;

        Tracker(double percentile) {
            this.percentile = percentile;
        }

        long value() {
            if (!known) {
                locate();
            }
            return value;
        }

        /** The stays of the bucket at {@code at} changed by {@code delta}. */
        void changed(int at, long delta) {
            if (known && at < index) {
                below += delta;
            }
        }

        /** The bucket at {@code at}, now empty, was removed; the one above it took its index. */
        void removed(int at) {
            if (known && at < index) {
                index--;
            }
        }

        /** A bucket of {@code count} stays was inserted at {@code at}. */
        void inserted(int at, long count) {
            if (known && at <= index) {
                index++;
                below += count;
            }
        }

        /** Moves to the bucket the percentile now falls in: a bucket or two from where it was. */
        void settle() {
            if (!known) {
                return;
            }
            if (total <= 0 || index >= size) {
                locate();
                return;
            }
            long target = StageTimes.countAtPercentile(percentile, total);
            while (true) {
                if (below >= target) {
                    if (index == 0) {
                        locate();
                        return;
                    }
                    index--;
                    below -= counts[index];
                } else if (below + counts[index] < target) {
                    below += counts[index];
                    index++;
                    if (index >= size) {
                        locate();
                        return;
                    }
                } else {
                    value = StageTimes.highestEquivalentValue(StageTimes.bucketAt(buckets[index]));
                    return;
                }
            }
        }

        /** Finds the bucket by a scan from the lowest. */
        private void locate() {
            known = false;
            if (total <= 0) {
                return;
            }
            long target = StageTimes.countAtPercentile(percentile, total);
            below = 0;
            for (int i = 0; i < size; i++) {
                if (below + counts[i] >= target) {
                    index = i;
                    value = StageTimes.highestEquivalentValue(StageTimes.bucketAt(buckets[i]));
                    known = true;
                    return;
                }
                below += counts[i];
            }
        }
    }
}
