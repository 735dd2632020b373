package io.leadflow.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.avro.DeadLetter;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.KafkaTestClient;
import io.leadflow.testsupport.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * One lead flowing end to end through the real broker and the real PostgreSQL: ingest accepts it, the
 * processor resolves it into a customer, the api projects and serves it.
 */
class LeadToCustomerIT {

    private static final String TENANT = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_TENANT = TENANT + "-other";
    private static final String INGEST_KEY = "ingest-key-" + TENANT;
    private static final String API_SECRET = "a-test-secret-of-at-least-thirty-two-bytes-" + TENANT;
    private static final String API_TOKEN = token(TENANT, "alice");
    private static final String OTHER_API_TOKEN = token(OTHER_TENANT, "mallory");
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private static LeadflowServices services;
    private static WebTestClient ingest;
    private static WebTestClient api;

    @BeforeAll
    static void startLeadflow() throws Exception {
        services = TestPipeline.start("it", TENANT, INGEST_KEY, API_SECRET, null);
        ingest = TestPipeline.client(services.ingestPort(), Duration.ofSeconds(15));
        api = TestPipeline.client(services.apiPort(), Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopLeadflow() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void leadsWithTheSameEmailBecomeOneCustomerAndRepeatedLeadIdsChangeNothing() {
        accept(lead("lead-1", "上海星云科技有限公司", "Wang.Wei@Example.CN"));
        accept(lead("lead-2", "星云科技", "wang.wei@example.cn"));
        accept(lead("lead-3", "北京银河贸易有限公司", "li.na@galaxy.example"));
        accept(lead("lead-1", "A different name for a retried lead", "someone.else@example.org"));
        accept(lead("lead-4", "Acme Trading Co., Ltd.", "buyer@acme.example"));

        // lead-4 follows the retried lead-1 on the tenant's partition: once it shows, the retry was processed.
        await().atMost(VISIBLE_WITHIN)
                .until(
                        () -> customers(API_TOKEN, "Acme"),
                        body -> body.get("total").asLong() == 1);
        JsonNode page = customers(API_TOKEN, "");

        List<String> sent = List.of("lead-1", "lead-2", "lead-3", "lead-4");
        assertThat(page.get("items")
                        .valueStream()
                        .filter(customer -> leadIds(customer).stream().anyMatch(sent::contains)))
                .hasSize(3);

        JsonNode xingyun = customerWithLead(page, "lead-1");
        assertThat(leadIds(xingyun)).containsExactly("lead-1", "lead-2");
        assertThat(xingyun.get("version").asLong()).isEqualTo(2);
        assertThat(xingyun.get("company").get("name").asString()).isEqualTo("上海星云科技有限公司");
        assertThat(xingyun.get("matchKeys").toString()).contains("wang.wei@example.cn");
        assertThat(leadIds(customerWithLead(page, "lead-3"))).containsExactly("lead-3");
        assertThat(leadIds(customerWithLead(page, "lead-4"))).containsExactly("lead-4");

        String id = xingyun.get("customerId").asString();
        api.get()
                .uri("/api/v1/customers/{id}", id)
                .header("Authorization", "Bearer " + API_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.customerId")
                .isEqualTo(id)
                .jsonPath("$.leadIds.length()")
                .isEqualTo(2);
        assertThat(customers(API_TOKEN, "星云").get("total").asLong()).isEqualTo(1);
        assertThat(customers(API_TOKEN, "acme").get("total").asLong()).isEqualTo(1);
    }

    @Test
    void anotherTenantSeesNoneOfTheCustomers() {
        accept(lead("lead-isolated", "Isolated GmbH", "info@isolated.example"));
        await().atMost(VISIBLE_WITHIN)
                .until(
                        () -> customers(API_TOKEN, "Isolated"),
                        body -> body.get("total").asLong() == 1);
        String id = customerWithLead(customers(API_TOKEN, "Isolated"), "lead-isolated")
                .get("customerId")
                .asString();

        assertThat(customers(OTHER_API_TOKEN, "").get("total").asLong()).isZero();
        api.get()
                .uri("/api/v1/customers/{id}", id)
                .header("Authorization", "Bearer " + OTHER_API_TOKEN)
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void refusesALeadWithoutAValidKeyOrWithBadFields() {
        ingest.post()
                .uri("/ingest/v1/leads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(lead("lead-x", "Nobody Ltd", "x@nobody.example"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        ingest.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", INGEST_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contact", Map.of("email", "not-an-address"), "level", "Z"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'contact.email')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'level')]")
                .exists();
        api.get().uri("/api/v1/customers").exchange().expectStatus().isUnauthorized();
    }

    /**
     * Bytes that are no record of the topic's schema, written straight to the processor's input topics on the
     * broker (not through ingest, which would refuse them): each becomes a dead letter naming its topic and why,
     * with the bytes as they came, and the leads after it are processed.
     */
    @Test
    void malformedRecordsOnTheInputTopicsBecomeDeadLettersAndTheStreamGoesOn() {
        byte[] garbage = ("not avro " + TENANT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrapServers())) {
            kafka.produceRaw(Topics.LEADS, TENANT, garbage);
            kafka.produceRaw(Topics.ACTIVITIES, TENANT, garbage);
            kafka.produceRaw(Topics.COMMANDS, TENANT, garbage);
            accept(lead("lead-after-garbage", "Garbage Survivors Ltd", "ops@survivors.example"));

            await().atMost(VISIBLE_WITHIN)
                    .until(
                            () -> customers(API_TOKEN, "Survivors"),
                            body -> body.get("total").asLong() == 1);
            await().atMost(VISIBLE_WITHIN)
                    .untilAsserted(() -> assertThat(
                                    kafka.readAll(Topics.DEAD_LETTER, Duration.ofMillis(500), VISIBLE_WITHIN).stream()
                                            .map(ConsumerRecord::value)
                                            .filter(letter -> java.util.Arrays.equals(
                                                    letter.getValue().array(), garbage))
                                            .toList())
                            .allSatisfy(letter -> {
                                assertThat(letter.getComponent()).isEqualTo("processor");
                                assertThat(letter.getReason()).contains("cannot decode");
                            })
                            .extracting(DeadLetter::getSourceTopic)
                            .containsExactlyInAnyOrder(
                                    Topics.LEADS.name(), Topics.ACTIVITIES.name(), Topics.COMMANDS.name()));
        }
    }

    /** An admin's token, signed as the api's identity provider would (HS256 with the shared secret). */
    private static String token(String tenant, String user) {
        return new TokenMinter(API_SECRET, null, Clock.systemUTC())
                .mint(new Viewer(tenant, user, null, Set.of(Role.ADMIN)), Duration.ofHours(1));
    }

    private static Map<String, Object> lead(String leadId, String companyName, String email) {
        return Map.of(
                "leadId",
                leadId,
                "source",
                "web-form",
                "company",
                Map.of("name", companyName),
                "contact",
                Map.of("name", "王伟", "email", email));
    }

    private static void accept(Map<String, Object> lead) {
        ingest.post()
                .uri("/ingest/v1/leads")
                .header("Authorization", "ApiKey " + INGEST_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(lead)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .jsonPath("$.leadId")
                .isEqualTo(lead.get("leadId"));
    }

    private static JsonNode customers(String token, String query) {
        return api.get()
                .uri(uri -> uri.path("/api/v1/customers").queryParam("q", query).build())
                .header("Authorization", "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private static JsonNode customerWithLead(JsonNode page, String leadId) {
        for (JsonNode customer : page.get("items")) {
            if (leadIds(customer).contains(leadId)) {
                return customer;
            }
        }
        throw new AssertionError("no customer holds " + leadId + " in " + page);
    }

    private static List<String> leadIds(JsonNode customer) {
        return customer.get("leadIds").valueStream().map(JsonNode::asString).toList();
    }
}
