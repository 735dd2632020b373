package io.leadflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

class ProblemFilterTest {

    private static final MockServerRequest REQUEST = MockServerRequest.builder()
            .method(HttpMethod.POST)
            .uri(URI.create("http://localhost/api/v1/customers/c-1/claim"))
            .build();

    @Test
    void aHandlerThatNeverAnswersIsAnsweredUnavailableAtTheDeadline() {
        ProblemFilter filter = new ProblemFilter(Duration.ofMillis(200));

        ServerResponse response =
                filter.filter(REQUEST, request -> Mono.never()).block(Duration.ofSeconds(5));

        assertThat(response.statusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void aHandlerThatAnswersInTimeKeepsItsAnswer() {
        ProblemFilter filter = new ProblemFilter(Duration.ofSeconds(5));

        ServerResponse response = filter.filter(
                        REQUEST, request -> ServerResponse.accepted().build())
                .block(Duration.ofSeconds(5));

        assertThat(response.statusCode()).isEqualTo(HttpStatus.ACCEPTED);
    }

    @Test
    void aDatabaseThatCannotBeReachedIsAnsweredUnavailable() {
        ProblemFilter filter = new ProblemFilter(Duration.ofSeconds(5));
        // As the data access layer reports a refused connection, and a session the server ended (57P01).
        Throwable refused = new DataAccessResourceFailureException(
                "Failed to obtain R2DBC Connection",
                new R2dbcNonTransientResourceException("[08003] Cannot connect to localhost:5432", "08003"));
        Throwable terminated = new DataAccessResourceFailureException(
                "execute; SQL [SELECT 1]",
                new R2dbcNonTransientResourceException("terminating connection due to administrator command", "57P01"));

        for (Throwable failure : new Throwable[] {refused, terminated, new R2dbcTransientResourceException("53300")}) {
            ServerResponse response =
                    filter.filter(REQUEST, request -> Mono.error(failure)).block(Duration.ofSeconds(5));
            assertThat(response.statusCode()).as(failure.toString()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    @Test
    void anyOtherFailureIsLeftToTheServerErrorHandler() {
        ProblemFilter filter = new ProblemFilter(Duration.ofSeconds(5));

        Mono<ServerResponse> response = filter.filter(REQUEST, request -> Mono.error(new IllegalStateException("bug")));

        assertThatThrownBy(() -> response.block(Duration.ofSeconds(5))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDeadlineOutlastsEveryBoundedWaitOfACommand() {
        // Kafka's max.block.ms (10 s) or delivery.timeout.ms (15 s), then the outcome (5 s) and the projection (3 s).
        assertThat(ProblemFilter.DEADLINE).isGreaterThan(Duration.ofSeconds(15 + 5 + 3));
    }
}
