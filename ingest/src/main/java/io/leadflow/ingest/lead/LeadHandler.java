package io.leadflow.ingest.lead;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.Bodies;
import io.leadflow.ingest.web.FieldError;
import io.leadflow.ingest.web.IdempotencyKey;
import io.leadflow.ingest.web.JsonText;
import io.leadflow.ingest.web.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The lead endpoints: one lead (JSON or Avro), a JSON batch, an NDJSON stream. Each answers for a lead only
 * after the broker acknowledged it, and names the lead's id even when it was not stored, so that a retry
 * with that id is harmless.
 */
@Component
class LeadHandler {

    static final MediaType AVRO = MediaType.parseMediaType("application/avro");
    static final MediaType JSONL = MediaType.parseMediaType("application/jsonl");
    private static final Logger log = LoggerFactory.getLogger(LeadHandler.class);

    private final LeadIntake intake;
    private final IngestProperties properties;

    LeadHandler(LeadIntake intake, IngestProperties properties) {
        this.intake = intake;
        this.properties = properties;
    }

    /** {@code POST /ingest/v1/leads}: one lead, JSON or single-object encoded Avro. */
    Mono<ServerResponse> submit(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        boolean avro = contentType != null && AVRO.isCompatibleWith(contentType);
        if (!avro && !isJson(contentType)) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_JSON);
        }
        Optional<IdempotencyKey> key;
        try {
            key = IdempotencyKey.of(request);
        } catch (IllegalArgumentException e) {
            return badIdempotencyKey(e);
        }
        Supplier<String> idIfAbsent = key.<Supplier<String>>map(k -> () -> k.id(caller.tenant(), LeadIntake.KIND))
                .orElse(LeadParser::newLeadId);
        return Bodies.read(request, properties.maxBodySize().toBytes())
                .map(bytes -> avro ? LeadAvro.toJson(bytes) : readJson(bytes))
                .map(body -> intake.parse(body, caller, idIfAbsent))
                .flatMap(result -> result.isValid() ? accept(result, caller) : Problems.invalidFields(result.errors()))
                .onErrorResume(JacksonException.class, e -> Problems.unreadableBody("the body is not valid JSON"))
                .onErrorResume(
                        SerializationException.class,
                        e -> Problems.unreadableBody(
                                "the body is not a single-object encoded Avro lead: " + e.getMessage()))
                .onErrorResume(Bodies.TooLarge.class, e -> Problems.payloadTooLarge(e.getMessage()));
    }

    /** {@code POST /ingest/v1/leads/batch}: a JSON array; each item succeeds or fails on its own. */
    Mono<ServerResponse> batch(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        if (!isJson(contentType)) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_JSON);
        }
        LongFunction<String> idIfAbsent;
        try {
            idIfAbsent = idsOf(request, caller);
        } catch (IllegalArgumentException e) {
            return badIdempotencyKey(e);
        }
        int maxItems = properties.batch().maxItems();
        return Bodies.read(request, properties.batch().maxBodySize().toBytes())
                .map(LeadHandler::readJson)
                .flatMap(body -> {
                    if (!body.isArray()) {
                        return Problems.invalidFields(List.of(new FieldError("$", "a batch must be a JSON array")));
                    }
                    if (body.size() > maxItems) {
                        return Problems.payloadTooLarge(
                                "a batch holds at most " + maxItems + " leads, this one " + body.size());
                    }
                    List<LeadIntake.Item> items = new ArrayList<>(body.size());
                    for (int i = 0; i < body.size(); i++) {
                        items.add(LeadIntake.Item.json(i, body.get(i)));
                    }
                    return intake.acceptAll(items, caller, idIfAbsent)
                            .flatMap(outcomes -> ServerResponse.ok().bodyValue(BatchAnswer.of(outcomes)));
                })
                .onErrorResume(JacksonException.class, e -> Problems.unreadableBody("the body is not valid JSON"))
                .onErrorResume(Bodies.TooLarge.class, e -> Problems.payloadTooLarge(e.getMessage()));
    }

    /**
     * {@code POST /ingest/v1/leads/stream}: NDJSON of any length. Lines are read as the client sends them and
     * produced in chunks of bounded size and number, and each line's outcome is written back while the rest
     * is still coming, so memory does not grow with the stream.
     */
    Mono<ServerResponse> stream(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        if (contentType == null
                || !(MediaType.APPLICATION_NDJSON.isCompatibleWith(contentType)
                        || JSONL.isCompatibleWith(contentType))) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_NDJSON);
        }
        LongFunction<String> idIfAbsent;
        try {
            idIfAbsent = idsOf(request, caller);
        } catch (IllegalArgumentException e) {
            return badIdempotencyKey(e);
        }
        IngestProperties.Stream settings = properties.stream();
        int maxLineBytes = Math.toIntExact(settings.maxLineSize().toBytes());
        // Each chunk's outcomes go out as one piece of text: one write and flush per chunk, not per line.
        Flux<String> outcomes = NdjsonLines.split(request.body(BodyExtractors.toDataBuffers()), maxLineBytes)
                .<LeadIntake.Item>handle((line, items) -> {
                    if (line instanceof NdjsonLines.Text text) {
                        if (!text.text().isBlank()) {
                            items.next(LeadIntake.Item.text(text.number(), text.text()));
                        }
                    } else {
                        items.next(LeadIntake.Item.unreadable(
                                line.number(),
                                new FieldError(
                                        "$",
                                        "the line is " + ((NdjsonLines.TooLong) line).bytes()
                                                + " bytes long; a line may have at most " + maxLineBytes)));
                    }
                })
                .bufferTimeout(settings.chunkSize(), settings.chunkWait(), true)
                .flatMapSequential(chunk -> intake.acceptAll(chunk, caller, idIfAbsent), settings.concurrency(), 1)
                .map(LeadHandler::ndjson);
        return ServerResponse.ok().contentType(MediaType.APPLICATION_NDJSON).body(outcomes, String.class);
    }

    static String ndjson(List<LeadOutcome> chunk) {
        StringBuilder text = new StringBuilder(chunk.size() * 80);
        for (LeadOutcome outcome : chunk) {
            ndjsonLine(outcome, text);
        }
        return text.toString();
    }

    /**
     * Appends one outcome line. An accepted lead's line, nearly every line of a stream, is written as text, exactly as
     * Jackson writes it, without a generator and a string writer per line: those cost more than the rest of the
     * line's outcome, on the thread that gets the broker's acknowledgements.
     */
    static void ndjsonLine(LeadOutcome outcome, StringBuilder text) {
        if (LeadOutcome.ACCEPTED.equals(outcome.status())) {
            text.append("{\"line\":").append(outcome.position()).append(",\"status\":\"accepted\",\"leadId\":");
            JsonText.string(outcome.leadId(), text);
            text.append("}\n");
        } else {
            text.append(LeadIntake.JSON.writeValueAsString(LineOutcome.of(outcome)))
                    .append('\n');
        }
    }

    private Mono<ServerResponse> accept(LeadParser.Result result, Caller caller) {
        String leadId = result.lead().getLeadId();
        return intake.publish(result.lead(), caller)
                .flatMap(lead -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(JsonText.accepted("leadId", leadId, lead.getTenant())))
                .onErrorResume(e -> !(e instanceof Bodies.TooLarge), e -> {
                    log.warn("lead {} not acknowledged by the broker: {}", leadId, e.toString());
                    return Problems.brokerUnavailable(retryAfter(), "lead", "leadId", leadId);
                });
    }

    private Duration retryAfter() {
        return properties.produceTimeout();
    }

    private static LongFunction<String> idsOf(ServerRequest request, Caller caller) {
        return IdempotencyKey.of(request)
                .<LongFunction<String>>map(key -> position -> key.id(caller.tenant(), LeadIntake.KIND, position))
                .orElse(position -> LeadParser.newLeadId());
    }

    private static Mono<ServerResponse> badIdempotencyKey(IllegalArgumentException e) {
        return Problems.invalidFields(List.of(new FieldError(IdempotencyKey.HEADER, e.getMessage())));
    }

    static boolean isJson(MediaType contentType) {
        return contentType != null && MediaType.APPLICATION_JSON.isCompatibleWith(contentType);
    }

    static JsonNode readJson(byte[] bytes) {
        if (bytes.length == 0) {
            return LeadIntake.JSON.nullNode();
        }
        return LeadIntake.JSON.readTree(bytes);
    }

    /** The answer to a batch: counts, then one outcome per item in order. */
    record BatchAnswer(int accepted, int refused, int notStored, List<LeadOutcome> items) {
        static BatchAnswer of(List<LeadOutcome> items) {
            int accepted = 0;
            int refused = 0;
            for (LeadOutcome item : items) {
                if (LeadOutcome.ACCEPTED.equals(item.status())) {
                    accepted++;
                } else if (LeadOutcome.REFUSED.equals(item.status())) {
                    refused++;
                }
            }
            return new BatchAnswer(accepted, refused, items.size() - accepted - refused, items);
        }
    }

    /** One line of the stream's answer. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record LineOutcome(Long line, String status, String leadId, List<FieldError> errors, String detail) {
        static LineOutcome of(LeadOutcome outcome) {
            return new LineOutcome(
                    outcome.position(), outcome.status(), outcome.leadId(), outcome.errors(), outcome.detail());
        }
    }
}
