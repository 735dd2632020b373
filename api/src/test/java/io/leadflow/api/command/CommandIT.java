package io.leadflow.api.command;

import static io.leadflow.api.Fixtures.aCustomer;
import static io.leadflow.api.Fixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.avro.Activity;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.TenantRules;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Commands through a real broker, answered by a stand-in for the processor ({@link TestResponder}): the
 * outcome comes back as 200 with the new state, 409 with the refusal reason, or 202 with a URL to poll when
 * it does not arrive in time. The end-to-end version through the real processor belongs in standalone.
 */
class CommandIT {

    private static final String TENANT = "cmd-" + UUID.randomUUID().toString().substring(0, 8);

    private static TestResponder responder;
    private static WebTestClient alice;
    private static WebTestClient bob;
    private static WebTestClient admin;

    @BeforeAll
    static void start() {
        TestApi.api();
        alice = TestApi.as(TENANT, "alice", "east", Role.SALES);
        bob = TestApi.as(TENANT, "bob", "east", Role.SALES);
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
        responder = new TestResponder(TENANT, CommandIT::customerSnapshot, "c-silent");
        publish(customer("c-free").build());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> alice.get()
                        .uri("/api/v1/customers/c-free")
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        responder.close();
    }

    @Test
    void twoClaimsOfOneCustomerGiveOneOkAndOneConflict() {
        alice.post()
                .uri("/api/v1/customers/c-free/claim")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.outcome")
                .isEqualTo("ACCEPTED")
                .jsonPath("$.customer.owner")
                .isEqualTo("alice");
        bob.post()
                .uri("/api/v1/customers/c-free/claim")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("ALREADY_OWNED");
    }

    @Test
    void answersAcceptedWithAUrlWhenTheOutcomeIsLate() {
        String location = alice.post()
                .uri("/api/v1/customers/c-silent/claim")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(CommandViews.Pending.class)
                .returnResult()
                .getResponseBody()
                .location();
        alice.get().uri(location).exchange().expectStatus().isAccepted();
        TestApi.as("cmd-stranger", "alice", null, Role.ADMIN)
                .get()
                .uri(location)
                .exchange()
                .expectStatus()
                .isAccepted();
    }

