package io.leadflow.processor.funnel;

import java.util.Arrays;

/**
 * The completed stays of one stage summed over the day figures of a week or month, and their percentiles:
 * each bucket's stays are added into an array of every bucket, which is read once from the lowest bucket
 * used to the highest, and cleared for the next sum. Adding a day's stays costs an array write per bucket,
 * where keeping the sum sorted as {@link StageStays} does would cost a search and a shift.
 */
final class StaysSum {

    private final long[] counts = new long[StageTimes.BUCKETS];
    private int lowest = StageTimes.BUCKETS;
    private int highest = -1;
    private long total;

    void add(StageStays stays) {
        for (int i = 0; i < stays.size(); i++) {
            char index = stays.bucketIndex(i);
            counts[index] += stays.count(i);
            total += stays.count(i);
            lowest = Math.min(lowest, index);
            highest = Math.max(highest, index);
        }
    }

    /**
     * p50 and p90 of the stays added since the last call, as {@link StageStays#percentiles()} gives them for
     * the same stays; and starts a new sum.
     */
    StageTimes.Percentiles percentilesAndClear() {
        StageTimes.Percentiles percentiles = StageTimes.Percentiles.NONE;
        if (total > 0) {
            long p50Count = StageTimes.countAtPercentile(50.0, total);
            long p90Count = StageTimes.countAtPercentile(90.0, total);
            Long p50 = null;
            long seen = 0;
            for (int index = lowest; index <= highest; index++) {
                seen += counts[index];
                if (p50 == null && seen >= p50Count) {
                    p50 = valueOf(index);
                }
                if (seen >= p90Count) {
                    percentiles = new StageTimes.Percentiles(p50, valueOf(index));
                    break;
                }
            }
        }
        if (highest >= 0) {
            Arrays.fill(counts, lowest, highest + 1, 0);
        }
        lowest = StageTimes.BUCKETS;
        highest = -1;
        total = 0;
        return percentiles;
    }

    private static long valueOf(int index) {
        return StageTimes.highestEquivalentValue(StageTimes.bucketAt((char) index));
    }
}
