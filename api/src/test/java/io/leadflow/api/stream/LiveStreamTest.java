package io.leadflow.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * A live stream whose read of its rows never finishes (r2dbc-postgresql can leave a query unanswered on its
 * connection) must not go on sending heartbeats and nothing else: the read is abandoned after the read timeout
 * and made again from the same cursor, so the rows arrive, none skipped, none twice. Virtual time.
 */
class LiveStreamTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aReadThatNeverFinishesIsMadeAgainAndItsRowsArrive() {
        AtomicInteger reads = new AtomicInteger();
        List<Long> cursors = new CopyOnWriteArrayList<>();
        LiveStream live = new LiveStream(Flux::never, HEARTBEAT, READ_TIMEOUT, Clock.systemUTC());

        StepVerifier.withVirtualTime(() -> live.follow(
                                "acme",
                                Set.of("funnel"),
                                7,
                                after -> {
                                    cursors.add(after);
                                    return switch (reads.incrementAndGet()) {
                                        case 1 -> Flux.never();
                                        case 2 -> Flux.just(item(8), item(9));
                                        default -> Flux.empty();
                                    };
                                },
                                null)
                        .filter(event -> event.data() != null)
                        .map(ServerSentEvent::id))
                .expectSubscription()
                .expectNoEvent(READ_TIMEOUT.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("8", "9")
                .thenCancel()
                .verify(Duration.ofSeconds(10));

        assertThat(cursors).as("the read made again from the same cursor").startsWith(7L, 7L);
    }

    @Test
    void aReadThatTimesOutTwiceEndsTheStreamWithAnErrorSoTheClientReconnects() {
        LiveStream live = new LiveStream(Flux::never, HEARTBEAT, READ_TIMEOUT, Clock.systemUTC());

        StepVerifier.withVirtualTime(() -> live.follow("acme", Set.of("funnel"), 0, after -> Flux.never(), null)
                        .filter(event -> event.data() != null))
                .expectSubscription()
                .thenAwait(READ_TIMEOUT.multipliedBy(2))
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(10));
    }

    private static StreamItem item(long id) {
        return new StreamItem(id, "funnel", "{}");
    }
}
