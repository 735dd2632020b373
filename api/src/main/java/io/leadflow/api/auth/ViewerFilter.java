package io.leadflow.api.auth;

import io.leadflow.api.web.Problems;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Turns the verified token of a request into its {@link Viewer}, so handlers read it synchronously with
 * {@link #viewer(ServerRequest)}. Spring Security has already refused requests without a valid token; a
 * valid token without a tenant or user is refused here with {@code 403}.
 */
@Component
public class ViewerFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final String VIEWER = ViewerFilter.class.getName() + ".viewer";

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        return request.principal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> Claims.viewer(((JwtAuthenticationToken) principal).getToken()))
                .flatMap(viewer -> viewer.map(found -> {
                            request.attributes().put(VIEWER, found);
                            return next.handle(request);
                        })
                        .orElseGet(() -> Problems.forbidden("the token names no valid tenant and user")))
                .switchIfEmpty(Mono.defer(Problems::unauthenticated));
    }

    /** The viewer a request was authenticated as; only valid behind this filter. */
    public static Viewer viewer(ServerRequest request) {
        return (Viewer) request.attribute(VIEWER).orElseThrow();
    }
}
