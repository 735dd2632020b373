package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.support.RestartableKafka;
import io.leadflow.ingest.support.TestIngest;
import io.leadflow.ingest.support.TopicReader;
import io.leadflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Durability: while leads keep coming, the broker stops and later starts again on the same data. Every lead
 * answered {@code 202} is on the topic afterwards; while the broker is away leads are answered {@code 503},
 * never {@code 202}; once it is back, leads are accepted again without restarting ingest.
 */
class BrokerRestartIT {

    private static final String TENANT = "durable";
    private static final String KEY = "durable-key";

    @Test
    void keepsEveryAcknowledgedLeadAcrossABrokerRestart(@TempDir Path dataDir) {
        try (RestartableKafka kafka = new RestartableKafka(dataDir.resolve("kafka"))) {
            kafka.start();
            ConfigurableApplicationContext ingest = startIngest(kafka);
            try {
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                AtomicInteger unavailable = new AtomicInteger();
                AtomicInteger other = new AtomicInteger();
                WebClient client = WebClient.create(
                        "http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"));
                // Steady traffic: 8 clients, each sending its next lead as soon as the last was answered.
                AtomicInteger next = new AtomicInteger();
                Disposable traffic = Flux.range(0, 8)
                        .flatMap(worker -> Mono.defer(() -> send(client, "d-" + next.incrementAndGet()))
                                .doOnNext(outcome -> {
                                    if (outcome.status() == 202) {
                                        accepted.add(outcome.leadId());
                                    } else if (outcome.status() == 503) {
                                        unavailable.incrementAndGet();
                                    } else {
                                        other.incrementAndGet();
                                    }
                                })
                                .repeat())
                        .subscribe();
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 200);
                    kafka.stop();
                    int acceptedBeforeStop = accepted.size();
                    await().atMost(Duration.ofSeconds(60)).until(() -> unavailable.get() >= 8);
                    int acceptedWhileDown = accepted.size() - acceptedBeforeStop;
                    kafka.start();
                    int acceptedBeforeRestart = accepted.size();
                    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= acceptedBeforeRestart + 200);
                    // In-flight sends at the stop may still be acknowledged by the restarted broker: a few, not many.
                    assertThat(acceptedWhileDown).isLessThan(200);
                } finally {
                    traffic.dispose();
                }
                assertThat(other.get()).as("answers other than 202 and 503").isZero();

                assertAllOnTheTopic(kafka, Set.copyOf(accepted));
            } finally {
                ingest.close();
            }
        }
    }

    /**
     * The same for batches, whose records go to the producer together ({@code publishAll}, as a stream's chunks do):
     * an item is answered {@code accepted} only when the broker acknowledged it, {@code not-stored} within the
     * produce timeout while the broker is away, and every accepted item is on the topic afterwards.
     */
    @Test
    void aBatchAcceptsOnlyWhatTheBrokerAcknowledgedAcrossARestart(@TempDir Path dataDir) {
        try (RestartableKafka kafka = new RestartableKafka(dataDir.resolve("kafka"))) {
            kafka.start();
            ConfigurableApplicationContext ingest = startIngest(kafka);
            try {
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                AtomicInteger notStored = new AtomicInteger();
                AtomicInteger other = new AtomicInteger();
                AtomicLong slowestMillis = new AtomicLong();
                WebClient client = WebClient.create(
                        "http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"));
                AtomicInteger next = new AtomicInteger();
                Disposable traffic = Flux.range(0, 4)
                        .flatMap(worker -> Mono.defer(() -> sendBatch(client, "b-" + next.incrementAndGet() + "-", 20))
                                .doOnNext(answer -> {
                                    slowestMillis.accumulateAndGet(answer.millis(), Math::max);
                                    if (answer.items() == null) {
                                        other.incrementAndGet();
                                        return;
                                    }
                                    for (JsonNode item : answer.items()) {
                                        switch (item.path("status").asString()) {
                                            case "accepted" ->
                                                accepted.add(item.path("leadId").asString());
                                            case "not-stored" -> notStored.incrementAndGet();
                                            default -> other.incrementAndGet();
                                        }
                                    }
                                })
                                .repeat())
                        .subscribe();
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 400);
                    kafka.stop();
                    await().atMost(Duration.ofSeconds(60)).until(() -> notStored.get() >= 40);
                    kafka.start();
                    int acceptedBeforeRestart = accepted.size();
                    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= acceptedBeforeRestart + 400);
                } finally {
                    traffic.dispose();
                }
                assertThat(other.get())
                        .as("items neither accepted nor not-stored, or answers not 200")
                        .isZero();
                assertThat(slowestMillis.get())
                        .as("a batch is answered within the produce timeout (3 s) and some slack, broker or not")
                        .isLessThan(15_000);

                assertAllOnTheTopic(kafka, Set.copyOf(accepted));
            } finally {
                ingest.close();
            }
        }
    }

    /** Ingest on {@code kafka}, answering 503 after 3 s without the broker, with no rate limit to speak of. */
    private static ConfigurableApplicationContext startIngest(RestartableKafka kafka) {
        String[] key = TestIngest.key(0, KEY, TENANT, "web-form");
        return TestIngest.start(
                kafka.bootstrapServers(),
                "--leadflow.ingest.produce-timeout=3s",
                "--leadflow.ingest.rate-limit.per-second=100000",
                "--leadflow.ingest.rate-limit.burst=100000",
                key[0],
                key[1],
                key[2]);
    }

    private static void assertAllOnTheTopic(RestartableKafka kafka, Set<String> acknowledged) {
        List<Lead> onTopic = TopicReader.readUntil(
                kafka.bootstrapServers(),
                Topics.LEADS,
                TENANT,
                leads -> leads.stream()
                        .map(Lead::getLeadId)
                        .collect(Collectors.toSet())
                        .containsAll(acknowledged),
                Duration.ofSeconds(60));
        assertThat(onTopic.stream().map(Lead::getLeadId).collect(Collectors.toSet()))
                .containsAll(acknowledged);
    }

    private record BatchAnswer(JsonNode items, long millis) {}

    private static Mono<BatchAnswer> sendBatch(WebClient client, String prefix, int size) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"leadId\":\"")
                    .append(prefix)
                    .append(i)
                    .append("\",\"company\":{\"name\":\"Durable ")
                    .append(prefix)
                    .append(i)
                    .append("\"}}");
        }
        long started = System.nanoTime();
        return client.post()
                .uri("/ingest/v1/leads/batch")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.append(']').toString())
                .exchangeToMono(response -> response.statusCode().value() == 200
                        ? response.bodyToMono(JsonNode.class).map(answer -> answer.path("items"))
                        : response.releaseBody().then(Mono.empty()))
                .map(items -> new BatchAnswer(items, (System.nanoTime() - started) / 1_000_000))
                .defaultIfEmpty(new BatchAnswer(null, (System.nanoTime() - started) / 1_000_000))
                .onErrorResume(e -> Mono.just(new BatchAnswer(null, (System.nanoTime() - started) / 1_000_000)));
    }

    private record Outcome(int status, String leadId) {}

    private static Mono<Outcome> send(WebClient client, String leadId) {
        return client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"leadId\":\"" + leadId + "\",\"company\":{\"name\":\"Durable " + leadId + "\"}}")
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(new Outcome(response.statusCode().value(), leadId)))
                .onErrorResume(e -> Mono.just(new Outcome(-1, leadId)));
    }
}