    @Test
    void onlyManagersAssignAndOnlyAdminsSetRules() {
        alice.post()
                .uri("/api/v1/customers/c-free/assign")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"toOwner\":\"bob\"}")
                .exchange()
                .expectStatus()
                .isForbidden();
        String rules = "{\"pools\":[{\"poolId\":\"east-pool\",\"name\":\"East\",\"teams\":[\"east\"],"
                + "\"isDefault\":true}],\"defaults\":{\"privatePoolCapacity\":50},\"stages\":[]}";
        alice.put()
                .uri("/api/v1/tenant-rules")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(rules)
                .exchange()
                .expectStatus()
                .isForbidden();
        admin.put()
                .uri("/api/v1/tenant-rules")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(rules)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(1);
        List<ConsumerRecord<String, TenantRules>> sent =
                SharedKafka.client().consume(Topics.TENANT_RULES, 1, Duration.ofSeconds(30));
        assertThat(sent).anySatisfy(record -> {
            assertThat(record.key()).isEqualTo(TENANT);
            assertThat(record.value().getUpdatedBy()).isEqualTo("root");
            assertThat(record.value().getPools().get(0).getTeams()).containsExactly("east");
        });
    }

    @Test
    void recordsAFollowUpOnlyOnACustomerTheCallerHolds() {
        publish(customer("c-held")
                .setOwner("alice")
                .setTeam("east")
                .setVersion(5)
                .build());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> alice.get()
                        .uri("/api/v1/customers/c-held")
                        .exchange()
                        .expectBody()
                        .jsonPath("$.version")
                        .isEqualTo(5));
        alice.post()
                .uri("/api/v1/customers/c-held/follow-ups")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"call\",\"note\":\"asked for a quote\"}")
                .exchange()
                .expectStatus()
                .isAccepted();
        bob.post()
                .uri("/api/v1/customers/c-held/follow-ups")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"CALL\"}")
                .exchange()
                .expectStatus()
                .isNotFound();
        alice.post()
                .uri("/api/v1/customers/c-held/follow-ups")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"FAX\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.field")
                .isEqualTo("type");
        List<ConsumerRecord<String, Activity>> activities =
                SharedKafka.client().consume(Topics.ACTIVITIES, 1, Duration.ofSeconds(30));
        assertThat(activities).anySatisfy(record -> {
            assertThat(record.value().getTenant()).isEqualTo(TENANT);
            assertThat(record.value().getActor()).isEqualTo("alice");
            assertThat(record.value().getNote()).isEqualTo("asked for a quote");
        });
    }

    @Test
    void aClaimRetriedWithTheSameKeyAnswersItsFirstOutcomeWithoutBeingSentAgain() {
        String key = UUID.randomUUID().toString();
        String commandId = claim(alice, "c-retried", key)
                .expectStatus()
                .isOk()
                .expectBody(CommandViews.Accepted.class)
                .returnResult()
                .getResponseBody()
                .commandId();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> alice.get()
                        .uri("/api/v1/commands/" + commandId)
                        .exchange()
                        .expectStatus()
                        .isOk());
        int sent = responder.received();

        claim(alice, "c-retried", key)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.commandId")
                .isEqualTo(commandId)
                .jsonPath("$.outcome")
                .isEqualTo("ACCEPTED")
                .jsonPath("$.customer.owner")
                .isEqualTo("alice");

        assertThat(responder.received()).isEqualTo(sent);
        // Keys are per user: bob's same key is his own command, refused because alice holds the customer.
        claim(bob, "c-retried", key).expectStatus().isEqualTo(409);
    }

    @Test
    void aRetryWhoseOutcomeIsNotKnownYetSendsTheSameCommandAgain() {
        String key = UUID.randomUUID().toString();
        String first = claim(alice, "c-silent", key)
                .expectStatus()
                .isAccepted()
                .expectBody(CommandViews.Pending.class)
                .returnResult()
                .getResponseBody()
                .commandId();
        int sent = responder.received();

        String again = claim(alice, "c-silent", key)
                .expectStatus()
                .isAccepted()
                .expectBody(CommandViews.Pending.class)
                .returnResult()
                .getResponseBody()
                .commandId();

        assertThat(again).isEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> responder.received() > sent);
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndNeverSent() {
        String key = UUID.randomUUID().toString();
        claim(alice, "c-first-use", key).expectStatus().isOk();
        int sent = responder.received();

        claim(alice, "c-other-customer", key)
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/idempotency-key-reused")
                .jsonPath("$.detail")
                .value(detail -> assertThat(detail.toString()).contains(key));

        assertThat(responder.received()).isEqualTo(sent);
    }

    @Test
    void aFollowUpRetriedWithTheSameKeyIsTheSameActivityAndAnotherRequestUnderItIsRefused() {
        publish(customer("c-followed").setOwner("alice").setTeam("east").build());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> alice.get()
                        .uri("/api/v1/customers/c-followed")
                        .exchange()
                        .expectStatus()
                        .isOk());
        String key = UUID.randomUUID().toString();
        String body = "{\"type\":\"VISIT\",\"note\":\"retried visit\"}";
        String first = followUp(key, body);
        String retry = followUp(key, body);
        assertThat(retry).as("a retry names the same activity").isEqualTo(first);
        alice.post()
                .uri("/api/v1/customers/c-followed/follow-ups")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"CALL\",\"note\":\"another call\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(422);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Activity> sent = SharedKafka.client().consume(Topics.ACTIVITIES, 1, Duration.ofSeconds(30)).stream()
                    .map(ConsumerRecord::value)
                    .filter(activity -> activity.getActivityId().equals(first))
                    .toList();
            assertThat(sent).hasSize(2).allSatisfy(activity -> {
                assertThat(activity.getNote()).isEqualTo("retried visit");
                assertThat(activity.getOccurredAt()).isEqualTo(sent.get(0).getOccurredAt());
            });
        });
    }

    @Test
    void refusesAnIdempotencyKeyThatIsNotPrintableAscii() {
        claim(alice, "c-free", "schlüssel")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.parameter")
                .isEqualTo("Idempotency-Key");
    }

    private static String followUp(String key, String body) {
        return alice.post()
                .uri("/api/v1/customers/c-followed/follow-ups")
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(CommandViews.FollowUpAccepted.class)
                .returnResult()
                .getResponseBody()
                .activityId();
    }

    private static WebTestClient.ResponseSpec claim(WebTestClient client, String customerId, String key) {
        return client.post()
                .uri("/api/v1/customers/" + customerId + "/claim")
                .header("Idempotency-Key", key)
                .exchange();
    }

    private static CustomerSnapshot.Builder customer(String customerId) {
        return aCustomer(TENANT, customerId, "Free Co " + customerId, customerId + "@free-co.cn", null);
    }

    private static CustomerSnapshot customerSnapshot(String customerId) {
        return customer(customerId).build();
    }
}
