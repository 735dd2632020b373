package io.leadflow.api.auth;

import io.leadflow.api.ApiProperties;
import io.leadflow.api.web.Problems;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Development only ({@code leadflow.api.security.dev-tokens.enabled=true}, off by default): mints HS256
 * tokens for the one configured tenant ({@code demo}), so standalone can be tried without an identity
 * provider. Needs {@code leadflow.api.security.hmac-secret}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "leadflow.api.security.dev-tokens", name = "enabled", havingValue = "true")
class DevTokenRouter {

    static final String PATH = "/api/v1/dev/tokens";

    /** What to mint: a user, an optional team and roles (default {@code sales}). */
    record TokenRequest(String user, String team, List<String> roles) {}

    /** A minted token. */
    record TokenResponse(String token, String tenant, String user, Instant expiresAt) {}

    @Bean
    RouterFunction<ServerResponse> devTokenRoutes(ApiProperties properties) {
        ApiProperties.Security security = properties.security();
        if (security.hmacSecret() == null || security.hmacSecret().isBlank()) {
            throw new IllegalStateException(
                    "leadflow.api.security.dev-tokens.enabled needs leadflow.api.security.hmac-secret");
        }
        Clock clock = Clock.systemUTC();
        TokenMinter minter = new TokenMinter(security.hmacSecret(), security.issuer(), clock);
        ApiProperties.DevTokens settings = security.devTokens();
        return RouterFunctions.route()
                .POST(PATH, request -> mint(request, minter, settings, clock))
                .build();
    }

    private static Mono<ServerResponse> mint(
            ServerRequest request, TokenMinter minter, ApiProperties.DevTokens settings, Clock clock) {
        return request.bodyToMono(TokenRequest.class)
                .defaultIfEmpty(new TokenRequest(null, null, null))
                .flatMap(body -> {
                    if (body.user() == null || body.user().isBlank()) {
                        return Problems.badField("user", "is required");
                    }
                    Set<Role> roles = EnumSet.noneOf(Role.class);
                    for (String role : body.roles() == null ? List.of("sales") : body.roles()) {
                        if (Role.of(role).isEmpty()) {
                            return Problems.badField("roles", "must be sales, manager or admin");
                        }
                        roles.add(Role.of(role).orElseThrow());
                    }
                    Viewer viewer = new Viewer(settings.tenant(), body.user().strip(), body.team(), roles);
                    return ServerResponse.ok()
                            .bodyValue(new TokenResponse(
                                    minter.mint(viewer, settings.ttl()),
                                    viewer.tenant(),
                                    viewer.user(),
                                    clock.instant().plus(settings.ttl())));
                })
                .onErrorResume(
                        org.springframework.web.server.ServerWebInputException.class,
                        e -> Problems.badBody("the body must be JSON {user, team, roles}"));
    }
}
