package io.leadflow.api.stream;

import io.leadflow.api.ApiProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns "rows of a tenant after change number N" into a Server-Sent Event stream: it reads once at the start,
 * again whenever the {@link ChangeListener} reports a change of the tenant in one of the followed read models,
 * and again at every heartbeat (a safety net for a lost notification). Each event's id is the row's change
 * number, so a client that reconnects with {@code Last-Event-ID} gets exactly the rows after the last one it
 * saw. Notifications that arrive while a read runs are folded into one more read, and a read that does not
 * finish within {@code leadflow.api.streams.read-timeout} is made again ({@code LiveStreamTest}). A heartbeat
 * comment keeps proxies from closing an idle stream; the stream ends when the caller's token expires.
 */
@Component
class LiveStream {

    /** Most rows one read returns; a full page is followed at once by the next. */
    static final int PAGE = 500;

    private final Supplier<Flux<ChangeListener.Signal>> signals;
    private final Duration heartbeat;
    private final Duration readTimeout;
    private final Clock clock;

    @Autowired
    LiveStream(ChangeListener listener, ApiProperties properties) {
        this(
                listener::signals,
                properties.streams().heartbeat(),
                properties.streams().readTimeout(),
                Clock.systemUTC());
    }

    LiveStream(Supplier<Flux<ChangeListener.Signal>> signals, Duration heartbeat, Duration readTimeout, Clock clock) {
        this.signals = signals;
        this.heartbeat = heartbeat;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    /**
     * @param tenant whose changes wake the stream
     * @param streams which read models' changes wake it ({@link io.leadflow.api.projection.Change} names)
     * @param after the change number to continue after
     * @param rowsAfter the rows after a change number, oldest first, at most {@link #PAGE}
     * @param expiresAt when the caller's token expires (the stream ends then), or null
     */
    Flux<ServerSentEvent<Object>> follow(
            String tenant,
            Set<String> streams,
            long after,
            LongFunction<Flux<StreamItem>> rowsAfter,
            Instant expiresAt) {
        AtomicLong cursor = new AtomicLong(after);
        Flux<Object> wakeUps = Flux.merge(
                Flux.just("start"),
                signals.get().filter(signal -> signal.concerns(tenant, streams)),
                Flux.interval(heartbeat));
        Flux<ServerSentEvent<Object>> rows = wakeUps.onBackpressureLatest()
                .concatMap(wakeUp -> drain(cursor, rowsAfter, readTimeout), 0)
                .map(LiveStream::event);
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(heartbeat, heartbeat)
                .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
        Flux<ServerSentEvent<Object>> stream = Flux.merge(
                Flux.just(ServerSentEvent.builder()
                        .comment("stream of " + String.join(",", streams) + " after " + after)
                        .retry(Duration.ofSeconds(3))
                        .build()),
                rows,
                heartbeats);
        if (expiresAt == null) {
            return stream;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Flux.empty() : stream.take(left);
    }

    /** Every row after the cursor, page by page, moving the cursor past each page. */
    private static Flux<StreamItem> drain(
            AtomicLong cursor, LongFunction<Flux<StreamItem>> rowsAfter, Duration readTimeout) {
        return page(cursor, rowsAfter, readTimeout)
                .expand(items -> items.size() < PAGE ? Mono.empty() : page(cursor, rowsAfter, readTimeout))
                .flatMapIterable(items -> items);
    }

    /**
     * One page after the cursor. A read that has not finished within {@code readTimeout} is abandoned and made
     * once more (the cursor has not moved, so nothing is skipped or repeated): r2dbc-postgresql can leave a query
     * unanswered on its connection, and the pool replaces such a connection when it is next handed out. A second
     * timeout ends the stream with an error; the client reconnects with {@code Last-Event-ID}.
     */
    private static Mono<List<StreamItem>> page(
            AtomicLong cursor, LongFunction<Flux<StreamItem>> rowsAfter, Duration readTimeout) {
        return Flux.defer(() -> rowsAfter.apply(cursor.get()))
                .take(PAGE)
                .collectList()
                .timeout(readTimeout)
                .retry(1)
                .doOnNext(items -> {
                    if (!items.isEmpty()) {
                        cursor.set(items.get(items.size() - 1).id());
                    }
                });
    }

    private static ServerSentEvent<Object> event(StreamItem item) {
        return ServerSentEvent.builder(item.data())
                .id(Long.toString(item.id()))
                .event(item.event())
                .build();
    }
}
