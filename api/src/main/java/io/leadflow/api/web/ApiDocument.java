package io.leadflow.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RouterFunction;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) of the functional routes:
 * one operation per endpoint of the {@link RouteTable}, described from {@link #DOCS}. An endpoint without an
 * entry there still appears, marked undocumented, and the api's tests fail on it.
 */
@Component
class ApiDocument implements OpenApiCustomizer {

    static final String UNDOCUMENTED = "UNDOCUMENTED";
    private static final String BEARER = "bearer-jwt";
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");

    /** What an endpoint does; {@code query} are its query parameters, {@code body} an example request body. */
    /** @param idempotent whether the endpoint takes an {@code Idempotency-Key} header */
    private record Doc(
            String tag,
            String summary,
            boolean stream,
            boolean open,
            List<String> query,
            String body,
            boolean idempotent) {}

    private static final List<String> PAGING = List.of("page", "size");

    private static final Map<String, Doc> DOCS = Map.ofEntries(
            json(
                    "GET /api/v1/customers",
                    "customers",
                    "Customers the caller may see, newest change first",
                    cat(
                            List.of(
                                    "q",
                                    "owner",
                                    "team",
                                    "pool",
                                    "stage",
                                    "level",
                                    "source",
                                    "campaign",
                                    "returnsWithinDays",
                                    "count"),
                            PAGING)),
            json("GET /api/v1/customers/{id}", "customers", "A customer (404 when the caller may not see it)"),
            json("GET /api/v1/customers/{id}/history", "customers", "A customer's pool events, oldest first"),
            json("GET /api/v1/pools", "pools", "The public pools the caller may see, with customer counts"),
            json("GET /api/v1/pools/{poolId}/customers", "pools", "The customers of a public pool", PAGING),
            json(
                    "GET /api/v1/private-pool",
                    "pools",
                    "The caller's private pool: capacity, used, figures, days left",
                    PAGING),
            json(
                    "GET /api/v1/private-pools/{owner}",
                    "pools",
                    "Another owner's private pool (managers: their team's customers; admins)",
                    PAGING),
            json(
                    "GET /api/v1/owners/{user}/figures",
                    "pools",
                    "An owner's figures: held, counting against capacity, capacity, claims today, daily limit"
                            + " (a salesperson their own; managers, admins any owner's)"),
            body(
                    "POST /api/v1/duplicate-checks",
                    "duplicates",
                    "查重: does this customer exist, and who holds it? Contacts masked unless visible",
                    "{\"name\":\"上海星云科技有限公司\",\"phone\":\"021-6000 0000\",\"email\":\"wang.wei@example.cn\","
                            + "\"creditCode\":\"91310000MA1FL0000N\",\"website\":\"www.example.cn\"}"),
            json(
                    "GET /api/v1/identity-events",
                    "duplicates",
                    "Collisions, possible duplicates, merge suggestions and merges concerning the caller",
                    cat(List.of("type"), PAGING)),
            json("GET /api/v1/merge-suggestions", "duplicates", "Open merge suggestions", PAGING),
            json("GET /api/v1/funnel", "funnel", "Live funnel figures of a dimension", List.of("dimension", "value")),
            json(
                    "GET /api/v1/funnel/cohorts",
                    "funnel",
                    "Cohort figures by day, week or month of lead arrival",
                    List.of("dimension", "value", "grain", "from", "to")),
            command("claim", "Claim a public-pool customer (领取)", null),
            command("release", "Give a customer back to the public pool (放弃)", "{\"reason\":\"not interested\"}"),
            command(
                    "assign",
                    "Give a customer to an owner (分配; managers, admins)",
                    "{\"toOwner\":\"bob\",\"force\":false}"),
            command(
                    "transfer",
                    "Move a customer between owners (转移; managers, admins)",
                    "{\"fromOwner\":\"alice\",\"toOwner\":\"bob\",\"force\":false}"),
            command("lock", "Lock a customer against automatic return", "{\"reason\":\"key account\"}"),
            command("unlock", "Unlock a customer", null),
            body(
                    "POST /api/v1/customers/{id}/follow-ups",
                    "commands",
                    "Record a follow-up (跟进) on a customer the caller holds: 202 once Kafka has it",
                    "{\"type\":\"CALL\",\"note\":\"asked for a quote\",\"occurredAt\":\"2026-11-27T08:00:00Z\"}"),
            Map.entry(
                    "POST /api/v1/merges",
                    new Doc(
                            "commands",
                            "Merge two customers (managers, admins): 200, 404/409/422 refusal, or 202 with a URL",
                            false,
                            false,
                            List.of(),
                            "{\"survivorId\":\"c-1\",\"mergedId\":\"c-2\"}",
                            true)),
            json("GET /api/v1/commands/{commandId}", "commands", "A command's outcome (200), or 202 while pending"),
            json("GET /api/v1/tenant-rules", "rules", "The tenant's pool rules, pools and funnel stages"),
            body(
                    "PUT /api/v1/tenant-rules",
                    "rules",
                    "Publish the next version of the tenant's rules (admins)",
                    "{\"pools\":[{\"poolId\":\"public\",\"name\":\"Public pool\",\"isDefault\":true}],"
                            + "\"defaults\":{\"followUpDays\":15,\"privatePoolCapacity\":200},\"stages\":[]}"),
            stream(
                    "GET /api/v1/streams/funnel",
                    "Live funnel figures of a dimension; without Last-Event-ID it starts with the current ones",
                    List.of("dimension", "value", "lastEventId")),
            stream(
                    "GET /api/v1/streams/my-events",
                    "The caller's pool events (assigned, returned, return warnings, …) and collisions",
                    List.of("lastEventId")),
            stream(
                    "GET /api/v1/streams/pools/{poolId}",
                    "Events of a public pool the caller belongs to",
                    List.of("lastEventId")),
            Map.entry(
                    "POST /api/v1/dev/tokens",
                    new Doc(
                            "development",
                            "Mint a token for tenant demo (only with dev-tokens enabled; never in production)",
                            false,
                            true,
                            List.of(),
                            "{\"user\":\"alice\",\"team\":\"east\",\"roles\":[\"sales\"]}",
                            false)));

    private final ObjectProvider<RouterFunction<?>> routers;

    ApiDocument(ObjectProvider<RouterFunction<?>> routers) {
        this.routers = routers;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.info(new Info()
                        .title("LeadFlow api")
                        .version("v1")
                        .description("Customers, pools, 查重, funnel and pool commands of one tenant (from the token)."
                                + " Errors are application/problem+json (RFC 9457)."))
                .components((openApi.getComponents() == null ? new Components() : openApi.getComponents())
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("claims tenant, user, team, roles (sales, manager, admin)")));
        for (RouteTable.Route route : RouteTable.of(routers.orderedStream().toList())) {
            if (!route.path().startsWith("/api/")) {
                continue;
            }
            PathItem item =
                    openApi.getPaths() == null ? null : openApi.getPaths().get(route.path());
            if (item == null) {
                item = new PathItem();
                openApi.path(route.path(), item);
            }
            item.operation(PathItem.HttpMethod.valueOf(route.method().name()), operation(route));
        }
    }

    private static Operation operation(RouteTable.Route route) {
        Doc doc = DOCS.getOrDefault(
                route.toString(), new Doc("other", UNDOCUMENTED, false, false, List.of(), null, false));
        Operation operation = new Operation()
                .operationId(operationId(route))
                .summary(doc.summary())
                .addTagsItem(doc.tag());
        Matcher variables = PATH_VARIABLE.matcher(route.path());
        while (variables.find()) {
            operation.addParametersItem(new Parameter()
                    .in("path")
                    .name(variables.group(1))
                    .required(true)
                    .schema(new StringSchema()));
        }
        for (String name : doc.query()) {
            operation.addParametersItem(new Parameter().in("query").name(name).schema(new StringSchema()));
        }
        if (doc.stream()) {
            operation.addParametersItem(new Parameter()
                    .in("header")
                    .name("Last-Event-ID")
                    .description("resume after this event id (a change number of the tenant)")
                    .schema(new StringSchema()));
        }
        if (doc.idempotent()) {
            operation.addParametersItem(new Parameter()
                    .in("header")
                    .name("Idempotency-Key")
                    .description("a key of the client's choosing (e.g. a UUID), 1 to 255 printable ASCII characters:"
                            + " a retry with the same key answers the first outcome and is never applied twice;"
                            + " the same key with a different request is 422 idempotency-key-reused; kept as long"
                            + " as command outcomes (7 days by default)")
                    .schema(new StringSchema()));
        }
        if (doc.body() != null) {
            operation.requestBody(new RequestBody()
                    .content(new Content().addMediaType(JSON, new MediaType().example(doc.body()))));
        }
        ApiResponses responses = new ApiResponses()
                .addApiResponse(
                        "200",
                        new ApiResponse()
                                .description(doc.stream() ? "Server-Sent Events; a comment every 15 s" : "OK")
                                .content(new Content()
                                        .addMediaType(
                                                doc.stream() ? EVENT_STREAM : JSON,
                                                new MediaType().schema(new Schema<>()))));
        Stream.of("400", "401", "403", "404", "409", "422", "503")
                .forEach(status -> responses.addApiResponse(
                        status,
                        new ApiResponse()
                                .description("problem+json")
                                .content(new Content().addMediaType("application/problem+json", new MediaType()))));
        operation.responses(responses);
        if (!doc.open()) {
            operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
        }
        return operation;
    }

    private static String operationId(RouteTable.Route route) {
        return route.method().name().toLowerCase(java.util.Locale.ROOT)
                + Stream.of(route.path().replace("/api/v1/", "").split("[/{}-]+"))
                        .filter(part -> !part.isEmpty())
                        .map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                        .collect(Collectors.joining());
    }

    private static List<String> cat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static Map.Entry<String, Doc> json(String route, String tag, String summary) {
        return json(route, tag, summary, List.of());
    }

    private static Map.Entry<String, Doc> json(String route, String tag, String summary, List<String> query) {
        return Map.entry(route, new Doc(tag, summary, false, false, query, null, false));
    }

    private static Map.Entry<String, Doc> body(String route, String tag, String summary, String body) {
        return Map.entry(route, new Doc(tag, summary, false, false, List.of(), body, false));
    }

    private static Map.Entry<String, Doc> command(String verb, String summary, String body) {
        return Map.entry(
                "POST /api/v1/customers/{id}/" + verb,
                new Doc(
                        "commands",
                        summary + ": 200 with the new state, 404/409/422 refusal, or 202 with a URL to poll",
                        false,
                        false,
                        List.of(),
                        body,
                        true));
    }

    private static Map.Entry<String, Doc> stream(String route, String summary, List<String> query) {
        return Map.entry(route, new Doc("streams", summary, true, false, query, null, false));
    }
}
