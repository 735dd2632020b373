package io.leadflow.api;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.testsupport.SharedKafka;
import io.leadflow.testsupport.SharedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One api per test JVM, on the shared broker and its own database, verifying HS256 tokens with a test
 * secret; every IT uses its own tenant, so they share it safely. Clients are built per user with
 * {@link #as}.
 */
public final class TestApi {

    public static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    /**
     * The tests' own HTTP connections, instead of Reactor Netty's global pool (16 per address, shared by every
     * client in the JVM, a request waiting up to 45 s for one): a request that finds no connection fails
     * within seconds and says so, rather than waiting silently past its test's timeout.
     */
    private static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("api-it")
            .maxConnections(256)
            .pendingAcquireTimeout(Duration.ofSeconds(5))
            .build();

    private static final ReactorClientHttpConnector CONNECTOR =
            new ReactorClientHttpConnector(HttpClient.create(CONNECTIONS));

    private static ConfigurableApplicationContext api;
    private static final TokenMinter MINTER = new TokenMinter(SECRET, null, Clock.systemUTC());

    private TestApi() {}

    public static synchronized ConfigurableApplicationContext api() {
        if (api == null) {
            SharedKafka.createAllTopics();
            String database = SharedPostgres.createDatabase("api");
            api = ApiApplication.application()
                    .run(
                            "--server.port=0",
                            "--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers(),
                            "--leadflow.db.port=" + SharedPostgres.port(),
                            "--leadflow.db.name=" + database,
                            "--leadflow.db.username=" + SharedPostgres.username(),
                            "--leadflow.db.password=" + SharedPostgres.password(),
                            "--leadflow.api.projection.group-id=api-it-" + database,
                            "--leadflow.api.security.hmac-secret=" + SECRET,
                            "--leadflow.api.security.dev-tokens.enabled=true",
                            "--leadflow.api.commands.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
                            "--leadflow.api.cors.allowed-origins=https://crm.example.cn");
            Runtime.getRuntime().addShutdownHook(new Thread(api::close));
        }
        return api;
    }

    public static String baseUrl() {
        return "http://localhost:" + api().getEnvironment().getProperty("local.server.port");
    }

    public static String token(String tenant, String user, String team, Role... roles) {
        Set<Role> set = roles.length == 0 ? Set.of(Role.SALES) : EnumSet.copyOf(List.of(roles));
        return MINTER.mint(new Viewer(tenant, user, team, set), Duration.ofHours(1));
    }

    /** A client sending a token of {@code user} in {@code tenant}. */
    public static WebTestClient as(String tenant, String user, String team, Role... roles) {
        return client().defaultHeader("Authorization", "Bearer " + token(tenant, user, team, roles))
                .build();
    }

    /**
     * The events of a live stream as {@code token} reads it (comments included, with null data), resuming after
     * {@code lastEventId} when not null.
     */
    public static Flux<ServerSentEvent<String>> events(String token, String uri, String lastEventId) {
        return WebClient.builder()
                .clientConnector(CONNECTOR)
                .baseUrl(baseUrl())
                .build()
                .get()
                .uri(uri)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> {
                    headers.setBearerAuth(token);
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {});
    }

    /** A client without a token. */
    public static WebTestClient anonymous() {
        return client().build();
    }

    /** A client of the api on the tests' own connections, answers awaited up to 20 s; add headers and build. */
    public static WebTestClient.Builder client() {
        return WebTestClient.bindToServer(CONNECTOR).baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(20));
    }
}
