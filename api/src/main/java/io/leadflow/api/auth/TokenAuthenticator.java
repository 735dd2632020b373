package io.leadflow.api.auth;

import io.leadflow.api.ApiProperties;
import io.leadflow.api.web.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Resolves the viewer from {@code Authorization: Bearer <token>} against the configured tokens (compared
 * by SHA-256). Requests without a known token get {@code 401}.
 */
@Component
public class TokenAuthenticator implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private static final String VIEWER = TokenAuthenticator.class.getName() + ".viewer";
    private static final String SCHEME = "Bearer ";

    private final Map<String, Viewer> viewersByDigest;

    public TokenAuthenticator(ApiProperties properties) {
        this.viewersByDigest = properties.tokens().stream()
                .collect(Collectors.toUnmodifiableMap(
                        token -> token.sha256().toLowerCase(Locale.ROOT),
                        token -> new Viewer(token.tenant(), token.user()),
                        (first, second) -> first));
    }

    @Override
    public reactor.core.publisher.Mono<ServerResponse> filter(
            ServerRequest request,
            org.springframework.web.reactive.function.server.HandlerFunction<ServerResponse> next) {
        return authenticate(request)
                .map(viewer -> {
                    request.attributes().put(VIEWER, viewer);
                    return next.handle(request);
                })
                .orElseGet(Problems::unauthenticated);
    }

    Optional<Viewer> authenticate(ServerRequest request) {
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.ofNullable(viewersByDigest.get(
                sha256(authorization.substring(SCHEME.length()).strip())));
    }

    /** The viewer a request was authenticated as; only valid behind this filter. */
    public static Viewer viewer(ServerRequest request) {
        return (Viewer) request.attribute(VIEWER).orElseThrow();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
