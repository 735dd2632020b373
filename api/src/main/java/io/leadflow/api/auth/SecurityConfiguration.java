package io.leadflow.api.auth;

import io.leadflow.api.ApiProperties;
import io.leadflow.api.web.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api is an OAuth2 resource server: every endpoint but health, the OpenAPI document (with Swagger UI),
 * the dashboard's static files and, when enabled, the dev token endpoint needs a valid JWT. A browser's
 * {@code EventSource} cannot send an {@code Authorization} header, so the live streams (and only they) also
 * take the token as {@code ?access_token=} (RFC 6750 §2.3). Tokens are verified against the identity
 * provider's JWK set, or, in standalone, an HS256 secret. Refusals are problem+json. CORS is closed unless
 * origins are configured.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    static final String[] OPEN_PATHS = {
        "/actuator/health",
        "/actuator/health/**",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/swagger-ui.html",
        "/swagger-ui/**",
        "/webjars/**",
        // The dashboard: static files only; everything it shows comes from /api/v1 with a token.
        "/",
        "/index.html",
        "/favicon.ico",
        "/dashboard/**"
    };

    /** The only paths that accept the bearer token as the {@code access_token} query parameter. */
    static final String STREAM_PATHS = "/api/v1/streams/**";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(
            ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder, ApiProperties properties, JsonMapper json) {
        boolean devTokens = properties.security().devTokens().enabled();
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                // Stateless: the default request cache asks every request for its web session, and the
                // in-memory session store creates one on Reactor's shared boundedElastic scheduler. When that
                // scheduler's threads were all busy (blocking work elsewhere in the JVM), requests queued
                // behind them and some never answered.
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(OPEN_PATHS).permitAll();
                    if (devTokens) {
                        exchanges
                                .pathMatchers(HttpMethod.POST, DevTokenRouter.PATH)
                                .permitAll();
                    }
                    exchanges.anyExchange().authenticated();
                })
                .oauth2ResourceServer(server -> server.bearerTokenConverter(streamsAcceptQueryToken())
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder))
                        .authenticationEntryPoint((exchange, e) -> writeProblem(
                                exchange.getResponse(),
                                json,
                                HttpStatus.UNAUTHORIZED,
                                "unauthenticated",
                                "Missing or invalid token",
                                "send 'Authorization: Bearer <JWT>'"))
                        .accessDeniedHandler((exchange, e) -> writeProblem(
                                exchange.getResponse(),
                                json,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "Forbidden",
                                "not allowed")))
                .exceptionHandling(handling -> handling.authenticationEntryPoint((exchange, e) -> writeProblem(
                        exchange.getResponse(),
                        json,
                        HttpStatus.UNAUTHORIZED,
                        "unauthenticated",
                        "Missing or invalid token",
                        "send 'Authorization: Bearer <JWT>'")));
        if (properties.cors().allowedOrigins().isEmpty()) {
            http.cors(ServerHttpSecurity.CorsSpec::disable);
        } else {
            http.cors(cors -> cors.configurationSource(corsSource(properties.cors())));
        }
        return http.build();
    }

    /**
     * Reads the bearer token from the {@code Authorization} header everywhere, and on a GET of a live stream
     * also from {@code ?access_token=}. Other paths ignore a query token (it would end up in access logs and
     * browser history for no reason), so it does not authenticate them; a header and a query token together
     * are refused.
     */
    static ServerAuthenticationConverter streamsAcceptQueryToken() {
        ServerBearerTokenAuthenticationConverter headerOnly = new ServerBearerTokenAuthenticationConverter();
        ServerBearerTokenAuthenticationConverter headerOrQuery = new ServerBearerTokenAuthenticationConverter();
        headerOrQuery.setAllowUriQueryParameter(true);
        ServerWebExchangeMatcher streams = ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, STREAM_PATHS);
        return exchange -> streams.matches(exchange)
                .flatMap(match -> match.isMatch() ? headerOrQuery.convert(exchange) : headerOnly.convert(exchange));
    }

    /**
     * Requests the firewall refuses (encoded slashes, percent signs, NUL or line breaks in the path, {@code ..})
     * get a problem like every other {@code 400}, not an empty answer.
     */
    @Bean
    ServerExchangeRejectedHandler exchangeRejectedHandler(JsonMapper json) {
        return (exchange, e) -> writeProblem(
                exchange.getResponse(),
                json,
                HttpStatus.BAD_REQUEST,
                "invalid-path",
                "Invalid path",
                "the request path is refused: " + e.getMessage());
    }

    /**
     * Spring Security's own observations are off: they open and close an observation around each of its filters on
     * every request, work a profile of the reads showed on every request (docs/benchmarks.md, issue 7). Request
     * metrics ({@code http.server.requests}) stay.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(ApiProperties properties) {
        ApiProperties.Security security = properties.security();
        boolean jwks = security.jwkSetUri() != null && !security.jwkSetUri().isBlank();
        boolean hmac = security.hmacSecret() != null && !security.hmacSecret().isBlank();
        if (jwks == hmac) {
            throw new IllegalStateException(
                    "Set exactly one of leadflow.api.security.jwk-set-uri (identity provider) and"
                            + " leadflow.api.security.hmac-secret (standalone)");
        }
        NimbusReactiveJwtDecoder decoder = jwks
                ? NimbusReactiveJwtDecoder.withJwkSetUri(security.jwkSetUri()).build()
                : NimbusReactiveJwtDecoder.withSecretKey(TokenMinter.secretKey(security.hmacSecret()))
                        .macAlgorithm(MacAlgorithm.HS256)
                        .build();
        OAuth2TokenValidator<Jwt> validator =
                security.issuer() == null || security.issuer().isBlank()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(security.issuer());
        decoder.setJwtValidator(validator);
        return new VerifiedTokens(decoder, validator, Clock.systemUTC());
    }

    private static UrlBasedCorsConfigurationSource corsSource(ApiProperties.Cors settings) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(settings.allowedOrigins());
        cors.addAllowedMethod("*");
        cors.addAllowedHeader("*");
        cors.addExposedHeader(HttpHeaders.LOCATION);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    private static Mono<Void> writeProblem(
            ServerHttpResponse response, JsonMapper json, HttpStatus status, String type, String title, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        byte[] body = json.writeValueAsString(Problems.body(status, type, title, detail))
                .getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}
