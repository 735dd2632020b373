package io.leadflow.ingest.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.avro.Activity;
import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.kafka.EventPublisher;
import io.leadflow.ingest.web.Bodies;
import io.leadflow.ingest.web.FieldError;
import io.leadflow.ingest.web.IdempotencyKey;
import io.leadflow.ingest.web.IngestMetrics;
import io.leadflow.ingest.web.JsonText;
import io.leadflow.ingest.web.Problems;
import io.leadflow.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The activity endpoints: one activity, or a JSON batch whose items succeed or fail on their own. Activities
 * go to the activities topic keyed by tenant, next to the tenant's leads, and are answered only once the
 * broker acknowledged them.
 */
@Component
class ActivityHandler {

    static final String KIND = "activity";
    private static final Logger log = LoggerFactory.getLogger(ActivityHandler.class);
    // Amounts are money: read JSON numbers as decimals, never through a double.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final ActivityParser parser = new ActivityParser();
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final IngestProperties properties;
    private final Clock clock;

    ActivityHandler(EventPublisher publisher, IngestMetrics metrics, IngestProperties properties, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code POST /ingest/v1/activities}. */
    Mono<ServerResponse> submit(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        if (!isJson(contentType)) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_JSON);
        }
        Optional<IdempotencyKey> key;
        try {
            key = IdempotencyKey.of(request);
        } catch (IllegalArgumentException e) {
            return badIdempotencyKey(e);
        }
        return Bodies.read(request, properties.maxBodySize().toBytes())
                .map(ActivityHandler::readJson)
                .flatMap(body -> {
                    ActivityParser.Result result = parser.parse(
                            body,
                            caller,
                            clock.instant(),
                            () -> key.map(k -> k.id(caller.tenant(), KIND))
                                    .orElseGet(io.leadflow.ingest.lead.LeadParser::newLeadId));
                    if (!result.isValid()) {
                        metrics.refused(KIND, caller.source(), "invalid", 1);
                        return Problems.invalidFields(KIND, result.errors());
                    }
                    return publish(result.activity(), caller);
                })
                .onErrorResume(JacksonException.class, e -> Problems.unreadableBody("the body is not valid JSON"))
                .onErrorResume(Bodies.TooLarge.class, e -> Problems.payloadTooLarge(e.getMessage()));
    }

    /** {@code POST /ingest/v1/activities/batch}: a JSON array, answered with one outcome per item. */
    Mono<ServerResponse> batch(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        if (!isJson(contentType)) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_JSON);
        }
        LongFunction<String> idIfAbsent;
        try {
            idIfAbsent = IdempotencyKey.of(request)
                    .<LongFunction<String>>map(k -> position -> k.id(caller.tenant(), KIND, position))
                    .orElse(position -> io.leadflow.ingest.lead.LeadParser.newLeadId());
        } catch (IllegalArgumentException e) {
            return badIdempotencyKey(e);
        }
        int maxItems = properties.batch().maxItems();
        return Bodies.read(request, properties.batch().maxBodySize().toBytes())
                .map(ActivityHandler::readJson)
                .flatMap(body -> {
                    if (!body.isArray()) {
                        return Problems.invalidFields(
                                KIND, List.of(new FieldError("$", "a batch must be a JSON array")));
                    }
                    if (body.size() > maxItems) {
                        return Problems.payloadTooLarge(
                                "a batch holds at most " + maxItems + " activities, this one " + body.size());
                    }
                    return acceptAll(body, caller, idIfAbsent)
                            .flatMap(items -> ServerResponse.ok().bodyValue(BatchAnswer.of(items)));
                })
                .onErrorResume(JacksonException.class, e -> Problems.unreadableBody("the body is not valid JSON"))
                .onErrorResume(Bodies.TooLarge.class, e -> Problems.payloadTooLarge(e.getMessage()));
    }

    private Mono<ServerResponse> publish(Activity activity, Caller caller) {
        return publisher
                .publish(Topics.ACTIVITIES, caller.tenant(), activity)
                .then(Mono.defer(() -> {
                    metrics.accepted(KIND, caller.source(), 1);
                    return ServerResponse.status(HttpStatus.ACCEPTED)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(JsonText.accepted("activityId", activity.getActivityId(), caller.tenant()));
                }))
                .onErrorResume(e -> {
                    log.warn("activity {} not acknowledged by the broker: {}", activity.getActivityId(), e.toString());
                    metrics.refused(KIND, caller.source(), "broker-unavailable", 1);
                    return Problems.brokerUnavailable(
                            properties.produceTimeout(), KIND, "activityId", activity.getActivityId());
                });
    }

    private Mono<List<ItemOutcome>> acceptAll(JsonNode items, Caller caller, LongFunction<String> idIfAbsent) {
        Instant now = clock.instant();
        List<ActivityParser.Result> results = new ArrayList<>(items.size());
        List<Activity> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            long position = i;
            ActivityParser.Result result = parser.parse(items.get(i), caller, now, () -> idIfAbsent.apply(position));
            results.add(result);
            if (result.isValid()) {
                valid.add(result.activity());
            }
        }
        return publisher.publishAll(Topics.ACTIVITIES, caller.tenant(), valid).map(failures -> {
            List<ItemOutcome> outcomes = new ArrayList<>(results.size());
            int sent = 0;
            for (int i = 0; i < results.size(); i++) {
                ActivityParser.Result result = results.get(i);
                if (!result.isValid()) {
                    outcomes.add(new ItemOutcome(i, "refused", null, result.errors(), null));
                    continue;
                }
                Throwable failure = failures.get(sent++);
                String id = result.activity().getActivityId();
                outcomes.add(
                        failure == null
                                ? new ItemOutcome(i, "accepted", id, null, null)
                                : new ItemOutcome(
                                        i, "not-stored", id, null, "the broker did not acknowledge it: " + failure));
            }
            BatchAnswer answer = BatchAnswer.of(outcomes);
            metrics.accepted(KIND, caller.source(), answer.accepted());
            metrics.refused(KIND, caller.source(), "invalid", answer.refused());
            metrics.refused(KIND, caller.source(), "broker-unavailable", answer.notStored());
            return outcomes;
        });
    }

    private static Mono<ServerResponse> badIdempotencyKey(IllegalArgumentException e) {
        return Problems.invalidFields(KIND, List.of(new FieldError(IdempotencyKey.HEADER, e.getMessage())));
    }

    private static boolean isJson(MediaType contentType) {
        return contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType);
    }

    private static JsonNode readJson(byte[] bytes) {
        return bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
    }

    /** What became of one activity of a batch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemOutcome(int position, String status, String activityId, List<FieldError> errors, String detail) {}

    /** The answer to a batch: counts, then one outcome per item in order. */
    record BatchAnswer(int accepted, int refused, int notStored, List<ItemOutcome> items) {
        static BatchAnswer of(List<ItemOutcome> items) {
            int accepted = (int)
                    items.stream().filter(i -> i.status().equals("accepted")).count();
            int refused = (int)
                    items.stream().filter(i -> i.status().equals("refused")).count();
            return new BatchAnswer(accepted, refused, items.size() - accepted - refused, items);
        }
    }
}
