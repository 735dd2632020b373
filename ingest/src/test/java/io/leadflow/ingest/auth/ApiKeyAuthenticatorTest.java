package io.leadflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.ingest.IngestProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

class ApiKeyAuthenticatorTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void acceptsARotatedKeyFromTheKeysFileWithoutRestartAndDropsTheRemovedOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys");
        Files.writeString(file, line("old-key", "acme", "crm"));
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(properties(file, List.of()), nanos::get);
        assertThat(decide(authenticator, "old-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);

        Files.writeString(file, "# rotated\n" + line("new-key", "acme", "crm"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(authenticator.reloadKeysFile()).isTrue();

        assertThat(decide(authenticator, "new-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);
        assertThat(decide(authenticator, "old-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Unauthenticated.class);
        authenticator.destroy();
    }

    @Test
    void keepsTheKeysInUseWhenTheKeysFileIsBroken(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys");
        Files.writeString(file, line("key", "acme", "crm"));
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(properties(file, List.of()), nanos::get);

        Files.writeString(file, "not a key line\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(authenticator.reloadKeysFile()).isFalse();
        assertThat(decide(authenticator, "key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);
        authenticator.destroy();
    }

    @Test
    void refusesAKeyWithoutThePermissionAndLimitsEachKeyToItsRate() {
        ApiKeyProperties leadsOnly = new ApiKeyProperties(
                ApiKeyAuthenticator.sha256("form-key"), "acme", "web-form", Set.of(Permission.LEADS), 1.0, 2);
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(properties(null, List.of(leadsOnly)), nanos::get);

        assertThat(authenticator.decide(request("form-key"), Permission.ACTIVITIES))
                .isInstanceOf(ApiKeyAuthenticator.Decision.Forbidden.class);
        assertThat(decide(authenticator, "form-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);
        assertThat(decide(authenticator, "form-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);
        assertThat(decide(authenticator, "form-key"))
                .isInstanceOfSatisfying(
                        ApiKeyAuthenticator.Decision.RateLimited.class,
                        limited -> assertThat(limited.retryAfterNanos())
                                .isEqualTo(Duration.ofSeconds(1).toNanos()));

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(decide(authenticator, "form-key")).isInstanceOf(ApiKeyAuthenticator.Decision.Allowed.class);
    }

    @Test
    void readsTheOptionsOfAKeysFileLineAndNamesTheBadLine() {
        List<ApiKeyProperties> keys = ApiKeysFile.parse(List.of(
                "# sha256 tenant source",
                ApiKeyAuthenticator.sha256("k") + " acme web-form permissions=leads,activities rate=5 burst=10"));
        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.permissions()).containsExactlyInAnyOrder(Permission.LEADS, Permission.ACTIVITIES);
            assertThat(key.ratePerSecond()).isEqualTo(5.0);
            assertThat(key.burst()).isEqualTo(10);
        });

        assertThatThrownBy(() -> ApiKeysFile.parse(List.of("", ApiKeyAuthenticator.sha256("k") + " ACME crm")))
                .hasMessageStartingWith("line 2:");
    }

    private static String line(String key, String tenant, String source) {
        return ApiKeyAuthenticator.sha256(key) + " " + tenant + " " + source + "\n";
    }

    private static ApiKeyAuthenticator.Decision decide(ApiKeyAuthenticator authenticator, String key) {
        return authenticator.decide(request(key), Permission.LEADS);
    }

    private static ServerRequest request(String key) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/ingest/v1/leads").header("X-Api-Key", key));
        return ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());
    }

    private static IngestProperties properties(Path file, List<ApiKeyProperties> keys) {
        return new IngestProperties(
                keys,
                file,
                Duration.ofHours(1),
                new IngestProperties.RateLimit(100, 100),
                Duration.ofSeconds(10),
                "CN",
                Map.of(),
                DataSize.ofKilobytes(64),
                new IngestProperties.Batch(1000, DataSize.ofMegabytes(8)),
                new IngestProperties.Stream(DataSize.ofKilobytes(64), 256, Duration.ofMillis(20), 4),
                new IngestProperties.Imports(
                        DataSize.ofGigabytes(2), 2, 10_000, 20, Duration.ofHours(24), Duration.ofSeconds(1), null),
                true);
    }
}
