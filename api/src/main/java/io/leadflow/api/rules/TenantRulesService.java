package io.leadflow.api.rules;

import io.leadflow.api.projection.Change;
import io.leadflow.api.stream.ChangeListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A tenant's current rules: the projected ones, else the defaults. Nearly every request needs them (who sees
 * what) and they change rarely, so they are kept in memory while this instance hears the projection's
 * notifications ({@link ChangeListener}): a rules change drops the tenant's entry on every instance, a
 * reconnect of the listener drops all of them, and while the listener is not listening every read goes to
 * PostgreSQL. A read that began before a drop is not kept, so a change is never hidden by an older read.
 * Entries also expire after {@link #MAX_AGE}, should a notification ever go missing.
 */
@Service
public class TenantRulesService implements DisposableBean {

    static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final TenantRulesRepository repository;
    private final ChangeListener listener;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Moves on at every drop, under this object's lock; a read started at another generation is not kept. */
    private long generation;

    private final Disposable invalidations;

    TenantRulesService(TenantRulesRepository repository, ChangeListener listener) {
        this.repository = repository;
        this.listener = listener;
        this.invalidations = listener.signals().subscribe(signal -> {
            if (signal.tenant() == null) {
                forgetAll();
            } else if (Change.RULES.equals(signal.stream())) {
                forget(signal.tenant());
            }
        });
    }

    private record Cached(RulesDocument rules, long readAtNanos) {

        boolean isFresh() {
            return System.nanoTime() - readAtNanos < MAX_AGE.toNanos();
        }
    }

    public Mono<RulesDocument> of(String tenant) {
        if (!listener.isListening()) {
            forgetAll();
            return read(tenant);
        }
        Cached cached = cache.get(tenant);
        if (cached != null && cached.isFresh()) {
            return Mono.just(cached.rules());
        }
        return Mono.defer(() -> {
            long readGeneration = currentGeneration();
            long readAtNanos = System.nanoTime();
            return read(tenant).doOnNext(rules -> keep(tenant, new Cached(rules, readAtNanos), readGeneration));
        });
    }

    private synchronized long currentGeneration() {
        return generation;
    }

    private synchronized void keep(String tenant, Cached cached, long readGeneration) {
        if (generation == readGeneration) {
            cache.put(tenant, cached);
        }
    }

    private Mono<RulesDocument> read(String tenant) {
        return repository.find(tenant).defaultIfEmpty(RulesDocument.defaults(tenant));
    }

    private synchronized void forget(String tenant) {
        generation++;
        cache.remove(tenant);
    }

    private synchronized void forgetAll() {
        generation++;
        cache.clear();
    }

    @Override
    public void destroy() {
        invalidations.dispose();
    }
}
