package io.leadflow.api.stream;

import io.leadflow.api.ApiProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns "rows of a tenant after change number N" into a Server-Sent Event stream: it reads once at the start,
 * again whenever the {@link ChangeListener} reports a change of the tenant in one of the followed read models,
 * and again at every heartbeat (a safety net for a lost notification). Each event's id is the row's change
 * number, so a client that reconnects with {@code Last-Event-ID} gets exactly the rows after the last one it
 * saw. Notifications that arrive while a read runs are folded into one more read. A heartbeat comment keeps
 * proxies from closing an idle stream; the stream ends when the caller's token expires.
 */
@Component
class LiveStream {

    /** Most rows one read returns; a full page is followed at once by the next. */
    static final int PAGE = 500;

    private final ChangeListener listener;
    private final Duration heartbeat;
    private final Clock clock;

    LiveStream(ChangeListener listener, ApiProperties properties) {
        this.listener = listener;
        this.heartbeat = properties.streams().heartbeat();
        this.clock = Clock.systemUTC();
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
                listener.signals().filter(signal -> signal.concerns(tenant, streams)),
                Flux.interval(heartbeat));
        Flux<ServerSentEvent<Object>> rows = wakeUps.onBackpressureLatest()
                .concatMap(wakeUp -> drain(cursor, rowsAfter), 0)
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
    private static Flux<StreamItem> drain(AtomicLong cursor, LongFunction<Flux<StreamItem>> rowsAfter) {
        return page(cursor, rowsAfter)
                .expand(items -> items.size() < PAGE ? Mono.empty() : page(cursor, rowsAfter))
                .flatMapIterable(items -> items);
    }

    private static Mono<List<StreamItem>> page(AtomicLong cursor, LongFunction<Flux<StreamItem>> rowsAfter) {
        return Flux.defer(() -> rowsAfter.apply(cursor.get()))
                .take(PAGE)
                .collectList()
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
