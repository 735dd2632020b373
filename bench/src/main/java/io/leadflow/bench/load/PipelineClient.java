package io.leadflow.bench.load;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.standalone.LeadflowServices;
import io.leadflow.standalone.LeadflowServices.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's side of the HTTP conversation: leads and activities to ingest with the tenant's API key,
 * commands and reads to the api with a token minted for the acting user, and the api's live streams.
 */
final class PipelineClient {

    static final String SOURCE = "load-driver";
    static final String ADMIN = "load-admin";
    private static final Duration TOKEN_TTL = Duration.ofHours(12);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI ingest;
    private final URI api;
    private final TokenMinter minter;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    PipelineClient(ProcessPipeline pipeline) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.ingest = pipeline.uri(Service.INGEST);
        this.api = pipeline.uri(Service.API);
        this.minter = new TokenMinter(pipeline.options().apiHmacSecret(), null, Clock.systemUTC());
    }

    /** The ingest key of {@code tenant}, as the driver sends it. */
    static String ingestKey(String tenant) {
        return "load-key-" + tenant;
    }

    /** What ingest must be configured with for {@code tenants}. */
    static List<LeadflowServices.Credential> credentials(List<String> tenants) {
        return tenants.stream()
                .map(tenant ->
                        new LeadflowServices.Credential(ApiKeyAuthenticator.sha256(ingestKey(tenant)), tenant, SOURCE))
                .toList();
    }

    HttpClient http() {
        return http;
    }

    CompletableFuture<HttpResponse<String>> postLead(String tenant, String json) {
        return ingest(tenant, "/ingest/v1/leads", json);
    }

    CompletableFuture<HttpResponse<String>> postActivity(String tenant, String json) {
        return ingest(tenant, "/ingest/v1/activities", json);
    }

    /** {@code POST /api/v1/customers/{customerId}/{verb}} as salesperson {@code actor}. */
    CompletableFuture<HttpResponse<String>> command(
            String tenant, String actor, String customerId, String verb, String json, String idempotencyKey) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/api/v1/customers/" + customerId + "/" + verb))
                .timeout(ANSWER_WITHIN)
                .header("Authorization", "Bearer " + token(tenant, actor, Role.SALES))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A read of the api ({@code pathAndQuery} below the host) as the tenant's admin. */
    CompletableFuture<HttpResponse<String>> get(String tenant, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(pathAndQuery))
                .timeout(ANSWER_WITHIN)
                .header("Authorization", "Bearer " + adminToken(tenant))
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A live stream of the api ({@code pathAndQuery}) as the tenant's admin, started. */
    SseStream stream(String tenant, String pathAndQuery, SseStream.Listener listener) throws InterruptedException {
        return new SseStream(http, api.resolve(pathAndQuery), adminToken(tenant), listener).start();
    }

    String adminToken(String tenant) {
        return token(tenant, ADMIN, Role.ADMIN);
    }

    private String token(String tenant, String user, Role role) {
        return tokens.computeIfAbsent(
                tenant + "/" + user + "/" + role,
                key -> minter.mint(new Viewer(tenant, user, null, Set.of(role)), TOKEN_TTL));
    }

    private CompletableFuture<HttpResponse<String>> ingest(String tenant, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(ingest.resolve(path))
                .timeout(ANSWER_WITHIN)
                .header("Authorization", "ApiKey " + ingestKey(tenant))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
