package io.leadflow.api;

import static io.leadflow.api.Fixtures.aCustomer;
import static io.leadflow.api.Fixtures.publish;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.auth.Role;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.MatchEvidence;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.StageFigure;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The read model of pool events, identity findings and funnel figures on a real broker and PostgreSQL, the
 * queries over it, who sees what, and tenant isolation: a token of another tenant never reads anything.
 */
class ReadModelIT {

    private static final String TENANT = "rm-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_TENANT =
            "rm-other-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration PROJECTED_WITHIN = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.now();

    private static WebTestClient alice;
    private static WebTestClient bob;
    private static WebTestClient admin;
    private static WebTestClient stranger;

    @BeforeAll
    static void projectATenant() {
        TestApi.api();
        alice = TestApi.as(TENANT, "alice", "east", Role.SALES);
        bob = TestApi.as(TENANT, "bob", "west", Role.SALES);
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
        stranger = TestApi.as(OTHER_TENANT, "alice", "east", Role.ADMIN);

        publish(aCustomer(TENANT, "c-alice", "上海星云科技有限公司", "wang.wei@xingyun.cn", "13800138000")
                .setOwner("alice")
                .setTeam("east")
                .setReturnDeadline(NOW.plus(Duration.ofDays(2)).plus(Duration.ofHours(1)))
                .build());
        publish(aCustomer(TENANT, "c-public", "Organic Farms Inc.", "info@organic-farms.com", null)
                .build());
        SharedKafka.client()
                .produce(
                        Topics.POOL_EVENTS,
                        Keys.customer(TENANT, "c-alice"),
                        PoolEvent.newBuilder()
                                .setEventId("pe-1")
                                .setTenant(TENANT)
                                .setCustomerId("c-alice")
                                .setType(PoolEventType.CLAIMED)
                                .setActor("alice")
                                .setToOwner("alice")
                                .setPoolId("public")
                                .setOccurredAt(NOW)
                                .build());
        SharedKafka.client()
                .produce(
                        Topics.IDENTITY_EVENTS,
                        Keys.customer(TENANT, "c-alice"),
                        IdentityEvent.newBuilder()
                                .setEventId("ie-1")
                                .setTenant(TENANT)
                                .setCustomerId("c-alice")
                                .setType(IdentityEventType.COLLISION)
                                .setLeadId("l-bob")
                                .setHolder("alice")
                                .setIntendedOwner("bob")
                                .setEvidence(List.of(
                                        new MatchEvidence(MatchKeyKind.EMAIL, "wang.wei@xingyun.cn", 1.0, "exact-key")))
                                .setOccurredAt(NOW)
                                .build());
        funnel(10, 2);
        funnel(11, 3);
        await().atMost(PROJECTED_WITHIN)
                .untilAsserted(() -> admin.get()
                        .uri("/api/v1/funnel")
                        .exchange()
                        .expectBody()
                        .jsonPath("$[0].won")
                        .isEqualTo(3));
        await().atMost(PROJECTED_WITHIN)
                .untilAsserted(() -> admin.get()
                        .uri("/api/v1/customers/c-alice/history")
                        .exchange()
                        .expectBody()
                        .jsonPath("$.poolEvents.length()")
                        .isEqualTo(1));
    }

    @Test
    void aSalespersonSeesTheirOwnAndPublicCustomersButNotAnothersPrivateOnes() {
        alice.get()
                .uri("/api/v1/customers")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        bob.get()
                .uri("/api/v1/customers")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.items[0].customerId")
                .isEqualTo("c-public");
        bob.get().uri("/api/v1/customers/c-alice").exchange().expectStatus().isNotFound();
        alice.get()
                .uri("/api/v1/customers?owner=alice&returnsWithinDays=3")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        alice.get()
                .uri("/api/v1/customers?returnsWithinDays=1")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
    }

    @Test
    void showsPublicPoolsAndAPrivatePoolWithDaysLeftAndCapacityUsed() {
        bob.get()
                .uri("/api/v1/pools")
                .exchange()
                .expectBody()
                .jsonPath("$[0].poolId")
                .isEqualTo("public")
                .jsonPath("$[0].customers")
                .isEqualTo(1);
        bob.get()
                .uri("/api/v1/pools/public/customers")
                .exchange()
                .expectBody()
                .jsonPath("$.items[0].customerId")
                .isEqualTo("c-public");
        alice.get()
                .uri("/api/v1/private-pool")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.capacity")
                .isEqualTo(200)
                .jsonPath("$.used")
                .isEqualTo(1)
                .jsonPath("$.items[0].daysLeft")
                .isEqualTo(3);
        bob.get().uri("/api/v1/private-pools/alice").exchange().expectStatus().isForbidden();
    }

