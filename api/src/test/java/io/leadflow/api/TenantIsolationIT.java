package io.leadflow.api;

import static io.leadflow.api.Fixtures.aCustomer;
import static io.leadflow.api.Fixtures.aFunnelFigure;
import static io.leadflow.api.Fixtures.aPoolEvent;
import static io.leadflow.api.Fixtures.anOwnerFigures;
import static io.leadflow.api.Fixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.auth.Role;
import io.leadflow.api.command.TestResponder;
import io.leadflow.api.web.RouteTable;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.MatchEvidence;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * Who may see what, for every endpoint the api serves (read from its routes: a new endpoint without a case here
 * fails this suite). For each endpoint, a token of tenant A — an admin, with the very user name that holds
 * customers in tenant B — reads, changes and streams nothing of tenant B; and a salesperson of tenant B never
 * sees the contacts of a colleague's private customer unmasked. Also: the OpenAPI document describes every
 * endpoint, and everything but health and the document needs a token.
 */
class TenantIsolationIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String A = "iso-a-" + SUFFIX;
    private static final String B = "iso-b-" + SUFFIX;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** What tenant A must never see of tenant B. */
    private static final List<String> B_MARKERS = List.of(
            "c-b-private", "c-b-public", "北辰", "Beichen", "beichen", "13900139000", "b-only-pool", "b-figures-team", B);
    /** What a salesperson of B must never see of a colleague's private customer. */
    private static final List<String> PRIVATE_CONTACTS = List.of("secret.b@beichen.cn", "13900139000", "王秘密");

    private static String tenantAAdmin;
    private static String bAdmin;
    private static String bBob;
    private static TestResponder aResponder;
    private static TestResponder bResponder;

    /**
     * One request of an endpoint as {@code token}; answers the response body (or the streamed events).
     * {@link #request} is what the caller sent, which an answer may echo (a 404 names the id asked for).
     */
    private interface Case {
        String run(String token);

        String request();
    }

    private record Request(String request, java.util.function.Function<String, String> runner) implements Case {
        @Override
        public String run(String token) {
            return runner.apply(token);
        }
    }

    /** The markers a response must not contain, but for those the request itself carried. */
    private static String[] unsent(List<String> markers, Case request) {
        return markers.stream()
                .filter(marker -> !request.request().contains(marker))
                .toArray(String[]::new);
    }

    private static final Map<String, Case> CASES = Map.ofEntries(
            get("GET /api/v1/customers", "/api/v1/customers?size=200"),
            get("GET /api/v1/customers/{id}", "/api/v1/customers/c-b-private"),
            get("GET /api/v1/customers/{id}/history", "/api/v1/customers/c-b-private/history"),
            get("GET /api/v1/pools", "/api/v1/pools"),
            get("GET /api/v1/pools/{poolId}/customers", "/api/v1/pools/public/customers"),
            get("GET /api/v1/private-pool", "/api/v1/private-pool"),
            get("GET /api/v1/private-pools/{owner}", "/api/v1/private-pools/b-alice"),
            get("GET /api/v1/owners/{user}/figures", "/api/v1/owners/b-alice/figures"),
            send("POST /api/v1/duplicate-checks", HttpMethod.POST, "/api/v1/duplicate-checks", "{\"name\":\"北辰机密科技\"}"),
            get("GET /api/v1/identity-events", "/api/v1/identity-events"),
            get("GET /api/v1/merge-suggestions", "/api/v1/merge-suggestions"),
            get("GET /api/v1/funnel", "/api/v1/funnel?dimension=TENANT"),
            get("GET /api/v1/funnel/cohorts", "/api/v1/funnel/cohorts?dimension=OWNER"),
            command("claim", "c-b-public", null),
            command("release", "c-b-private", "{\"reason\":\"x\"}"),
            command("assign", "c-b-public", "{\"toOwner\":\"b-alice\"}"),
            command("transfer", "c-b-private", "{\"fromOwner\":\"b-alice\",\"toOwner\":\"b-bob\"}"),
            command("lock", "c-b-private", "{}"),
            command("unlock", "c-b-private", null),
            command("follow-ups", "c-b-private", "{\"type\":\"CALL\"}"),
            send(
                    "POST /api/v1/merges",
                    HttpMethod.POST,
                    "/api/v1/merges",
                    "{\"survivorId\":\"c-b-private\",\"mergedId\":\"c-b-public\"}"),
            get("GET /api/v1/commands/{commandId}", "/api/v1/commands/" + UUID.randomUUID()),
            get("GET /api/v1/tenant-rules", "/api/v1/tenant-rules"),
            send(
                    "PUT /api/v1/tenant-rules",
                    HttpMethod.PUT,
                    "/api/v1/tenant-rules",
                    "{\"pools\":[{\"poolId\":\"public\",\"name\":\"Public pool\",\"isDefault\":true}]}"),
            stream("GET /api/v1/streams/funnel", "/api/v1/streams/funnel?dimension=TENANT", "\"stages\""),
            stream("GET /api/v1/streams/my-events", "/api/v1/streams/my-events", "sentinel"),
            stream("GET /api/v1/streams/pools/{poolId}", "/api/v1/streams/pools/public", "sentinel"),
            send(
                    "POST /api/v1/dev/tokens",
                    HttpMethod.POST,
                    "/api/v1/dev/tokens",
                    "{\"user\":\"b-alice\",\"roles\":[\"admin\"]}"));

    @BeforeAll
    static void twoTenants() {
        TestApi.api();
        tenantAAdmin = TestApi.token(A, "b-alice", "b-east", Role.ADMIN);
        bAdmin = TestApi.token(B, "root", null, Role.ADMIN);
        bBob = TestApi.token(B, "b-bob", "b-west", Role.SALES);
        aResponder = new TestResponder(A, customerId -> null, "none");
        bResponder = new TestResponder(B, customerId -> null, "none");

        publish(aCustomer(B, "c-b-private", "北辰机密科技有限公司", "secret.b@beichen.cn", "13900139000")
                .setOwner("b-alice")
                .setTeam("b-east")
                .build());
        publish(aCustomer(B, "c-b-public", "Beichen Public Ltd", "pub@beichen-pub.cn", null)
                .build());
        publish(aPoolEvent(B, "pe-b-1", "c-b-private", PoolEventType.CLAIMED)
                .setActor("b-alice")
                .setToOwner("b-alice")
                .setPoolId("public")
                .build());
        publish(IdentityEvent.newBuilder()
                .setEventId("ie-b-1")
                .setTenant(B)
                .setCustomerId("c-b-private")
                .setType(IdentityEventType.COLLISION)
                .setLeadId("l-b-bob")
                .setHolder("b-alice")
                .setIntendedOwner("b-bob")
                .setEvidence(List.of(new MatchEvidence(MatchKeyKind.NAME, "北辰机密科技", 1.0, "exact-key")))
                .setOccurredAt(Instant.now())
                .build());
        publish(aFunnelFigure(B, FunnelDimension.TENANT, B, 2));
        publish(aPoolEvent(B, "pe-b-sentinel", "c-b-public", PoolEventType.RELEASED)
                .setActor("b-bob")
                .setFromOwner("b-bob")
                .setPoolId("public")
                .build());

        publish(anOwnerFigures(B, "b-alice", 3, 9).setTeam("b-figures-team").build());

        publish(aCustomer(A, "c-a-1", "Alpha Own Co", "own@alpha-own.cn", null).build());
        publish(aFunnelFigure(A, FunnelDimension.TENANT, A, 1));
        publish(aPoolEvent(A, "pe-a-sentinel", "c-a-1", PoolEventType.RETURNED)
                .setFromOwner("b-alice")
                .setPoolId("public")
                .build());

        await().atMost(WITHIN).untilAsserted(() -> {
            client(bAdmin)
                    .get()
                    .uri("/api/v1/customers/c-b-public/history")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.poolEvents.length()")
                    .isEqualTo(1);
            client(bAdmin)
                    .get()
                    .uri("/api/v1/customers/c-b-private/history")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.poolEvents.length()")
                    .isEqualTo(1);
            client(bAdmin)
                    .get()
                    .uri("/api/v1/identity-events")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.items.length()")
                    .isEqualTo(1);
            client(bAdmin)
                    .get()
                    .uri("/api/v1/funnel")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.length()")
                    .isEqualTo(1);
            client(bAdmin)
                    .get()
                    .uri("/api/v1/owners/b-alice/figures")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.held")
                    .isEqualTo(9);
            client(tenantAAdmin)
                    .get()
                    .uri("/api/v1/customers/c-a-1/history")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.poolEvents.length()")
                    .isEqualTo(1);
            client(tenantAAdmin)
                    .get()
                    .uri("/api/v1/funnel")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.length()")
                    .isEqualTo(1);
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        aResponder.close();
        bResponder.close();
    }

    @TestFactory
    Stream<DynamicTest> aTokenOfTenantANeverReadsChangesOrStreamsAnythingOfTenantB() {
        return routes().stream()
                .map(route -> DynamicTest.dynamicTest(route, () -> {
                    assertThat(CASES).as("an isolation case for " + route).containsKey(route);
                    String seen = CASES.get(route).run(tenantAAdmin);
                    assertThat(seen)
                            .as(route + " as an admin of tenant A")
                            .doesNotContain(unsent(B_MARKERS, CASES.get(route)));
                }));
    }

    @TestFactory
    Stream<DynamicTest> aSalespersonNeverSeesAColleaguesPrivateContactsUnmasked() {
        return routes().stream()
                .filter(route -> !route.startsWith("PUT ") && !route.startsWith("POST /api/v1/dev/"))
                .map(route -> DynamicTest.dynamicTest(route, () -> {
                    assertThat(CASES).as("a case for " + route).containsKey(route);
                    String seen = CASES.get(route).run(bBob);
                    assertThat(seen)
                            .as(route + " as another salesperson")
                            .doesNotContain(unsent(PRIVATE_CONTACTS, CASES.get(route)));
                }));
    }

    @Test
    void tenantBIsUnchangedAndReceivedNoCommandAfterTenantAsCommands() {
        for (String route : CASES.keySet()) {
            if (route.startsWith("POST /api/v1/customers/") || route.equals("POST /api/v1/merges")) {
                CASES.get(route).run(tenantAAdmin);
            }
        }
        client(bAdmin)
                .get()
                .uri("/api/v1/customers/c-b-public")
                .exchange()
                .expectBody()
                .jsonPath("$.owner")
                .doesNotExist()
                .jsonPath("$.version")
                .isEqualTo(1);
        client(bAdmin)
                .get()
                .uri("/api/v1/customers/c-b-private")
                .exchange()
                .expectBody()
                .jsonPath("$.owner")
                .isEqualTo("b-alice")
                .jsonPath("$.locked")
                .isEqualTo(false);
        await().atMost(WITHIN).until(() -> aResponder.received() > 0);
        assertThat(bResponder.received()).isZero();
    }

    @Test
    void ownerFiguresAreReadInTheTokensTenantOnly() {
        client(tenantAAdmin)
                .get()
                .uri("/api/v1/owners/b-alice/figures")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.held")
                .isEqualTo(0)
                .jsonPath("$.sequence")
                .isEqualTo(0);
        client(bBob)
                .get()
                .uri("/api/v1/owners/b-alice/figures")
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void theApiDocumentDescribesEveryEndpointAndOnlyHealthAndTheDocumentAreOpen() {
        String document = new String(TestApi.anonymous()
                .get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBodyContent());
        for (String route : routes()) {
            String path = route.substring(route.indexOf(' ') + 1);
            assertThat(document).as("the document names " + route).contains("\"" + path + "\"");
        }
        assertThat(document).doesNotContain("UNDOCUMENTED");
        TestApi.anonymous()
                .get()
                .uri("/swagger-ui.html")
                .exchange()
                .expectStatus()
                .is3xxRedirection();
        TestApi.anonymous()
                .get()
                .uri("/webjars/swagger-ui/index.html")
                .exchange()
                .expectStatus()
                .isOk();
        for (String route : routes()) {
            if (route.startsWith("POST /api/v1/dev/")) {
                continue;
            }
            String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
            TestApi.anonymous()
                    .method(HttpMethod.valueOf(route.substring(0, route.indexOf(' '))))
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isUnauthorized();
        }
    }

    private static List<String> routes() {
        List<RouterFunction<?>> routers = new java.util.ArrayList<>();
        TestApi.api().getBeanProvider(RouterFunction.class).orderedStream().forEach(routers::add);
        Set<String> served = RouteTable.of(routers).stream()
                .filter(route -> route.path().startsWith("/api/"))
                .map(RouteTable.Route::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(CASES.keySet()).as("cases of endpoints that no longer exist").isSubsetOf(served);
        return List.copyOf(served);
    }

    private static WebTestClient client(String token) {
        return TestApi.client()
                .responseTimeout(WITHIN)
                .defaultHeader("Authorization", "Bearer " + token)
                .build();
    }

    private static Map.Entry<String, Case> get(String route, String uri) {
        return send(route, HttpMethod.GET, uri, null);
    }

    private static Map.Entry<String, Case> command(String verb, String customerId, String body) {
        return send(
                "POST /api/v1/customers/{id}/" + verb,
                HttpMethod.POST,
                "/api/v1/customers/" + customerId + "/" + verb,
                body);
    }

    private static Map.Entry<String, Case> send(String route, HttpMethod method, String uri, String body) {
        return Map.entry(route, new Request(uri + " " + body, token -> {
            WebTestClient.RequestBodySpec request =
                    client(token).method(method).uri(uri).contentType(MediaType.APPLICATION_JSON);
            WebTestClient.ResponseSpec response =
                    body == null ? request.exchange() : request.bodyValue(body).exchange();
            byte[] content = response.expectBody().returnResult().getResponseBodyContent();
            return content == null ? "" : new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }));
    }

    /**
     * Reads a stream from the very first change ({@code Last-Event-ID: 0}) until an event containing {@code until}
     * (every row was projected before, so the first read returns them all); answers all events read.
     */
    private static Map.Entry<String, Case> stream(String route, String uri, String until) {
        return Map.entry(route, new Request(uri, token -> {
            List<ServerSentEvent<String>> events = TestApi.events(token, uri, "0")
                    .filter(event -> event.data() != null)
                    .takeUntil(event -> event.data().contains(until))
                    .collectList()
                    .block(WITHIN);
            assertThat(events).as(route + " delivers the caller's own events").isNotEmpty();
            return events.stream()
                    .map(event -> event.id() + " " + event.event() + " " + event.data())
                    .collect(Collectors.joining("\n"));
        }));
    }
}
