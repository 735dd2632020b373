package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StageStaysTest {

    @Test
    void followsTheHistogramsPercentilesAsStaysComeAndGo() {
        followTheHistogram(new SplittableRandom(11), 20_000, 45, 7);
    }

    /** Few stays, one per bucket mostly: the bucket a percentile falls in is often the one that goes. */
    @Test
    void followsTheHistogramsPercentilesWhenFewStaysComeAndGo() {
        followTheHistogram(new SplittableRandom(5), 20_000, 50, 1);
    }

    /**
     * Adds stays of random durations and takes random ones back ({@code takeBackPercent} of the steps while
     * any are held, and always beyond 8 when {@code checkEvery} is 1), checking the percentiles against
     * HdrHistogram's every {@code checkEvery} steps.
     */
    private static void followTheHistogram(SplittableRandom random, int steps, int takeBackPercent, int checkEvery) {
        StageStays stays = new StageStays();
        TreeMap<Long, Long> buckets = new TreeMap<>();
        List<Long> held = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            boolean takeBack =
                    !held.isEmpty() && (random.nextInt(100) < takeBackPercent || (checkEvery == 1 && held.size() > 8));
            long bucket = takeBack
                    ? held.remove(random.nextInt(held.size()))
                    : StageTimes.bucketOf(random.nextLong(random.nextBoolean() ? 5_000 : 7L * 24 * 3600_000));
            long delta = takeBack ? -1 : 1;
            if (!takeBack) {
                held.add(bucket);
            }
            stays.add(bucket, delta);
            buckets.merge(bucket, delta, Long::sum);
            buckets.values().removeIf(count -> count == 0);
            if (step % checkEvery == 0 || held.size() < 3) {
                assertThat(stays.percentiles()).as("step %d", step).isEqualTo(expected(buckets));
                assertThat(bucketsOf(stays)).as("step %d", step).isEqualTo(buckets);
            }
        }
    }

    /** Every bucket's two-byte index orders as the buckets do and gives the bucket back, for any duration. */
    @Test
    void aBucketsIndexOrdersLikeTheBucketAndGivesItBack() {
        Histogram layout = new Histogram(StageTimes.SIGNIFICANT_DIGITS);
        List<Long> durations = new ArrayList<>();
        for (int shift = 0; shift < 63; shift++) {
            for (long near = -2; near <= 2; near++) {
                durations.add(Math.max(0, (1L << shift) + near));
            }
        }
        for (long small = 0; small < 1_000; small++) {
            durations.add(small);
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            durations.add(random.nextLong(1L << random.nextInt(1, 63)));
        }
        durations.add(Long.MAX_VALUE);
        for (long duration : durations) {
            long bucket = StageTimes.bucketOf(duration);
            assertThat(bucket).isEqualTo(layout.lowestEquivalentValue(duration));
            char index = StageTimes.indexOf(bucket);
            assertThat(StageTimes.bucketAt(index)).as("duration %d", duration).isEqualTo(bucket);
            assertThat(StageTimes.indexOf(duration)).as("duration %d", duration).isEqualTo(index);
            assertThat(index).isLessThan((char) 7_424);
        }
        durations.sort(null);
        for (int i = 1; i < durations.size(); i++) {
            long lower = StageTimes.bucketOf(durations.get(i - 1));
            long higher = StageTimes.bucketOf(durations.get(i));
            assertThat(Integer.compare(StageTimes.indexOf(lower), StageTimes.indexOf(higher)))
                    .as("%d against %d", lower, higher)
                    .isEqualTo(Long.compare(lower, higher));
        }
    }

    /** Stays of months and years, beyond what two bytes of milliseconds or an int could hold. */
    @Test
    void followsTheHistogramsPercentilesForLongStays() {
        StageStays stays = new StageStays();
        TreeMap<Long, Long> buckets = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 2_000; i++) {
            long bucket = StageTimes.bucketOf(random.nextLong(3L * 365 * 24 * 3600_000));
            stays.add(bucket, 1);
            buckets.merge(bucket, 1L, Long::sum);
        }
        assertThat(stays.percentiles()).isEqualTo(expected(buckets));
        assertThat(bucketsOf(stays)).isEqualTo(buckets);
    }

    @Test
    void hasNoPercentilesWithoutStays() {
        StageStays stays = new StageStays();
        stays.add(StageTimes.bucketOf(1_000), 1);
        assertThat(stays.percentiles().p50()).isNotNull();

        stays.add(StageTimes.bucketOf(1_000), -1);

        assertThat(stays.percentiles()).isEqualTo(StageTimes.Percentiles.NONE);
        assertThat(stays.isEmpty()).isTrue();
    }

    private static TreeMap<Long, Long> bucketsOf(StageStays stays) {
        TreeMap<Long, Long> buckets = new TreeMap<>();
        for (int i = 0; i < stays.size(); i++) {
            buckets.put(stays.bucket(i), stays.count(i));
        }
        return buckets;
    }

    private static StageTimes.Percentiles expected(TreeMap<Long, Long> buckets) {
        Histogram histogram = new Histogram(StageTimes.SIGNIFICANT_DIGITS);
        buckets.forEach(histogram::recordValueWithCount);
        StageTimes.Percentiles fromBuckets = StageTimes.percentilesOf(buckets);
        if (histogram.getTotalCount() == 0) {
            assertThat(fromBuckets).isEqualTo(StageTimes.Percentiles.NONE);
            return StageTimes.Percentiles.NONE;
        }
        StageTimes.Percentiles fromHistogram =
                new StageTimes.Percentiles(histogram.getValueAtPercentile(50.0), histogram.getValueAtPercentile(90.0));
        assertThat(fromBuckets).isEqualTo(fromHistogram);
        return fromHistogram;
    }
}
