package io.leadflow.api.command;

import io.leadflow.api.ApiProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code command_result} and {@code command_request} small: every {@code prune-interval} it deletes the
 * outcomes decided, and the idempotency keys' requests issued, more than {@code result-retention} ago (a client
 * polls an outcome seconds after a {@code 202}, and retries within minutes, not days). Every api
 * instance prunes; the delete is idempotent, so they need no coordination. A failed round is logged and the next
 * one tries again.
 */
@Component
class CommandResultPruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandResultPruner.class);
    private static final String DELETE = "DELETE FROM command_result WHERE decided_at < :cutoff";

    private final DatabaseClient db;
    private final CommandRequestRepository requests;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private Disposable loop;

    CommandResultPruner(DatabaseClient db, CommandRequestRepository requests, ApiProperties properties) {
        this.db = db;
        this.requests = requests;
        this.retention = properties.commands().resultRetention();
        this.interval = properties.commands().pruneInterval();
        this.clock = Clock.systemUTC();
    }

    /** Deletes the outcomes and requests older than the retention; answers how many outcomes. */
    Mono<Long> prune() {
        return Mono.defer(() -> {
            Instant cutoff = clock.instant().minus(retention);
            return db.sql(DELETE)
                    .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                    .fetch()
                    .rowsUpdated()
                    .flatMap(pruned -> requests.deleteIssuedBefore(cutoff).thenReturn(pruned));
        });
    }

    @Override
    public void start() {
        loop = Flux.interval(interval)
                .onBackpressureDrop()
                .concatMap(tick -> prune().onErrorResume(e -> {
                    log.warn("pruning command results failed, trying again in {}: {}", interval, e.toString());
                    return Mono.empty();
                }))
                .subscribe(pruned -> log.debug("pruned {} command results", pruned));
    }

    @Override
    public void stop() {
        if (loop != null) {
            loop.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }
}
