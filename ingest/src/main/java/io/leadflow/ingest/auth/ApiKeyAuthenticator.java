package io.leadflow.ingest.auth;

import io.leadflow.ingest.IngestProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Resolves the calling upstream system from its API key, sent as {@code Authorization: ApiKey <key>} or
 * {@code X-Api-Key: <key>}, and keeps each key to its rate. Keys are compared by their SHA-256 digest, so
 * the configuration never holds a usable key. Keys come from {@code leadflow.ingest.api-keys} and from
 * the optional keys file, which is re-read when it changes; a file that cannot be read leaves the keys as
 * they were rather than locking every upstream system out.
 */
@Component
public class ApiKeyAuthenticator implements DisposableBean {

    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String SCHEME = "ApiKey ";
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

    /** Who called, and whether they may: the answer to one request's key. */
    public sealed interface Decision {
        record Allowed(Caller caller) implements Decision {}

        record Unauthenticated() implements Decision {}

        record Forbidden(Caller caller, Permission missing) implements Decision {}

        record RateLimited(Caller caller, long retryAfterNanos) implements Decision {}
    }

    private record ApiKey(Caller caller, Set<Permission> permissions, double perSecond, int burst) {}

    private final IngestProperties properties;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService fileWatcher;
    private volatile Map<String, ApiKey> keysByDigest;
    private FileTime fileModifiedAt;
    private long fileSize = -1;

    @Autowired
    public ApiKeyAuthenticator(IngestProperties properties) {
        this(properties, System::nanoTime);
    }

    ApiKeyAuthenticator(IngestProperties properties, LongSupplier nanoClock) {
        this.properties = properties;
        this.nanoClock = nanoClock;
        this.keysByDigest = index(properties.apiKeys());
        Path file = properties.apiKeysFile();
        if (file == null) {
            fileWatcher = null;
        } else {
            reloadKeysFile();
            fileWatcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "api-keys-file");
                thread.setDaemon(true);
                return thread;
            });
            long period = properties.apiKeysFilePoll().toMillis();
            fileWatcher.scheduleWithFixedDelay(this::reloadKeysFileQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Authenticates the request and checks that its key may do {@code needed} and is within its rate. */
    public Decision decide(ServerRequest request, Permission needed) {
        Optional<String> digest = presentedKey(request).map(ApiKeyAuthenticator::sha256);
        ApiKey key = digest.map(keysByDigest::get).orElse(null);
        if (key == null) {
            return new Decision.Unauthenticated();
        }
        if (!key.permissions().isEmpty() && !key.permissions().contains(needed)) {
            return new Decision.Forbidden(key.caller(), needed);
        }
        TokenBucket bucket = buckets.compute(
                digest.get(),
                (d, existing) -> existing != null && existing.hasLimit(key.perSecond(), key.burst())
                        ? existing
                        : new TokenBucket(key.perSecond(), key.burst(), nanoClock.getAsLong()));
        long wait = bucket.tryTake(nanoClock.getAsLong());
        return wait == 0 ? new Decision.Allowed(key.caller()) : new Decision.RateLimited(key.caller(), wait);
    }

    /** Re-reads the keys file if it changed since the last look; returns whether the keys were replaced. */
    synchronized boolean reloadKeysFile() {
        Path file = properties.apiKeysFile();
        try {
            if (!Files.exists(file)) {
                if (fileSize != -1 || fileModifiedAt == null) {
                    log.warn("API keys file {} does not exist; using the configured keys only", file);
                    fileSize = -1;
                    fileModifiedAt = FileTime.fromMillis(0);
                    keysByDigest = index(properties.apiKeys());
                    return true;
                }
                return false;
            }
            FileTime modifiedAt = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modifiedAt.equals(fileModifiedAt) && size == fileSize) {
                return false;
            }
            List<ApiKeyProperties> fromFile = ApiKeysFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            List<ApiKeyProperties> all = new ArrayList<>(properties.apiKeys());
            all.addAll(fromFile);
            keysByDigest = index(all);
            fileModifiedAt = modifiedAt;
            fileSize = size;
            log.info("API keys file {} read: {} keys, {} in all", file, fromFile.size(), keysByDigest.size());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            log.warn(
                    "API keys file {} not read, keeping the {} keys in use: {}",
                    file,
                    keysByDigest.size(),
                    e.getMessage());
            return false;
        }
    }

    private void reloadKeysFileQuietly() {
        try {
            reloadKeysFile();
        } catch (RuntimeException e) {
            log.warn("API keys file check failed", e);
        }
    }

    private Map<String, ApiKey> index(List<ApiKeyProperties> keys) {
        Map<String, ApiKey> index = new LinkedHashMap<>();
        for (ApiKeyProperties key : keys) {
            double perSecond = Objects.requireNonNullElse(
                    key.ratePerSecond(), properties.rateLimit().perSecond());
            int burst = Objects.requireNonNullElse(
                    key.burst(), properties.rateLimit().burst());
            index.putIfAbsent(
                    key.sha256().toLowerCase(Locale.ROOT),
                    new ApiKey(new Caller(key.tenant(), key.source()), key.permissions(), perSecond, burst));
        }
        return Map.copyOf(index);
    }

    @Override
    public void destroy() {
        if (fileWatcher != null) {
            fileWatcher.shutdownNow();
        }
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
