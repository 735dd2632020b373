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

    /**
     * Waits up to 3 minutes until the api serves exactly the reference, then checks every customer's pool history
     * against it too; returns how long the wait took.
     */
    static Duration awaitServedWithHistories(PipelineClient client, Reference reference)
            throws InterruptedException, IOException {
        Instant sent = Instant.now();
        await(client, reference, Duration.ofMinutes(3));
        Duration converged = Duration.between(sent, Instant.now());
        Assertions.assertThat(Served.historyDifferences(client, reference)).isEmpty();
        return converged;
    }

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
