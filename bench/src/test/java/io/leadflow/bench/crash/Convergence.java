package io.leadflow.bench.crash;

import io.leadflow.bench.workload.Reference;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;

/** Waits, bounded, until the api serves exactly the reference; fails with the differences left. */
final class Convergence {

    private Convergence() {}

    static void await(PipelineClient client, Reference reference, Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        List<String> differences = List.of("not compared yet");
        while (Instant.now().isBefore(until)) {
            try {
                differences = Served.differences(client, reference);
            } catch (IOException e) {
                differences = List.of("api did not answer: " + e);
            }
            if (differences.isEmpty()) {
                return;
            }
            Thread.sleep(2_000);
        }
        Assertions.fail("the api did not serve the reference within " + within + "; differences:\n"
                + String.join("\n", differences));
    }
}
