package io.leadflow.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load driver runs end to end in a short, bounded form: a few seconds of the workload through the
 * pipeline as separate processes, every lead and funnel probe seen on the api's live streams afterwards.
 */
class LoadDriverIT {

    @Test
    void workloadBecomesVisibleOnTheApiStreams() throws Exception {
        Path workDir = Files.createTempDirectory("load-driver");
        LoadOptions options =
                new LoadOptions(20, 8, 5, 0, 0, 1, 7, 2, 2, 60, false, 5, 1, ProcessPipeline.TEST_JVM, workDir);
        Workload workload = LoadDriver.workload(options);
        try (LoadRun run = LoadRun.start(options, workload)) {
            LoadRun.Phase phase = run.run(options.seconds(), true);
            run.drain(Duration.ofSeconds(options.drainSeconds()));

            assertThat(phase.steps()).isGreaterThan(50);
            assertThat(run.leads().latency().getTotalCount()).isPositive();
            assertThat(run.leads().pendingCount()).isZero();
            assertThat(run.probes().latency(FunnelProbes.STREAM).getTotalCount())
                    .as(
                            "probe changes seen on the funnel stream; on the topic %d, in the projection %d; streams %s",
                            run.probes().latency(FunnelProbes.TOPIC).getTotalCount(),
                            run.probes().latency(FunnelProbes.PROJECTION).getTotalCount(),
                            run.streamHealth())
                    .isPositive();
            assertThat(run.probes().pendingCount()).isZero();
        }
    }
}
