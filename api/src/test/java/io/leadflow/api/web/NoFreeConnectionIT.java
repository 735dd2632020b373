package io.leadflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.testsupport.SharedPostgres;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A request whose query cannot get a connection from an exhausted pool within its acquire time is answered
 * {@code 503} problem+json, never left waiting.
 */
class NoFreeConnectionIT {

    @Test
    void aQueryThatFindsNoFreeConnectionInTimeIsAnswered503() {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(
                        ConnectionFactories.get(ConnectionFactoryOptions.parse(SharedPostgres.r2dbcUrl("postgres"))
                                .mutate()
                                .option(ConnectionFactoryOptions.USER, SharedPostgres.username())
                                .option(ConnectionFactoryOptions.PASSWORD, SharedPostgres.password())
                                .build()))
                .initialSize(1)
                .maxSize(1)
                .maxAcquireTime(Duration.ofMillis(200))
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
}
