package io.leadflow.processor.funnel;

import java.util.Arrays;

/**
 * The completed stays of one stage summed over the day figures of a week or month, and their percentiles:
 * each bucket's stays are added into an array of every bucket, and into the total of its block of 64
 * buckets. Adding a day's stays costs two array writes per bucket, where keeping the sum sorted as {@link
 * StageStays} does would cost a search and a shift; reading a percentile walks the 116 block totals and then
 * one block, not every bucket between the lowest and the highest used (thousands, for stays from minutes to
 * weeks); clearing empties the blocks used.
 */
final class StaysSum {

    private static final int BLOCK_SHIFT = 6;

    private final long[] counts = new long[StageTimes.BUCKETS];
    private final long[] blocks = new long[(StageTimes.BUCKETS >> BLOCK_SHIFT) + 1];
    private long total;

    void add(StageStays stays) {
        for (int i = 0; i < stays.size(); i++) {
            char index = stays.bucketIndex(i);
            long count = stays.count(i);
            counts[index] += count;
            blocks[index >> BLOCK_SHIFT] += count;
            total += count;
        }
    }

    /**
     * p50 and p90 of the stays added since the last call, as {@link StageStays#percentiles()} gives them for
     * the same stays; and starts a new sum.
     */
    StageTimes.Percentiles percentilesAndClear() {
        StageTimes.Percentiles percentiles = StageTimes.Percentiles.NONE;
        if (total > 0) {
            percentiles = new StageTimes.Percentiles(
                    valueAt(StageTimes.countAtPercentile(50.0, total)),
                    valueAt(StageTimes.countAtPercentile(90.0, total)));
        }
        for (int block = 0; block < blocks.length; block++) {
            if (blocks[block] != 0) {
                int from = block << BLOCK_SHIFT;
                Arrays.fill(counts, from, Math.min(from + (1 << BLOCK_SHIFT), counts.length), 0);
                blocks[block] = 0;
            }
        }
        total = 0;
        return percentiles;
    }

    /** The value of the lowest bucket at which the stays counted from the lowest reach {@code target} (≥ 1). */
    private long valueAt(long target) {
        long seen = 0;
        int block = 0;
        while (seen + blocks[block] < target) {
            seen += blocks[block];
            block++;
        }
        int index = block << BLOCK_SHIFT;
        while (seen + counts[index] < target) {
            seen += counts[index];
            index++;
        }
        return StageTimes.highestEquivalentValue(StageTimes.bucketAt((char) index));
    }
}
