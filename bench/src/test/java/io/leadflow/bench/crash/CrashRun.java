package io.leadflow.bench.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.bench.workload.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Pushes a workload through the pipeline and crashes something at seeded points on the way. */
final class CrashRun {

    /** What a test does to the pipeline at a kill point, while the driver goes on sending. */
    interface Crash {
        void at(WorkloadDriver driver) throws Exception;
    }

    private CrashRun() {}

    /**
     * Drives the whole workload, doing {@code crash} {@code settings.kills()} times at seeded points between 15%
     * and 75% of the steps accepted; returns the driver once every step was accepted (failing otherwise).
     */
    static WorkloadDriver drive(
            PipelineClient client, Workload workload, CrashSettings settings, Random random, Crash crash)
            throws Exception {
        // Bounds that grow with the workload, for the long form: at least 8 minutes, else 200 ms a step.
        Duration within = Duration.ofMillis(
                Math.max(Duration.ofMinutes(8).toMillis(), workload.steps().size() * 200L));
        WorkloadDriver driver = WorkloadDriver.start(client, workload, settings.stepInterval(), within);
        try (driver) {
            for (int point : killPoints(settings.kills(), workload.steps().size(), random)) {
                assertThat(driver.awaitAccepted(point, Duration.ofMinutes(3)))
                        .as("%d steps accepted before the crash; problems %s", point, driver.problems())
                        .isTrue();
                crash.at(driver);
            }
            assertThat(driver.awaitFinished(within))
                    .as("driver done; problems %s", driver.problems())
                    .isTrue();
        }
        assertThat(driver.problems()).isEmpty();
        assertThat(driver.accepted()).hasSize(workload.steps().size());
        return driver;
    }

    private static List<Integer> killPoints(int kills, int steps, Random random) {
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            double fraction = 0.15 + 0.6 * (i + random.nextDouble()) / kills;
            points.add((int) (steps * fraction));
        }
        return points;
    }
}
