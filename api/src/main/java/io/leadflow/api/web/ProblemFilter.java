package io.leadflow.api.web;

import io.r2dbc.spi.R2dbcTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * Answers refused parameters, unreadable, oversized or non-JSON bodies and an exhausted database connection pool
 * of any handler as problem+json.
 */
@Component
public class ProblemFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final Logger log = LoggerFactory.getLogger(ProblemFilter.class);

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
                .onErrorResume(ProblemFilter::isNoConnection, e -> {
                    log.warn("{} {}: {}", request.method(), request.path(), e.toString());
                    return Problems.unavailable("no database connection was free in time; retry shortly");
                })
                .onErrorResume(
                        ServerWebInputException.class,
                        e -> Problems.badBody("the body cannot be read: "
                                + (e.getReason() == null ? "malformed JSON" : e.getReason())));
    }

    /** The connection pool's {@code max-acquire-time} ran out, however the data access layer wrapped it. */
    static boolean isNoConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof R2dbcTimeoutException
                    && String.valueOf(cause.getMessage()).startsWith("Connection acquisition timed out")) {
                return true;
            }
        }
        return false;
    }
}
