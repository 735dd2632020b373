package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.IngestApplication;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The lead endpoint against a real broker: what it answers, and what it leaves on the leads topic. */
class LeadIngestIT {

    private static final String TENANT =
            "ingest-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY = "key-" + TENANT;

    private static ConfigurableApplicationContext ingest;
    private static WebTestClient client;

    @BeforeAll
    static void startIngest() {
        ingest = IngestApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                        "--leadflow.ingest.api-keys[0].sha256=" + ApiKeyAuthenticator.sha256(KEY),
                        "--leadflow.ingest.api-keys[0].tenant=" + TENANT,
                        "--leadflow.ingest.api-keys[0].source=crm-import");
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"))
                .build();
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void acceptedLeadIsOnTheLeadsTopicKeyedByTheTenantOfTheKey() {
        String leadId = "it-" + UUID.randomUUID();
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"leadId":"%s","tenant":"someone-else","company":{"name":"上海星云科技有限公司"},
                         "contact":{"email":"wang.wei@example.cn"}}
                        """.formatted(leadId))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .jsonPath("$.leadId")
                .isEqualTo(leadId);

        // The topic is shared with other test classes (100,000 stream leads among them): read this tenant's only.
        List<Lead> records = io.leadflow.ingest.support.TopicReader.readUntil(
                        SharedKafka.bootstrapServers(),
                        Topics.LEADS,
                        TENANT,
                        leads ->
                                leads.stream().anyMatch(lead -> lead.getLeadId().equals(leadId)),
                        Duration.ofSeconds(30))
                .stream()
                .filter(lead -> lead.getLeadId().equals(leadId))
                .toList();
        // TopicReader keeps only records keyed by TENANT: the key is the tenant of the API key.
        assertThat(records).singleElement().satisfies(lead -> {
            assertThat(lead.getTenant()).isEqualTo(TENANT);
            assertThat(lead.getSourceSystem()).isEqualTo("crm-import");
            assertThat(lead.getAttributes()).containsEntry("tenant", "someone-else");
        });
    }

    @Test
    void answersARetryWithTheSameIdempotencyKeyWithTheSameLeadIdAndTheSameLeadOnTheTopic() {
        String idempotencyKey = "form-submit-" + UUID.randomUUID();
        String first = postWithIdempotencyKey(idempotencyKey);
        String retry = postWithIdempotencyKey(idempotencyKey);

        assertThat(retry).isEqualTo(first);
        List<Lead> copies = io.leadflow.ingest.support.TopicReader.readUntil(
                        SharedKafka.bootstrapServers(),
                        Topics.LEADS,
                        TENANT,
                        leads -> leads.stream()
                                        .filter(lead -> lead.getLeadId().equals(first))
                                        .count()
                                >= 2,
                        Duration.ofSeconds(30))
                .stream()
                .filter(lead -> lead.getLeadId().equals(first))
                .toList();
        // The processor treats a repeated leadId as a no-op, so the retry produces nothing new downstream.
        assertThat(copies)
                .hasSize(2)
                .extracting(Lead::getCompany)
                .containsOnly(copies.get(0).getCompany());
    }

    private static String postWithIdempotencyKey(String idempotencyKey) {
        return client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"重试科技\"}}")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.ACCEPTED)
                .expectBody(java.util.Map.class)
                .returnResult()
                .getResponseBody()
                .get("leadId")
                .toString();
    }

    @Test
    void answersUnauthorizedWithoutAKnownKey() {
        client.post()
                .uri("/ingest/v1/leads")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "ApiKey")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.post()
                .uri("/ingest/v1/leads")
                .header("Authorization", "ApiKey wrong-key")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\":{\"name\":\"Acme\"}}")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void answersBadRequestNamingEachBadField() {
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contact\":{\"email\":\"nope\"},\"level\":\"Q\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/invalid-lead")
                .jsonPath("$.errors.length()")
                .isEqualTo(2)
                .jsonPath("$.errors[?(@.field == 'level')].message")
                .isEqualTo(List.of("must be one of A, B, C"))
                .jsonPath("$.errors[?(@.field == 'contact.email')].message")
                .isEqualTo(List.of("is not an e-mail address"));
    }

    @Test
    void answersBadRequestForBrokenJson() {
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"company\": {\"name\": ")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/unreadable-body");
    }

    @Test
    void answersUnsupportedMediaTypeForNonJsonBodies() {
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("company=Acme")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }
}
