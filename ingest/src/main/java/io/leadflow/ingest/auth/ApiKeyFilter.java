package io.leadflow.ingest.auth;

import io.leadflow.ingest.web.IngestMetrics;
import io.leadflow.ingest.web.Problems;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Guards every ingest route: a known key ({@code 401}), allowed to send what the route takes ({@code 403}),
 * within its rate ({@code 429} with {@code Retry-After}). The caller it finds fixes the tenant of whatever
 * the request carries; handlers read it with {@link #caller(ServerRequest)}.
 */
@Component
public class ApiKeyFilter {

    private static final String CALLER = ApiKeyFilter.class.getName() + ".caller";

    private final ApiKeyAuthenticator authenticator;
    private final IngestMetrics metrics;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, IngestMetrics metrics) {
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    /** A filter that lets through only callers whose key grants {@code permission}. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> requiring(Permission permission) {
        return (request, next) -> {
            ApiKeyAuthenticator.Decision decision = authenticator.decide(request, permission);
            if (decision instanceof ApiKeyAuthenticator.Decision.Allowed allowed) {
                request.attributes().put(CALLER, allowed.caller());
                return next.handle(request);
            }
            if (decision instanceof ApiKeyAuthenticator.Decision.Forbidden forbidden) {
                metrics.refused(forbidden.caller().source(), "forbidden", 1);
                return Problems.forbidden(forbidden.missing().name());
            }
            if (decision instanceof ApiKeyAuthenticator.Decision.RateLimited limited) {
                metrics.refused(limited.caller().source(), "rate-limited", 1);
                return Problems.tooManyRequests(Duration.ofNanos(limited.retryAfterNanos()));
            }
            metrics.refused(null, "unauthenticated", 1);
            return Problems.unauthenticated();
        };
    }

    /** The caller the filter let through. */
    public static Caller caller(ServerRequest request) {
        return (Caller) request.attribute(CALLER).orElseThrow();
    }
}
