package io.leadflow.api.web;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * Answers refused parameters, unreadable, oversized or non-JSON bodies, an exhausted database connection pool, a
 * database that cannot be reached and a handler that does not finish within {@link #DEADLINE} as problem+json.
 */
@Component
public class ProblemFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final Logger log = LoggerFactory.getLogger(ProblemFilter.class);

    /**
     * How long a handler may take to produce its response: longer than any bounded wait of the api (a command:
     * Kafka's 10 s to take it or 15 s to acknowledge it, then 5 s for its outcome, 3 s for the projection), so only
     * a handler waiting on something that will not come reaches it. It is then answered {@code 503} and logged with
     * its route, instead of keeping the client until its own timeout (a stall seen once in CI: docs/reliability.md).
     * A stream's response is produced at once; its events are not bounded by this.
     */
    static final Duration DEADLINE = Duration.ofSeconds(25);

    private final Duration deadline;

    public ProblemFilter() {
        this(DEADLINE);
    }

    ProblemFilter(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        return Mono.defer(() -> next.handle(request))
                .timeout(deadline, Mono.defer(() -> {
                    log.warn("{} {}: no response within {}", request.method(), request.path(), deadline);
                    return Problems.unavailable(
                            "the request did not finish within " + deadline.toSeconds() + " s; retry shortly");
                }))
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
                .onErrorResume(ProblemFilter::isDatabaseUnavailable, e -> {
                    log.warn("{} {}: {}", request.method(), request.path(), e.toString());
                    return Problems.unavailable(
                            "the database cannot be reached or closed the connection; retry shortly");
                })
                .onErrorResume(
                        ServerWebInputException.class,
                        e -> Problems.badBody("the body cannot be read: "
                                + (e.getReason() == null ? "malformed JSON" : e.getReason())));
    }

    /**
     * The database refused the connection or cut it (down, restarting, failing over, out of connections), however
     * the data access layer wrapped it. Nothing a request changes is in the database alone (a command's
     * idempotency row is written before the command is sent), so the client may send it again.
     */
    static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof R2dbcNonTransientResourceException
                    || cause instanceof R2dbcTransientResourceException) {
                return true;
            }
        }
        return false;
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
