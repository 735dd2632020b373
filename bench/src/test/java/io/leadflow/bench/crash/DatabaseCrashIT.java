package io.leadflow.bench.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Reference;
import io.leadflow.bench.workload.Workload;
import io.leadflow.bench.workload.WorkloadSpec;
import io.leadflow.standalone.LeadflowServices.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL restarted (sessions cut, down a few seconds, started again on its data) while leads, activities,
 * claims and releases keep coming. The api's connections die under it; nobody restarts the api. Afterwards every
 * step was accepted (the api answered only what the driver may retry, {@code 503}, or an outcome), each command's
 * outcome is the reference's, the api serves the reference, and all three services are healthy, the same
 * processes as before.
 */
@ExtendWith(SharedPipeline.class)
class DatabaseCrashIT {

    private static final Duration DOWN = Duration.ofSeconds(5);

    @Test
    void theApiServesTheReferenceAfterPostgresRestarts(ProcessPipeline pipeline) throws Exception {
        CrashSettings settings = CrashSettings.fromSystemProperties(2, 30, 1);
        Workload workload = SharedPipeline.Scenario.DATABASE.workload(
                WorkloadSpec.of(settings.seed(), settings.tenants(), settings.leadsPerTenant())
                        .withActivitiesAndCommands(20, 120));
        Random random = new Random(settings.seed());
        PipelineClient client = new PipelineClient(pipeline);
        Map<Service, Long> pids = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            pids.put(service, pipeline.process(service).pid());
        }
        List<String> restarts = new ArrayList<>();
        WorkloadDriver driver = CrashRun.drive(client, workload, settings, random, running -> {
            Instant stopped = Instant.now();
            pipeline.restartPostgres(DOWN);
            restarts.add(String.format(
                    "down and up again in %d ms",
                    Duration.between(stopped, Instant.now()).toMillis()));
        });
        Reference reference = Reference.of(driver.accepted());
        assertThat(driver.outcomes()).isEqualTo(reference.outcomes());

        Duration converged = Convergence.awaitServedWithHistories(client, reference);
        for (Service service : Service.values()) {
            assertThat(pipeline.process(service).pid())
                    .as("%s process", service)
                    .isEqualTo(pids.get(service));
            assertThat(client.health(service)).as("%s health", service).isEqualTo("UP");
        }
        System.out.printf(
                "DatabaseCrashIT: %s; PostgreSQL %s; api equal to the reference %d s after the last step; "
                        + "%d command attempts without an answer, sent again%n",
                workload.counts(), restarts, converged.toSeconds(), driver.unansweredCommands());
    }
}
