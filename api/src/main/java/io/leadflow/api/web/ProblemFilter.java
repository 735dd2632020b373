package io.leadflow.api.web;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/** Answers refused parameters and unreadable, oversized or non-JSON bodies of any handler as problem+json. */
@Component
public class ProblemFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        return Mono.defer(() -> next.handle(request))
                .onErrorResume(
                        BadParameter.class,
                        e -> e.isField()
                                ? Problems.badField(e.name(), e.getMessage())
                                : Problems.badParameter(e.name(), e.getMessage()))
                // Thrown by the body decoders: before ServerWebInputException, which does not cover them.
                .onErrorResume(
                        DataBufferLimitException.class,
                        e -> Problems.bodyTooLarge("the body is larger than the api reads: " + e.getMessage()))
                .onErrorResume(
                        UnsupportedMediaTypeStatusException.class,
                        e -> Problems.unsupportedMediaType("the body must be application/json"))
                .onErrorResume(
                        ServerWebInputException.class,
                        e -> Problems.badBody("the body cannot be read: "
                                + (e.getReason() == null ? "malformed JSON" : e.getReason())));
    }
}
