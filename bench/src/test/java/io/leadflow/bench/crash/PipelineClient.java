package io.leadflow.bench.crash;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Step;
import io.leadflow.standalone.LeadflowServices.Service;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the crash tests send and read over HTTP, on loopback: leads and activities to ingest (with the tenant's
 * API key), commands and reads to the api (with tokens minted for any tenant and user). Every request has a
 * time limit; a request that got no answer throws {@link IOException}.
 */
final class PipelineClient {

    static final String API_SECRET = "crash-suite-secret-of-at-least-thirty-two-bytes";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer: its status and its body as JSON ({@code null} when it has none or is not JSON). */
    record Answer(int status, JsonNode body) {

        String text(String field) {
            JsonNode value = body == null ? null : body.get(field);
            return value == null || value.isNull() ? null : value.asString();
        }
    }

    private final ProcessPipeline pipeline;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenMinter minter = new TokenMinter(API_SECRET, null, Clock.systemUTC());
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    PipelineClient(ProcessPipeline pipeline) {
        this.pipeline = pipeline;
    }

    static String ingestKey(String tenant) {
        return "ingest-key-" + tenant;
    }

    Answer send(Step.Lead lead) throws IOException {
        return ingest("/ingest/v1/leads", lead.tenant(), lead.json());
    }

    Answer send(Step.Activity activity) throws IOException {
        return ingest("/ingest/v1/activities", activity.tenant(), activity.json());
    }

    /** A salesperson's claim or release, with the command's key as {@code Idempotency-Key}. */
    Answer send(Step.Command command, String customerId) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(api("/api/v1/customers/" + customerId + "/" + command.verb()))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token(command.tenant(), command.actor(), Role.SALES))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", command.key())
                .POST(HttpRequest.BodyPublishers.ofString(command.json()))
                .build();
        return exchange(request);
    }

    /** {@code GET /api/v1/commands/{id}}: 200 with the outcome, or 202 while pending. */
    Answer outcome(String tenant, String commandId) throws IOException {
        return get(tenant, "/api/v1/commands/" + commandId);
    }

    /** The customer, or empty when the api does not serve it (yet). */
    Optional<JsonNode> customer(String tenant, String customerId) throws IOException {
        Answer answer = get(tenant, "/api/v1/customers/" + customerId);
        return answer.status() == 200 ? Optional.of(answer.body()) : Optional.empty();
    }

    /** Every customer of the tenant, page by page (200 a page). */
    List<JsonNode> customers(String tenant) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            Answer answer = get(tenant, "/api/v1/customers?size=200&page=" + page);
            require(answer, 200);
            answer.body().get("items").forEach(all::add);
            if ((long) (page + 1) * 200 >= answer.body().get("total").asLong()) {
                return all;
            }
        }
    }

    /** The pool events of a customer, oldest first. */
    List<JsonNode> history(String tenant, String customerId) throws IOException {
        Answer answer = get(tenant, "/api/v1/customers/" + customerId + "/history");
        require(answer, 200);
        List<JsonNode> events = new ArrayList<>();
        answer.body().get("poolEvents").forEach(events::add);
        return events;
    }

    /** {@code GET /api/v1/private-pools/{owner}}: the owner's customers ({@code total}) and capacity {@code used}. */
    JsonNode privatePool(String tenant, String owner) throws IOException {
        Answer answer = get(tenant, "/api/v1/private-pools/" + URLEncoder.encode(owner, StandardCharsets.UTF_8));
        require(answer, 200);
        return answer.body();
    }

    /**
     * {@code GET /api/v1/owners/{owner}/figures} (held, capacity used, claims today), where the api has that
     * endpoint: the status and body as answered ({@code 404} for an owner without figures, or an api without
     * the endpoint).
     */
    Answer ownerFigures(String tenant, String owner) throws IOException {
        return get(tenant, "/api/v1/owners/" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + "/figures");
    }

    /** The live funnel figures of one dimension (all values: the caller is an admin). */
    List<JsonNode> funnel(String tenant, String dimension) throws IOException {
        Answer answer = get(tenant, "/api/v1/funnel?dimension=" + URLEncoder.encode(dimension, StandardCharsets.UTF_8));
        require(answer, 200);
        List<JsonNode> figures = new ArrayList<>();
        answer.body().forEach(figures::add);
        return figures;
    }

    /** {@code /actuator/health} of a service: its status, or {@code DOWN} when it does not answer. */
    String health(Service service) {
        try {
            HttpRequest request = HttpRequest.newBuilder(pipeline.uri(service).resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            Answer answer = exchange(request);
            String status = answer.text("status");
            return status == null ? "DOWN" : status;
        } catch (IOException e) {
            return "DOWN";
        }
    }

    private Answer ingest(String path, String tenant, String json) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(
                        pipeline.uri(Service.INGEST).resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "ApiKey " + ingestKey(tenant))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return exchange(request);
    }

    private Answer get(String tenant, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(api(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token(tenant, "crash-admin", Role.ADMIN))
                .build();
        return exchange(request);
    }

    private URI api(String path) {
        return pipeline.uri(Service.API).resolve(path);
    }

    private String token(String tenant, String user, Role role) {
        return tokens.computeIfAbsent(
                tenant + "/" + user + "/" + role,
                key -> minter.mint(new Viewer(tenant, user, null, Set.of(role)), Duration.ofHours(2)));
    }

    private Answer exchange(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void require(Answer answer, int status) throws IOException {
        if (answer.status() != status) {
            throw new IOException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
    }
}
