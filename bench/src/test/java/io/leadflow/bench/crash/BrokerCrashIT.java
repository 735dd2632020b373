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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End to end, unlike ingest's in-process {@code BrokerRestartIT}: the Kafka broker process killed with
 * {@code kill -9} while leads arrive, and started again on its log. While it is away ingest answers
 * {@code 503} and never {@code 202}; the senders retry each lead (same lead id) until it is taken; afterwards
 * every lead answered {@code 202} — before, during (none) and after — is in exactly the customer the
 * {@link Reference} says, and the processor and the api recovered on their own (same processes, healthy).
 */
class BrokerCrashIT {

    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void everyAcceptedLeadIsServedAfterABrokerKill() throws Exception {
        CrashSettings settings = CrashSettings.fromSystemProperties(2, 60, 1);
        Workload workload =
                Workload.generate(WorkloadSpec.of(settings.seed(), settings.tenants(), settings.leadsPerTenant())
                        .leadsOnly());
        Random random = new Random(settings.seed());
        // Ingest answers 503 once the broker has not acknowledged within its produce timeout (default 10 s); a
        // shorter one lets several whole requests fall inside a short outage.
        try (ProcessPipeline pipeline = CrashSettings.pipeline(
                "broker-crash",
                workload,
                Map.of("leadflow.ingest.produce-timeout", PRODUCE_TIMEOUT.toMillis() + "ms"))) {
            PipelineClient client = new PipelineClient(pipeline);
            long processorPid = pipeline.process(Service.PROCESSOR).pid();
            long apiPid = pipeline.process(Service.API).pid();
            List<Outage> outages = new ArrayList<>();
            WorkloadDriver driver = CrashRun.drive(client, workload, settings, random, running -> {
                pipeline.broker().kill();
                Instant killed = Instant.now();
                Thread.sleep(PRODUCE_TIMEOUT.multipliedBy(3).toMillis() + random.nextInt(4_000));
                Instant restarting = Instant.now();
                pipeline.startBroker();
                outages.add(new Outage(killed, restarting, Instant.now()));
            });
            List<WorkloadDriver.LeadAnswer> answers = driver.leadAnswers();
            assertThat(answers).extracting(WorkloadDriver.LeadAnswer::status).containsOnly(202, 503);
            for (Outage outage : outages) {
                List<WorkloadDriver.LeadAnswer> whileDown = answers.stream()
                        .filter(answer -> answer.sentAt().isAfter(outage.killed())
                                && answer.answeredAt().isBefore(outage.restarting()))
                        .toList();
                assertThat(whileDown)
                        .as("answers while the broker was down")
                        .isNotEmpty()
                        .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
            }
            Reference reference = Reference.of(driver.accepted());

            Instant sent = Instant.now();
            Convergence.await(client, reference, Duration.ofMinutes(3));
            Duration converged = Duration.between(sent, Instant.now());

            assertThat(pipeline.process(Service.PROCESSOR).pid()).isEqualTo(processorPid);
            assertThat(pipeline.process(Service.API).pid()).isEqualTo(apiPid);
            for (Service service : Service.values()) {
                assertThat(client.health(service)).as("%s health", service).isEqualTo("UP");
            }
            System.out.printf(
                    "BrokerCrashIT: %s; outages %s; %d answers 503; api equal to the reference %d s after the last"
                            + " lead%n",
                    workload.counts(),
                    outages.stream().map(Outage::describe).toList(),
                    answers.stream().filter(answer -> answer.status() == 503).count(),
                    converged.toSeconds());
        }
    }

    private record Outage(Instant killed, Instant restarting, Instant ready) {
        String describe() {
            return "down " + Duration.between(killed, restarting).toMillis() + " ms, broker ready after "
                    + Duration.between(restarting, ready).toMillis() + " ms";
        }
    }
}
