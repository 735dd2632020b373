package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StaysSumTest {

    @Test
    void theSumOfDaysHasThePercentilesOfOneFigureHoldingAllTheirStays() {
        SplittableRandom random = new SplittableRandom(42);
        StaysSum sum = new StaysSum();
        // One sum used again and again, as the aggregator does: each must start from nothing.
        for (int round = 0; round < 500; round++) {
            StageStays all = new StageStays();
            List<StageStays> days = new ArrayList<>();
            for (int day = random.nextInt(1, 32); day > 0; day--) {
                StageStays stays = new StageStays();
                for (int stay = random.nextInt(1, 40); stay > 0; stay--) {
                    // From a second to a month, with many stays in few buckets in some rounds.
                    long duration =
                            round % 3 == 0 ? random.nextLong(5) * 3_600_000 : random.nextLong(1_000, 2_600_000_000L);
                    stays.add(StageTimes.bucketOf(duration), 1);
                    all.add(StageTimes.bucketOf(duration), 1);
                }
                days.add(stays);
            }
            days.forEach(sum::add);

            assertThat(sum.percentilesAndClear()).as("round %d", round).isEqualTo(all.percentiles());
        }
    }

    @Test
    void staysInTheLowestAndTheHighestBucketsAreSummedAndClearedToo() {
        StaysSum sum = new StaysSum();
        // 62 and 63 ms: the last buckets of the first block of 64.
        long[][] rounds = {
            {0, Long.MAX_VALUE}, {Long.MAX_VALUE, Long.MAX_VALUE, 1}, {0}, {62}, {63}, {Long.MAX_VALUE}, {0, 0, 5}
        };
        for (long[] durations : rounds) {
            StageStays all = new StageStays();
            for (long duration : durations) {
                StageStays day = new StageStays();
                day.add(StageTimes.bucketOf(duration), 1);
                all.add(StageTimes.bucketOf(duration), 1);
                sum.add(day);
            }

            assertThat(sum.percentilesAndClear())
                    .as("%s", Arrays.toString(durations))
                    .isEqualTo(all.percentiles());
        }
    }

    @Test
    void aSumOfNothingHasNoPercentiles() {
        StaysSum sum = new StaysSum();
        sum.add(new StageStays());

        assertThat(sum.percentilesAndClear()).isEqualTo(StageTimes.Percentiles.NONE);
    }
}
