package io.leadflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Activity;
import io.leadflow.avro.Company;
import io.leadflow.avro.Lead;
import io.leadflow.ingest.support.RecordingPublisher;
import io.leadflow.ingest.support.TestIngest;
import io.leadflow.schemas.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.yaml.snakeyaml.Yaml;

/**
 * Every endpoint and status code of the service, without a broker: a recording publisher stands in for
 * Kafka, so these run as unit tests. The table of cases is {@code status-cases.tsv}.
 */
class IngestEndpointsTest {

    private static final RecordingPublisher publisher = new RecordingPublisher();
    private static ConfigurableApplicationContext ingest;
    private static WebTestClient client;

    @BeforeAll
    static void startIngest() {
        List<String> args = new ArrayList<>();
        args.addAll(List.of(TestIngest.key(0, "all-key", "acme", "crm")));
        args.addAll(List.of(TestIngest.key(1, "lead-key", "acme", "web-form", "permissions=LEADS")));
        args.addAll(List.of(TestIngest.key(2, "slow-key", "acme", "slow", "rate-per-second=0.01", "burst=1")));
        args.addAll(List.of(TestIngest.key(3, "other-key", "globex", "crm")));
        args.add("--leadflow.ingest.max-body-size=4KB");
        args.add("--leadflow.ingest.batch.max-items=3");
        args.add("--leadflow.ingest.produce-timeout=7s");
        ingest = TestIngest.startWithout(publisher, args.toArray(String[]::new));
        client = TestIngest.client(ingest);
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @BeforeEach
    void brokerUp() {
        publisher.brokerDown(false);
        publisher.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusCases")
    void answersEachRequestWithItsStatus(
            String name,
            String method,
            String path,
            String key,
            String contentType,
            String body,
            int status,
            String problemType) {
        WebTestClient.RequestBodySpec request =
                client.method(HttpMethod.valueOf(method)).uri(path);
        if (!"-".equals(key)) {
            request.header("X-Api-Key", key);
        }
        if (!"-".equals(contentType)) {
            request.contentType(MediaType.parseMediaType(contentType));
        }
        WebTestClient.ResponseSpec response = "-".equals(body)
                ? request.exchange()
                : request.bodyValue(body.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8))
                        .exchange();
        response.expectStatus().isEqualTo(status);
        if (!"-".equals(problemType)) {
            response.expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://leadflow.io/problems/" + problemType);
        }
    }

    static Stream<Arguments> statusCases() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/status-cases.tsv"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1))
                .map(c -> Arguments.of(c[0], c[1], c[2], c[3], c[4], c[5], Integer.parseInt(c[6]), c[7]));
    }

    @Test
    void takesTheTenantFromTheKeyAndKeepsTheBodysTenantAsAnAttribute() {
        post("/ingest/v1/leads", "other-key", "{\"tenant\":\"acme\",\"company\":{\"name\":\"Globex\"}}")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.tenant")
                .isEqualTo("globex");

        Lead lead = onlyLead();
        assertThat(lead.getTenant()).isEqualTo("globex");
        assertThat(lead.getSourceSystem()).isEqualTo("crm");
        assertThat(lead.getAttributes()).containsEntry("tenant", "acme");
        assertThat(publisher.sent().get(0).key()).isEqualTo("globex");
    }

