package io.leadflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
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
    void theDeadlineOutlastsEveryBoundedWaitOfACommand() {
        // Kafka's max.block.ms (10 s) or delivery.timeout.ms (15 s), then the outcome (5 s) and the projection (3 s).
        assertThat(ProblemFilter.DEADLINE).isGreaterThan(Duration.ofSeconds(15 + 5 + 3));
    }
}
