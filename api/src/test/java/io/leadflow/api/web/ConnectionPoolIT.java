package io.leadflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.TestApi;
import io.leadflow.testsupport.SharedPostgres;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ValidationDepth;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The api's database connection pool: never a request left waiting without end. */
class ConnectionPoolIT {

    /**
     * r2dbc-postgresql (1.1.1 and 1.1.3 alike) can leave a connection stuck when a query is cancelled while its
     * rows arrive (a client gone, the other half of a {@code zip} failed): every later query on that connection
     * waits forever, and the pool thinks it idle and healthy. With the api's pool settings ({@code api.yml}) a
     * connection is checked by a query answered within a second before it is handed out, and replaced when it
     * does not answer. One connection here, so that a stuck one cannot hide behind the others.
     */
    @Test
    void aConnectionLeftStuckByACancelledQueryIsReplacedNotHandedOut() {
        Environment api = TestApi.api().getEnvironment();
        ConnectionPoolConfiguration.Builder settings = ConnectionPoolConfiguration.builder(connections())
                .initialSize(1)
                .maxSize(1)
                .maxAcquireTime(api.getRequiredProperty("spring.r2dbc.pool.max-acquire-time", Duration.class))
                .acquireRetry(api.getProperty("spring.r2dbc.pool.acquire-retry", Integer.class, 1));
        String validationQuery = api.getProperty("spring.r2dbc.pool.validation-query");
        if (validationQuery != null) {
            settings.validationQuery(validationQuery)
                    .validationDepth(
                            api.getRequiredProperty("spring.r2dbc.pool.validation-depth", ValidationDepth.class))
                    .maxValidationTime(
                            api.getRequiredProperty("spring.r2dbc.pool.max-validation-time", Duration.class));
        }
        ConnectionPool pool = new ConnectionPool(settings.build());
        try {
            DatabaseClient db = DatabaseClient.create(pool);
            Random random = new Random(20261127L);
            List<Integer> stuckAfter = new ArrayList<>();
            for (int round = 0; round < 1_000 && stuckAfter.isEmpty(); round++) {
                Duration cancelAfter = Duration.ofNanos(10_000 + random.nextInt(2_000_000));
                Mono<List<Object>> rows = db.sql("SELECT generate_series(1, 2000) AS n")
                        .map(row -> row.get(0))
                        .all()
                        .collectList();
                (random.nextBoolean()
                                ? Mono.zip(
                                        rows,
                                        Mono.error(new IllegalStateException("the other half failed"))
                                                .delaySubscription(cancelAfter))
                                : rows.timeout(cancelAfter))
                        .onErrorResume(e -> Mono.empty())
                        .block(Duration.ofSeconds(10));
                try {
                    db.sql("SELECT 1").map(row -> row.get(0)).one().block(Duration.ofSeconds(5));
                } catch (IllegalStateException e) {
                    stuckAfter.add(round);
                }
            }

            assertThat(stuckAfter)
                    .as("rounds after which a query got no answer within 5 s")
                    .isEmpty();
        } finally {
            pool.dispose();
        }
    }

    @Test
    void aQueryThatFindsNoFreeConnectionInTimeIsAnswered503() {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(connections())
                .initialSize(1)
                .maxSize(1)
                .maxAcquireTime(Duration.ofSeconds(2))
                .build());
        try {
            Connection held = Mono.from(pool.create()).block(Duration.ofSeconds(10));
            DatabaseClient db = DatabaseClient.create(pool);
            MockServerRequest request = MockServerRequest.builder()
                    .method(HttpMethod.GET)
                    .uri(URI.create("/api/v1/customers"))
                    .build();

            ServerResponse response = new ProblemFilter()
                    .filter(
                            request,
                            ignored -> db.sql("SELECT 1")
                                    .map(row -> row.get(0))
                                    .one()
                                    .flatMap(one -> ServerResponse.ok().build()))
                    .block(Duration.ofSeconds(10));

            assertThat(response.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            Mono.from(held.close()).block(Duration.ofSeconds(10));
            assertThat(db.sql("SELECT 1").map(row -> row.get(0)).one().block(Duration.ofSeconds(10)))
                    .as("the pool works again once the connection is back")
                    .isNotNull();
        } finally {
            pool.dispose();
        }
    }

    private static ConnectionFactory connections() {
        return ConnectionFactories.get(ConnectionFactoryOptions.parse(SharedPostgres.r2dbcUrl("postgres"))
                .mutate()
                .option(ConnectionFactoryOptions.USER, SharedPostgres.username())
                .option(ConnectionFactoryOptions.PASSWORD, SharedPostgres.password())
                .build());
    }
}
