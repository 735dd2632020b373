package io.leadflow.processor.funnel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The figures of a task as decoded objects, in front of the changelogged stores {@link
 * FunnelStores#FIGURES} and {@link FunnelStores#STAGE_TIMES}: a change to a figure costs a map lookup,
 * not a read, decode, encode and write, and a figure that many changes touch within one commit interval
 * is written (and changelogged) once per commit.
 *
 * <p>Exactly-once: Kafka Streams calls {@link #flushCache()} on every cached store before it commits a
 * task's transaction (the same hook its own record caches use), and that writes every figure changed
 * since the last commit to the stores, whose changelog records join the transaction. A task closed
 * without committing drops the cache ({@link #clearCache()}, {@link #close()}); the stores are then
 * restored from their changelogs as usual. Figures not changed since the last commit stay decoded, up to
 * {@link #CLEAN_CAPACITY}, least recently used dropped first.
 *
 * <p>This implements Kafka Streams' {@code CachedStateStore}, an internal interface: the only way for a
 * store to write before the commit. Check it when upgrading Kafka Streams (the restart test fails if the
 * hook is no longer called).
 */
final class FigureBook implements StateStore, CachedStateStore<String, FigureState> {

    /** Unchanged figures kept decoded between commits. */
    static final int CLEAN_CAPACITY = 50_000;

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private final KeyValueStore<String, FigureState> figures;
    private final LinkedHashMap<String, Figure> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private final Set<String> changed = new HashSet<>();
    private KeyValueStore<String, Long> stageTimes;

    FigureBook(KeyValueStore<String, FigureState> figures) {
        this.figures = Objects.requireNonNull(figures, "figures");
    }

    /** One figure's running sums and, for cohort figures, its completed stays per stage. */
    static final class Figure {

        /** Null while no customer counts in the figure. */
        FigureState state;

        final TreeMap<String, StageStays> stays = new TreeMap<>();
        private final Set<Contribution.Stay> changedStays = new HashSet<>();

        /**
         * Replaces one customer's completed stays {@code before} by {@code after}; stays both share (a move
         * keeps the earlier ones) are left alone.
         */
        void replaceStays(List<Contribution.Stay> before, List<Contribution.Stay> after) {
            int shared = 0;
            while (shared < before.size()
                    && shared < after.size()
                    && before.get(shared).equals(after.get(shared))) {
                shared++;
            }
            for (int i = shared; i < before.size(); i++) {
                add(before.get(i), -1);
            }
            for (int i = shared; i < after.size(); i++) {
                add(after.get(i), 1);
            }
        }

        private void add(Contribution.Stay stay, long delta) {
            StageStays stage = stays.computeIfAbsent(stay.stage(), name -> new StageStays());
            stage.add(stay.bucket(), delta);
            if (stage.isEmpty()) {
                stays.remove(stay.stage());
            }
            changedStays.add(stay);
        }

        /** p50 and p90 of the completed stays of every stage that has any. */
        Map<String, StageTimes.Percentiles> percentiles() {
            Map<String, StageTimes.Percentiles> percentiles = new HashMap<>();
            stays.forEach((stage, stageStays) -> percentiles.put(stage, stageStays.percentiles()));
            return percentiles;
        }

        private long staysIn(Contribution.Stay stay) {
            StageStays stage = stays.get(stay.stage());
            return stage == null ? 0 : stage.count(stay.bucket());
        }
    }

    /** Connects the stage-times store; the aggregator calls this before it reads a figure. */
    void useStageTimes(KeyValueStore<String, Long> stageTimes) {
        this.stageTimes = Objects.requireNonNull(stageTimes, "stageTimes");
    }

    /** The figure under {@code topicKey}, read from the stores on first use. */
    Figure figure(String topicKey, boolean cohort) {
        Figure figure = cache.get(topicKey);
        if (figure == null) {
            figure = new Figure();
            figure.state = figures.get(topicKey);
            if (cohort) {
                readStays(topicKey, figure);
            }
            cache.put(topicKey, figure);
        }
        return figure;
    }

    /** Marks a figure returned by {@link #figure} as changed: it is written at the next commit. */
    void changed(String topicKey) {
        changed.add(topicKey);
    }

    /** Every figure key of a tenant, changes not yet written included. */
    List<String> keysOf(String tenant) {
        flushCache();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, FigureState> tenantFigures =
                figures.prefixScan(tenant + "/", PREFIX_SERIALIZER)) {
            tenantFigures.forEachRemaining(figure -> keys.add(figure.key));
        }
        return keys;
    }

    private void readStays(String topicKey, Figure figure) {
        String prefix = FunnelStores.stageTimesPrefix(topicKey);
        try (KeyValueIterator<String, Long> buckets = stageTimes.prefixScan(prefix, PREFIX_SERIALIZER)) {
            while (buckets.hasNext()) {
                KeyValue<String, Long> bucket = buckets.next();
                String rest = bucket.key.substring(prefix.length());
                int separator = rest.lastIndexOf('\u0000');
                figure.stays
                        .computeIfAbsent(rest.substring(0, separator), stage -> new StageStays())
                        .add(Long.parseUnsignedLong(rest.substring(separator + 1), 16), bucket.value);
            }
        }
    }

    /** Writes every changed figure and stay bucket to the stores (and so to their changelogs). */
    @Override
    public void flushCache() {
        for (String topicKey : changed) {
            Figure figure = cache.get(topicKey);
            if (figure.state == null) {
                figures.delete(topicKey);
            } else {
                figures.put(topicKey, figure.state);
            }
            for (Contribution.Stay stay : figure.changedStays) {
                String key = FunnelStores.stageTimeKey(topicKey, stay.stage(), stay.bucket());
                long stays = figure.staysIn(stay);
                if (stays == 0) {
                    stageTimes.delete(key);
                } else {
                    stageTimes.put(key, stays);
                }
            }
            figure.changedStays.clear();
        }
        changed.clear();
        Iterator<Map.Entry<String, Figure>> eldest = cache.entrySet().iterator();
        while (cache.size() > CLEAN_CAPACITY && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    @Override
    public void clearCache() {
        cache.clear();
        changed.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, FigureState> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return figures.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        figures.init(context, root);
    }

    @Override
    public void flush() {
        flushCache();
        figures.flush();
    }

    @Override
    public void close() {
        clearCache();
        figures.close();
    }

    @Override
    public boolean persistent() {
        return figures.persistent();
    }

    @Override
    public boolean isOpen() {
        return figures.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return figures.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return figures.getPosition();
    }

    /** Builds the book around the figures store that {@code figures} builds (which must not cache). */
    static StoreBuilder<FigureBook> builder(StoreBuilder<KeyValueStore<String, FigureState>> figures) {
        return new Builder(figures);
    }

    private record Builder(StoreBuilder<KeyValueStore<String, FigureState>> figures)
            implements StoreBuilder<FigureBook> {

        /** The book is the cache: Kafka Streams' record cache is never put in front of it. */
        @Override
        public StoreBuilder<FigureBook> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<FigureBook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<FigureBook> withLoggingEnabled(Map<String, String> config) {
            figures.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<FigureBook> withLoggingDisabled() {
            figures.withLoggingDisabled();
            return this;
        }

        @Override
        public FigureBook build() {
            return new FigureBook(figures.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return figures.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return figures.loggingEnabled();
        }

        @Override
        public String name() {
            return figures.name();
        }
    }
}
