package io.leadflow.api.stream;

import static io.leadflow.api.Fixtures.aFunnelFigure;
import static io.leadflow.api.Fixtures.aPoolEvent;
import static io.leadflow.api.Fixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.PoolEventType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Live streams on a real broker and PostgreSQL: a change reaches an open stream through the projection's
 * notification (well before the 15 s heartbeat re-read), a reconnect with {@code Last-Event-ID} gets exactly
 * what it missed, and a funnel stream starts with the current figures.
 */
class LiveStreamIT {

    private static final String TENANT = "ls-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static String alice;

    @BeforeAll
    static void start() {
        TestApi.api();
        alice = TestApi.token(TENANT, "alice", "east", Role.SALES);
    }

    @Test
    void deliversAUsersPoolEventByNotificationAndResumesAfterLastEventIdWithoutGapsOrRepeats() {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        CompletableFuture<ServerSentEvent<String>> stream = TestApi.events(alice, "/api/v1/streams/my-events", null)
                .doOnNext(event -> opened.complete(null))
                .filter(event -> event.data() != null)
                .next()
                .timeout(WITHIN)
                .toFuture();
        // The opening comment comes once the stream's starting point is fixed: what is produced next is after it.
        opened.orTimeout(WITHIN.toSeconds(), TimeUnit.SECONDS).join();

        long producedAt = System.nanoTime();
        publish(aPoolEvent(TENANT, "e1", "c-1", PoolEventType.ASSIGNED)
                .setToOwner("alice")
                .build());
        ServerSentEvent<String> first = stream.join();
        Duration latency = Duration.ofNanos(System.nanoTime() - producedAt);

        assertThat(first.event()).isEqualTo("pool-event");
        assertThat(first.data()).contains("\"eventId\":\"e1\"", "\"type\":\"ASSIGNED\"");
        assertThat(latency)
                .as("delivered by notification, not by the 15 s re-read")
                .isLessThan(Duration.ofSeconds(5));

        publish(aPoolEvent(TENANT, "e2", "c-2", PoolEventType.RETURN_WARNING)
                .setToOwner("alice")
                .build());
        publish(aPoolEvent(TENANT, "e-bob", "c-3", PoolEventType.ASSIGNED)
                .setToOwner("bob")
                .build());
        publish(aPoolEvent(TENANT, "e3", "c-1", PoolEventType.RETURNED)
                .setFromOwner("alice")
                .setPoolId("public")
                .build());

        List<ServerSentEvent<String>> missed = TestApi.events(alice, "/api/v1/streams/my-events", first.id())
                .filter(event -> event.data() != null)
                .take(2)
                .collectList()
                .block(WITHIN);

        assertThat(missed)
                .extracting(ServerSentEvent::data)
                .anySatisfy(data -> assertThat(data).contains("\"eventId\":\"e2\""))
                .anySatisfy(data -> assertThat(data).contains("\"eventId\":\"e3\""))
                .noneSatisfy(data -> assertThat(data).contains("\"eventId\":\"e1\""))
                .noneSatisfy(data -> assertThat(data).contains("e-bob"));
        assertThat(missed)
                .extracting(event -> Long.parseLong(Objects.requireNonNull(event.id())))
                .isSorted()
                .allSatisfy(id -> assertThat(id).isGreaterThan(Long.parseLong(first.id())));
    }

    @Test
    void aFunnelStreamStartsWithTheCurrentFiguresOfTheDimension() {
        publish(aFunnelFigure(TENANT, FunnelDimension.TEAM, "east", 7));
        publish(aFunnelFigure(TENANT, FunnelDimension.TEAM, "west", 9));

        ServerSentEvent<String> figure = TestApi.events(alice, "/api/v1/streams/funnel?dimension=TEAM", null)
                .filter(event -> event.data() != null)
                .take(1)
                .blockLast(WITHIN);

        assertThat(figure.event()).isEqualTo("funnel");
        assertThat(figure.data()).contains("\"value\":\"east\"", "\"count\":7");
    }

    /**
     * A stream that falls more than a page behind (a starved api, a dashboard reconnecting after a while) reads
     * full pages one after the other, and the next stream, and the next change, still arrive: a full page must
     * not keep its database connection from the pool or stop the stream's wake-ups.
     */
    @Test
    void streamsThatReadManyFullPagesLeaveTheStreamAndTheConnectionPoolWorking() {
        String tenant = "lp-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestApi.token(tenant, "boss", null, Role.ADMIN);
        int figures = 2 * LiveStream.PAGE + 100;
        for (int i = 0; i < figures; i++) {
            publish(aFunnelFigure(tenant, FunnelDimension.CAMPAIGN, "campaign-" + i, i + 1));
        }
        String path = "/api/v1/streams/funnel?dimension=CAMPAIGN";
        // The figures' keys spread over the topic's partitions, so their change numbers need not follow the
        // order they were published in: resume after the highest one seen.
        long last = TestApi.events(admin, path, null)
                .filter(event -> event.data() != null)
                .take(figures)
                .map(event -> Long.parseLong(Objects.requireNonNull(event.id())))
                .reduce(Math::max)
                .block(WITHIN);

        for (int stream = 0; stream < 15; stream++) {
            long read = TestApi.events(admin, path, "0")
                    .filter(event -> event.data() != null)
                    .take(figures)
                    .count()
                    .block(WITHIN);
            assertThat(read).as("stream %d read every figure", stream).isEqualTo(figures);
        }

        CompletableFuture<ServerSentEvent<String>> next = TestApi.events(admin, path, Long.toString(last))
                .filter(event -> event.data() != null)
                .next()
                .timeout(WITHIN)
                .toFuture();
        long producedAt = System.nanoTime();
        publish(aFunnelFigure(tenant, FunnelDimension.CAMPAIGN, "campaign-new", 1));
        assertThat(next.join().data()).contains("\"value\":\"campaign-new\"");
        assertThat(Duration.ofNanos(System.nanoTime() - producedAt))
                .as("delivered by notification, not by the 15 s re-read")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusesAPoolTheCallerDoesNotBelongToAndAMalformedLastEventId() {
        assertThat(status(TestApi.events(alice, "/api/v1/streams/pools/nowhere", null)))
                .isEqualTo(404);
        assertThat(status(TestApi.events(alice, "/api/v1/streams/my-events", "abc")))
                .isEqualTo(400);
        assertThat(status(TestApi.events(alice, "/api/v1/streams/funnel?dimension=OWNER&value=bob", null)))
                .isEqualTo(403);
    }

    private static int status(reactor.core.publisher.Flux<ServerSentEvent<String>> events) {
        try {
            events.take(1).blockLast(WITHIN);
            return 200;
        } catch (WebClientResponseException e) {
            return e.getStatusCode().value();
        }
    }
}
