package io.leadflow.ingest.lead;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.Problems;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Accepts one lead: validate, publish, and answer {@code 202} only once the broker holds it. */
@Component
class LeadHandler {

    private static final Logger log = LoggerFactory.getLogger(LeadHandler.class);

    private final LeadParser parser = new LeadParser();
    private final LeadPublisher publisher;
    private final IngestProperties properties;
    private final Clock clock;

    LeadHandler(LeadPublisher publisher, IngestProperties properties, Clock clock) {
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<ServerResponse> submit(ServerRequest request) {
        Caller caller = LeadRouter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
            return Problems.unsupportedMediaType(contentType, MediaType.APPLICATION_JSON);
        }
        return request.bodyToMono(JsonNode.class)
                .map(body -> parser.parse(body, caller, clock.instant()))
                .switchIfEmpty(Mono.fromSupplier(() -> parser.parse(null, caller, clock.instant())))
                .flatMap(result -> result.isValid() ? accept(result) : Problems.invalidFields(result.errors()))
                .onErrorResume(LeadHandler::isUnreadable, e -> Problems.unreadableBody("the body is not valid JSON"));
    }

    private Mono<ServerResponse> accept(LeadParser.Result result) {
        return publisher
                .publish(result.lead())
                .flatMap(lead -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .bodyValue(Map.of("leadId", lead.getLeadId(), "tenant", lead.getTenant())))
                .onErrorResume(e -> !isUnreadable(e), e -> {
                    log.warn(
                            "lead {} not acknowledged by the broker: {}",
                            result.lead().getLeadId(),
                            e.toString());
                    return Problems.brokerUnavailable(properties.produceTimeout());
                });
    }

    private static boolean isUnreadable(Throwable e) {
        return e instanceof DecodingException || e instanceof ServerWebInputException;
    }
}
