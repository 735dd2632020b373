package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.support.TestIngest;
import io.leadflow.ingest.support.TopicReader;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** The NDJSON stream on a real broker: 100,000 lines in, 100,000 outcomes out, 100,000 leads on the topic. */
class LeadStreamIT {

    private static final int LINES = 100_000;
    private static final String TENANT =
            "stream-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY = "key-" + TENANT;

    private static ConfigurableApplicationContext ingest;

    @BeforeAll
    static void startIngest() {
        SharedKafka.createTopics(List.of(Topics.LEADS, Topics.ACTIVITIES));
        ingest = TestIngest.start(SharedKafka.bootstrapServers(), TestIngest.key(0, KEY, TENANT, "bulk"));
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void acceptsAHundredThousandLinesAndAnswersEachInOrder() {
        // The body is generated while it is sent: neither side ever holds the whole stream.
        Flux<String> body = Flux.range(1, LINES)
                .map(i -> "{\"leadId\":\"s-" + i + "\",\"company\":{\"name\":\"流式公司" + i
                        + "\"},\"contact\":{\"email\":\"c" + i + "@example.cn\"}}\n");
        WebClient client =
                WebClient.create("http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"));

        Map<String, Long> statuses = client.post()
                .uri("/ingest/v1/leads/stream")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_NDJSON)
                .body(body, String.class)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() {})
                .index()
                .doOnNext(numbered -> assertThat(((Number) numbered.getT2().get("line")).longValue())
                        .isEqualTo(numbered.getT1() + 1))
                .map(numbered -> (String) numbered.getT2().get("status"))
                .collect(Collectors.groupingBy(status -> status, Collectors.counting()))
                .block(Duration.ofMinutes(3));

        assertThat(statuses).containsExactly(Map.entry("accepted", (long) LINES));
        List<Lead> leads = TopicReader.readUntil(
                SharedKafka.bootstrapServers(),
                Topics.LEADS,
                TENANT,
                read -> read.size() >= LINES,
                Duration.ofSeconds(90));
        Set<String> onTopic = leads.stream().map(Lead::getLeadId).collect(Collectors.toSet());
        assertThat(onTopic).hasSize(LINES).contains("s-1", "s-" + LINES);
        // The produce latency is timed once per chunk handed over (512 lines at most), not per lead.
        long timed = ingest.getBean(MeterRegistry.class)
                .get("leadflow.ingest.produce")
                .timer()
                .count();
        assertThat(timed).isGreaterThanOrEqualTo(LINES / 512).isLessThan(LINES / 10);
    }
}