    @Test
    void answersARetryWithTheSameIdempotencyKeyAsTheFirstTime() {
        String first = leadIdOf(client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "all-key")
                .header("Idempotency-Key", "order-4711")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange());
        String retry = leadIdOf(client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "all-key")
                .header("Idempotency-Key", "order-4711")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange());
        String otherTenant = leadIdOf(client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "other-key")
                .header("Idempotency-Key", "order-4711")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange());

        assertThat(retry).isEqualTo(first);
        assertThat(otherTenant).isNotEqualTo(first);
    }

    @Test
    void refusesAMalformedIdempotencyKey() {
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "all-key")
                .header("Idempotency-Key", "has spaces")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("Idempotency-Key");
    }

    @Test
    void answersServiceUnavailableWithTheLeadIdToRetryWithWhenTheBrokerDoesNotAcknowledge() {
        publisher.brokerDown(true);

        post("/ingest/v1/leads", "all-key", "{\"leadId\":\"crm-1\",\"company\":{\"name\":\"Acme\"}}")
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "7")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/broker-unavailable")
                .jsonPath("$.leadId")
                .isEqualTo("crm-1");
    }

    @Test
    void answersTooManyRequestsWithRetryAfterBeyondTheKeysRate() {
        post("/ingest/v1/leads", "slow-key", "{\"company\":{\"name\":\"Acme\"}}")
                .expectStatus()
                .isAccepted();
        post("/ingest/v1/leads", "slow-key", "{\"company\":{\"name\":\"Acme\"}}")
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists("Retry-After")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/rate-limited");
    }

    @Test
    void refusesABodyLargerThanTheLimitWithContentTooLarge() {
        String big = "{\"company\":{\"name\":\"Acme\"},\"note\":\"" + "x".repeat(5_000) + "\"}";
        post("/ingest/v1/leads", "all-key", big)
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/body-too-large");
    }

    @Test
    void refusesABatchOfMoreItemsThanTheLimit() {
        post("/ingest/v1/leads/batch", "all-key", "[{},{},{},{}]")
                .expectStatus()
                .isEqualTo(413);
    }

    @Test
    void acceptsTheGoodItemsOfABatchAndRefusesTheBadOnesOneByOne() {
        post(
                        "/ingest/v1/leads/batch",
                        "all-key",
                        "[{\"leadId\":\"b-1\",\"company\":{\"name\":\"A\"}},{\"contact\":{\"email\":\"no\"}},"
                                + "{\"leadId\":\"b-3\",\"contact\":{\"email\":\"c@c.cn\"}}]")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.accepted")
                .isEqualTo(2)
                .jsonPath("$.refused")
                .isEqualTo(1)
                .jsonPath("$.items[0].leadId")
                .isEqualTo("b-1")
                .jsonPath("$.items[1].status")
                .isEqualTo("refused")
                .jsonPath("$.items[1].errors[0].field")
                .isEqualTo("contact.email")
                .jsonPath("$.items[2].status")
                .isEqualTo("accepted");
        assertThat(publisher.sent())
                .extracting(sent -> ((Lead) sent.value()).getLeadId())
                .containsExactly("b-1", "b-3");
    }

    @Test
    void answersAStreamLineByLineWithLineNumbers() {
        String ndjson =
                "{\"leadId\":\"s-1\",\"company\":{\"name\":\"A\"}}\n\n{broken\n" + "{\"company\":{\"name\":\"C\"}}\r\n";
        List<Map<String, Object>> outcomes = streamOutcomes(ndjson);

        assertThat(outcomes).extracting(o -> o.get("line")).containsExactly(1, 3, 4);
        assertThat(outcomes).extracting(o -> o.get("status")).containsExactly("accepted", "refused", "accepted");
        assertThat(outcomes.get(0)).containsEntry("leadId", "s-1");
    }

    @Test
    void refusesALineLongerThanTheLimitByItselfAndReadsTheLinesAfterIt() {
        String tooLong = "{\"company\":{\"name\":\"" + "长".repeat(30_000) + "\"}}";
        String ndjson = "{\"leadId\":\"long-1\",\"company\":{\"name\":\"A\"}}\n" + tooLong + "\n"
                + "{\"leadId\":\"long-3\",\"company\":{\"name\":\"C\"}}";
        List<Map<String, Object>> outcomes = streamOutcomes(ndjson);

        assertThat(outcomes).extracting(o -> o.get("line")).containsExactly(1, 2, 3);
        assertThat(outcomes).extracting(o -> o.get("status")).containsExactly("accepted", "refused", "accepted");
        assertThat(outcomes.get(1).get("errors").toString())
                .contains("the line is " + tooLong.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + " bytes long; a line may have at most 65536");
        // The long line takes long enough to read that the lines around it may go in two chunks, which are
        // produced concurrently (stream.concurrency): both are sent, in either order.
        assertThat(publisher.sent())
                .extracting(sent -> ((Lead) sent.value()).getLeadId())
                .containsExactlyInAnyOrder("long-1", "long-3");
    }

    private List<Map<String, Object>> streamOutcomes(String ndjson) {
        return client.post()
                .uri("/ingest/v1/leads/stream")
                .header("X-Api-Key", "all-key")
                .contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(ndjson)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
                .getResponseBody()
                .collectList()
                .block();
    }

    @Test
    void acceptsASingleObjectEncodedAvroLead() {
        Lead lead = Lead.newBuilder()
                .setLeadId("avro-1")
                .setTenant("spoofed")
                .setSourceSystem("x")
                .setCompany(Company.newBuilder().setName("星云科技").build())
                .setReceivedAt(Instant.EPOCH)
                .build();
        byte[] body = Topics.LEADS.valueSerde().serializer().serialize("t", lead);

        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "all-key")
                .contentType(MediaType.parseMediaType("application/avro"))
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isAccepted();

        Lead stored = onlyLead();
        assertThat(stored.getLeadId()).isEqualTo("avro-1");
        assertThat(stored.getTenant()).isEqualTo("acme");
        assertThat(stored.getSourceSystem()).isEqualTo("crm");
        assertThat(stored.getAttributes()).containsEntry("tenant", "spoofed");
    }

    @Test
    void producesAWonActivityWithItsAmountToTheActivitiesTopic() {
        post(
                        "/ingest/v1/activities",
                        "all-key",
                        "{\"activityId\":\"a-1\",\"leadId\":\"l-9\",\"kind\":\"won\"," + "\"amount\":12000.5}")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.activityId")
                .isEqualTo("a-1");

        assertThat(publisher.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.topic()).isEqualTo(Topics.ACTIVITIES.name());
            assertThat(sent.key()).isEqualTo("acme");
            assertThat(((Activity) sent.value()).getAmount()).isEqualTo(new BigDecimal("12000.50"));
        });
    }

    @Test
    void describesEveryRouteInTheOpenApiDocument() {
        byte[] document = client.get()
                .uri("/ingest/v1/openapi.yaml")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        Map<String, Object> openApi = new Yaml().load(new String(document, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) openApi.get("paths");

        assertThat(RouteList.of(ingest))
                .allSatisfy(route -> assertThat(paths)
                        .as("OpenAPI paths")
                        .hasEntrySatisfying(
                                route.path(),
                                operations -> assertThat(operations)
                                        .containsKey(route.method().toLowerCase(java.util.Locale.ROOT))));
    }

    private static WebTestClient.ResponseSpec post(String path, String key, String json) {
        return client.post()
                .uri(path)
                .header("X-Api-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    private static String leadIdOf(WebTestClient.ResponseSpec response) {
        @SuppressWarnings("unchecked")
        Map<String, String> body = response.expectStatus()
                .isAccepted()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        return body.get("leadId");
    }

    private static Lead onlyLead() {
        assertThat(publisher.sent()).hasSize(1);
        return (Lead) publisher.sent().get(0).value();
    }
}