    @Test
    void aDuplicateCheckMasksContactsOfACustomerTheCallerMayNotSee() {
        String body = "{\"email\":\"Wang.Wei@XINGYUN.cn\",\"name\":\"星云科技\"}";
        bob.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.matches[0].customerId")
                .isEqualTo("c-alice")
                .jsonPath("$.matches[0].owner")
                .isEqualTo("alice")
                .jsonPath("$.matches[0].masked")
                .isEqualTo(true)
                .jsonPath("$.matches[0].contacts[0].email")
                .isEqualTo("w***@xingyun.cn")
                .jsonPath("$.matches[0].contacts[0].mobile")
                .isEqualTo("****8000")
                .jsonPath("$.matches[0].evidence[0].kind")
                .isEqualTo("EMAIL");
        alice.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectBody()
                .jsonPath("$.matches[0].masked")
                .isEqualTo(false)
                .jsonPath("$.matches[0].contacts[0].email")
                .isEqualTo("wang.wei@xingyun.cn");
        bob.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"  \"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void showsACollisionToBothSalespeopleItConcerns() {
        for (WebTestClient client : List.of(alice, bob)) {
            client.get()
                    .uri("/api/v1/identity-events?type=COLLISION")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.items.length()")
                    .isEqualTo(1)
                    .jsonPath("$.items[0].evidence[0].kind")
                    .isEqualTo("EMAIL");
        }
    }

    @Test
    void anOlderFunnelFigureNeverOverwritesANewerOne() {
        admin.get()
                .uri("/api/v1/funnel?dimension=TENANT")
                .exchange()
                .expectBody()
                .jsonPath("$[0].won")
                .isEqualTo(3)
                .jsonPath("$[0].stages[0].stage")
                .isEqualTo("NEW");
        alice.get()
                .uri("/api/v1/funnel?dimension=OWNER&value=bob")
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aTokenOfAnotherTenantReadsNothing() {
        stranger.get()
                .uri("/api/v1/customers")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        stranger.get()
                .uri("/api/v1/customers/c-alice")
                .exchange()
                .expectStatus()
                .isNotFound();
        stranger.get()
                .uri("/api/v1/customers/c-alice/history")
                .exchange()
                .expectStatus()
                .isNotFound();
        stranger.get()
                .uri("/api/v1/pools/public/customers")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        stranger.get()
                .uri("/api/v1/private-pools/alice")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0)
                .jsonPath("$.used")
                .isEqualTo(0);
        stranger.get()
                .uri("/api/v1/identity-events")
                .exchange()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(0);
        stranger.get()
                .uri("/api/v1/funnel")
                .exchange()
                .expectBody()
                .jsonPath("$.length()")
                .isEqualTo(0);
        stranger.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"wang.wei@xingyun.cn\"}")
                .exchange()
                .expectBody()
                .jsonPath("$.matches.length()")
                .isEqualTo(0);
    }

    @Test
    void refusesRequestsWithoutAValidTokenButLeavesHealthAndTheApiDocumentOpen() {
        TestApi.anonymous()
                .get()
                .uri("/api/v1/customers")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        WebTestClient forged = TestApi.client()
                .defaultHeader(
                        "Authorization",
                        "Bearer "
                                + new io.leadflow.api.auth.TokenMinter(
                                                "another-secret-of-at-least-thirty-two-bytes",
                                                null,
                                                java.time.Clock.systemUTC())
                                        .mint(
                                                new io.leadflow.api.auth.Viewer(
                                                        TENANT, "mallory", null, java.util.Set.of(Role.ADMIN)),
                                                Duration.ofMinutes(5)))
                .build();
        forged.get().uri("/api/v1/customers").exchange().expectStatus().isUnauthorized();
        TestApi.anonymous()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk();
        TestApi.anonymous().get().uri("/v3/api-docs").exchange().expectStatus().isOk();
    }

    private static void funnel(long offsetMarker, long won) {
        SharedKafka.client()
                .produce(
                        Topics.FUNNEL,
                        Keys.funnel(TENANT, FunnelDimension.TENANT, "live", TENANT),
                        FunnelFigure.newBuilder()
                                .setTenant(TENANT)
                                .setDimension(FunnelDimension.TENANT)
                                .setDimensionValue(TENANT)
                                .setPeriod("live")
                                .setKind(FunnelKind.SNAPSHOT)
                                .setStages(List.of(new StageFigure(
                                        "NEW",
                                        offsetMarker,
                                        new BigDecimal("100.00"),
                                        new BigDecimal("5.00"),
                                        offsetMarker,
                                        null,
                                        null,
                                        null)))
                                .setWon(won)
                                .setLost(0)
                                .setUpdatedAt(NOW)
                                .build());
    }
}
