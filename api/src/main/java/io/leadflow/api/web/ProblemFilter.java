package io.leadflow.api.web;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/** Answers refused parameters and unreadable bodies of any handler as problem+json. */
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
                .onErrorResume(
                        ServerWebInputException.class,
                        e -> Problems.badBody("the body cannot be read: "
                                + (e.getReason() == null ? "malformed JSON" : e.getReason())));
    }
}
