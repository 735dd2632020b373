package io.leadflow.ingest.auth;

import io.leadflow.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Resolves the calling upstream system from its API key, sent as {@code Authorization: ApiKey <key>} or
 * {@code X-Api-Key: <key>}. Keys are compared by their SHA-256 digest, so the configuration never holds a
 * usable key.
 */
@Component
public class ApiKeyAuthenticator {

    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String SCHEME = "ApiKey ";

    private final Map<String, Caller> callersByDigest;

    public ApiKeyAuthenticator(IngestProperties properties) {
        this.callersByDigest = properties.apiKeys().stream()
                .collect(Collectors.toUnmodifiableMap(
                        key -> key.sha256().toLowerCase(java.util.Locale.ROOT),
                        key -> new Caller(key.tenant(), key.source()),
                        (first, second) -> first));
    }

    public Optional<Caller> authenticate(ServerRequest request) {
        return presentedKey(request).map(ApiKeyAuthenticator::sha256).map(callersByDigest::get);
    }

    private static Optional<String> presentedKey(ServerRequest request) {
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return nonBlank(authorization.substring(SCHEME.length()));
        }
        return Optional.ofNullable(request.headers().firstHeader(API_KEY_HEADER))
                .flatMap(ApiKeyAuthenticator::nonBlank);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.of(value.strip()).filter(Predicate.not(String::isEmpty));
    }

    /** Lower-case hex SHA-256 of a key: the form keys are configured in. */
    public static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
