package io.leadflow.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Commands through the whole pipeline: the api puts them on the commands topic, the real processor decides,
 * the api answers with the outcome and shows the change right after. Two salespeople claiming one customer
 * at the same instant get one 200 and one 409. After claims and a release, the owner's figures the api serves
 * (projected from the processor's owner-figures topic) are what happened.
 */
class CommandsEndToEndIT {

    private static final String TENANT = "cmd-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String INGEST_KEY = "ingest-key-" + TENANT;
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes-" + TENANT;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static LeadflowServices services;
    private static WebTestClient ingest;
    private static WebTestClient api;

    @BeforeAll
    static void startLeadflow() throws Exception {
        services = TestPipeline.start("cmdit", TENANT, INGEST_KEY, SECRET, null);
        ingest = TestPipeline.client(services.ingestPort(), Duration.ofSeconds(15));
        api = TestPipeline.client(services.apiPort(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopLeadflow() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void ofTwoSimultaneousClaimsOneIsAcceptedAndTheOtherRefused() throws Exception {
        String customerId = aPublicPoolCustomer("race@contested.example", "Contested Trading Co., Ltd.");

        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Integer> alice = CompletableFuture.supplyAsync(() -> claimAfter(start, "alice", customerId));
        CompletableFuture<Integer> bob = CompletableFuture.supplyAsync(() -> claimAfter(start, "bob", customerId));
        start.countDown();

        assertThat(List.of(alice.get(), bob.get())).containsExactlyInAnyOrder(200, 409);
        String winner = alice.get() == 200 ? "alice" : "bob";
        JsonNode customer = customer(customerId, token("admin-ada", Role.ADMIN));
        assertThat(customer.get("owner").asString())
                .as("a read right after the 200 shows the change")
                .isEqualTo(winner);
    }

    @Test
    void aClaimReleaseAndRefusalCarryTheProcessorsDecision() {
        String customerId = aPublicPoolCustomer("buyer@release.example", "Release GmbH");
        String carol = token("carol", Role.SALES);

        api.post()
                .uri("/api/v1/customers/{id}/claim", customerId)
                .header("Authorization", "Bearer " + carol)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.outcome")
                .isEqualTo("ACCEPTED")
                .jsonPath("$.customer.owner")
                .isEqualTo("carol");
        api.post()
                .uri("/api/v1/customers/{id}/release", customerId)
                .header("Authorization", "Bearer " + carol)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "no budget"))
                .exchange()
                .expectStatus()
                .isOk();

        api.post()
                .uri("/api/v1/customers/{id}/claim", customerId)
                .header("Authorization", "Bearer " + carol)
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("COOLDOWN");
    }

    @Test
    void afterClaimsAndAReleaseTheOwnersFiguresAreWhatHappened() {
        String first = aPublicPoolCustomer("first@figures.example", "Figures First Ltd");
        String second = aPublicPoolCustomer("second@figures.example", "Figures Second Ltd");
        String dana = token("dana", Role.SALES);
        for (String customerId : List.of(first, second)) {
            api.post()
                    .uri("/api/v1/customers/{id}/claim", customerId)
                    .header("Authorization", "Bearer " + dana)
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        api.post()
                .uri("/api/v1/customers/{id}/release", first)
                .header("Authorization", "Bearer " + dana)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "wrong region"))
                .exchange()
                .expectStatus()
                .isOk();

        JsonNode figures = await().atMost(WITHIN)
                .until(
                        () -> get("/api/v1/owners/dana/figures", dana),
                        body -> body.get("sequence").asLong() == 3);
        assertThat(figures.get("held").asLong()).isEqualTo(1);
        assertThat(figures.get("heldCountingCapacity").asLong()).isEqualTo(1);
        assertThat(figures.get("claimsToday").asLong())
                .as("a release gives no claim back")
                .isEqualTo(2);
        assertThat(figures.get("capacity").asInt()).isEqualTo(200);
        assertThat(figures.get("dailyClaimLimit").asInt()).isEqualTo(50);
        JsonNode pool = get("/api/v1/private-pool", dana);
        assertThat(pool.get("figures")).isEqualTo(figures);
        assertThat(pool.get("items")).hasSize(1);
        assertThat(pool.get("items").get(0).get("customer").get("customerId").asString())
                .isEqualTo(second);
    }

    @Test
    void aClaimAndAReleaseRetriedWithTheirKeysAreAppliedOnce() throws Exception {
        String customerId = aPublicPoolCustomer("buyer@retried.example", "Retried Trading Co., Ltd.");
        String dave = token("dave", Role.SALES);
        String claimKey = UUID.randomUUID().toString();
        String releaseKey = UUID.randomUUID().toString();

        // Two attempts at once, as a client retrying after a timeout: one id, so the processor applies it once
        // and answers the second attempt with the first outcome (a second claim would be ALREADY_OWNED).
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<JsonNode> first =
                CompletableFuture.supplyAsync(() -> commandAfter(start, dave, customerId, "claim", claimKey, 200));
        CompletableFuture<JsonNode> retry =
                CompletableFuture.supplyAsync(() -> commandAfter(start, dave, customerId, "claim", claimKey, 200));
        start.countDown();
        assertThat(retry.get().get("commandId").asString())
                .isEqualTo(first.get().get("commandId").asString());
        commandAfter(new CountDownLatch(0), dave, customerId, "release", releaseKey, 200);

        // Retried after the customer moved on: the first outcomes again, nothing applied again.
        JsonNode claimedAgain = commandAfter(new CountDownLatch(0), dave, customerId, "claim", claimKey, 200);
        commandAfter(new CountDownLatch(0), dave, customerId, "release", releaseKey, 200);

        assertThat(claimedAgain.get("outcome").asString()).isEqualTo("ACCEPTED");
        String admin = token("admin-ada", Role.ADMIN);
        assertThat(customer(customerId, admin).get("owner").isNull()).isTrue();
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode history = get("/api/v1/customers/" + customerId + "/history", admin);
            List<String> types = new ArrayList<>();
            history.get("poolEvents")
                    .forEach(event -> types.add(event.get("type").asString()));
            assertThat(types).containsOnlyOnce("CLAIMED", "RELEASED");
        });
    }

    /** A lead through ingest; returns the customer id once the api shows it. */
    private static String aPublicPoolCustomer(String email, String company) {
        ingest.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", INGEST_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "leadId", "lead-" + UUID.randomUUID(),
                        "company", Map.of("name", company),
                        "contact", Map.of("email", email)))
                .exchange()
                .expectStatus()
                .isAccepted();
        String admin = token("admin-ada", Role.ADMIN);
        JsonNode page = await().atMost(WITHIN)
                .until(
                        () -> api.get()
                                .uri(uri -> uri.path("/api/v1/customers")
                                        .queryParam("q", company)
                                        .build())
                                .header("Authorization", "Bearer " + admin)
                                .exchange()
                                .expectStatus()
                                .isOk()
                                .expectBody(JsonNode.class)
                                .returnResult()
                                .getResponseBody(),
                        // both: the page's items and its total are two queries, and the row may be projected
                        // between them
                        body -> body.get("total").asLong() == 1
                                && body.get("items").size() == 1);
        return page.get("items").get(0).get("customerId").asString();
    }

    private static int claimAfter(CountDownLatch start, String user, String customerId) {
        String token = token(user, Role.SALES);
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        EntityExchangeResult<byte[]> result = api.post()
                .uri("/api/v1/customers/{id}/claim", customerId)
                .header("Authorization", "Bearer " + token)
                .exchange()
                .expectBody()
                .returnResult();
        return result.getStatus().value();
    }

    private static JsonNode commandAfter(
            CountDownLatch start, String token, String customerId, String verb, String key, int status) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        WebTestClient.RequestBodySpec request = api.post()
                .uri("/api/v1/customers/{id}/" + verb, customerId)
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key);
        WebTestClient.RequestHeadersSpec<?> spec = verb.equals("release")
                ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "no budget"))
                : request;
        return spec.exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private static JsonNode customer(String customerId, String token) {
        return get("/api/v1/customers/" + customerId, token);
    }

    private static JsonNode get(String path, String token) {
        return api.get()
                .uri(path)
                .header("Authorization", "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private static String token(String user, Role role) {
        return new TokenMinter(SECRET, null, Clock.systemUTC())
                .mint(new Viewer(TENANT, user, null, Set.of(role)), Duration.ofHours(1));
    }
}
