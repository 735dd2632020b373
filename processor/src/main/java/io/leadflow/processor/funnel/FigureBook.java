package io.leadflow.processor.funnel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
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
 * The figures of a task as decoded objects, in front of the changelogged store {@link FunnelStores#FIGURES},
 * and the set of figures changed since they were last emitted: a change to a figure costs a map lookup,
 * not a read, decode, encode and write, and a figure that many changes touch within one commit interval
 * is written (and changelogged) once per commit, with its completed stays in the same record.
 *
 * <p>Exactly-once: Kafka Streams calls {@link #flushCache()} on every cached store before it commits a
 * task's transaction (the same hook its own record caches use), and that writes every figure changed
 * since the last commit to the store, and the set of figures not yet emitted to {@link
 * FunnelStores#DIRTY_FIGURES} (a few records, not one per figure), whose changelog records join the
 * transaction. A task closed without committing drops the cache ({@link #clearCache()}, {@link
 * #close()}); the stores are then restored from their changelogs as usual, and {@link #readDirty} takes
 * the set back as it was at the last commit. Figures not changed since the last commit stay decoded, up
 * to {@link #CLEAN_CAPACITY}, least recently used dropped first; figures not yet emitted are never
 * dropped.
 *
 * <p>Figures written before stays moved into the figure record keep their stays in {@link
 * FunnelStores#STAGE_TIMES} until they are next written; the book reads them from there and deletes
 * them then.
 *
 * <p>This implements Kafka Streams' {@code CachedStateStore}, an internal interface: the only way for a
 * store to write before the commit. Check it when upgrading Kafka Streams (the restart test fails if the
 * hook is no longer called).
 */
final class FigureBook implements StateStore, CachedStateStore<String, FigureBook.Figure> {

    /** Unchanged figures kept decoded between commits. */
    static final int CLEAN_CAPACITY = 50_000;

    /** Keys per record of the dirty set; a record stays far below Kafka's 1 MB default limit. */
    static final int DIRTY_KEYS_PER_RECORD = 2_000;

    /** Prefix of the dirty set's records; figure keys start with a tenant id, never with it. */
    private static final String DIRTY_CHUNK_PREFIX = "\u0000dirty-";

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();
    private static final Serde<List<String>> KEY_LIST = FunnelSerdes.figureKeys();

    private final KeyValueStore<String, Figure> figures;
    private final LinkedHashMap<String, Figure> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private final List<Figure> changed = new ArrayList<>();
    private final List<Figure> dirty = new ArrayList<>();
    private final List<String> dirtyStoreKeysToDelete = new ArrayList<>();
    private boolean dirtyChanged;
    private int dirtyChunks;
    private KeyValueStore<String, Long> stageTimes;
    private KeyValueStore<String, byte[]> dirtyStore;

    FigureBook(KeyValueStore<String, Figure> figures) {
        this.figures = Objects.requireNonNull(figures, "figures");
    }

    /** One figure's running sums and, for cohort figures, its completed stays per stage. */
    static final class Figure {

        /** Null while no customer counts in the figure. */
        FigureState state;

        /** Its key on the funnel topic; set when the book reads the figure. */
        String topicKey;

        final TreeMap<String, StageStays> stays = new TreeMap<>();

        /** Read in the former format: the stays are in {@link FunnelStores#STAGE_TIMES}. */
        boolean staysKeptApart;

        /** Keys of {@link FunnelStores#STAGE_TIMES} read for this figure, deleted when it is next written. */
        private List<String> formerStayKeys = List.of();

        /** Changed since the last commit: in the book's list of figures to write. */
        private boolean changed;

        /** Changed (or marked) since the last emission: in the book's dirty list, and never evicted. */
        private boolean dirty;

        Figure(FigureState state) {
            this.state = state;
        }

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
        }

        /** p50 and p90 of the completed stays of every stage that has any. */
        Map<String, StageTimes.Percentiles> percentiles() {
            Map<String, StageTimes.Percentiles> percentiles = new HashMap<>();
            stays.forEach((stage, stageStays) -> percentiles.put(stage, stageStays.percentiles()));
            return percentiles;
        }
    }

    /**
     * Connects the stage-times store (stays of figures written in the former format) and the dirty set's
     * store, and reads the dirty set back; the aggregator calls this before it reads a figure.
     */
    void useStores(KeyValueStore<String, Long> stageTimes, KeyValueStore<String, byte[]> dirtyStore) {
        this.stageTimes = Objects.requireNonNull(stageTimes, "stageTimes");
        this.dirtyStore = Objects.requireNonNull(dirtyStore, "dirtyStore");
        readDirty();
    }

    /** The figure under {@code topicKey}, read from the store on first use. */
    Figure figure(String topicKey) {
        Figure figure = cache.get(topicKey);
        if (figure == null) {
            figure = figures.get(topicKey);
            if (figure == null) {
                figure = new Figure(null);
            } else if (figure.staysKeptApart) {
                readFormerStays(topicKey, figure);
            }
            figure.topicKey = topicKey;
            cache.put(topicKey, figure);
        }
        return figure;
    }

    /**
     * Marks a figure returned by {@link #figure} as changed: it is written at the next commit, and emitted
     * at the next emission.
     */
    void changed(Figure figure) {
        if (!figure.changed) {
            figure.changed = true;
            changed.add(figure);
        }
        markDirty(figure);
    }

    /** Marks a figure to be emitted at the next emission, changed or not. */
    void markDirty(String topicKey) {
        markDirty(figure(topicKey));
    }

    private void markDirty(Figure figure) {
        if (!figure.dirty) {
            figure.dirty = true;
            dirty.add(figure);
            dirtyChanged = true;
        }
    }

    /** The figures changed (or marked) since the last emission, in the order they first were. */
    List<Figure> dirty() {
        return Collections.unmodifiableList(dirty);
    }

    /** Forgets the dirty set: every figure in it was just emitted. */
    void emitted() {
        if (!dirty.isEmpty()) {
            dirty.forEach(figure -> figure.dirty = false);
            dirty.clear();
            dirtyChanged = true;
        }
    }

    /** Every figure key of a tenant, changes not yet written included. */
    List<String> keysOf(String tenant) {
        flushCache();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Figure> tenantFigures = figures.prefixScan(tenant + "/", PREFIX_SERIALIZER)) {
            tenantFigures.forEachRemaining(figure -> keys.add(figure.key));
        }
        return keys;
    }

    private void readFormerStays(String topicKey, Figure figure) {
        String prefix = FunnelStores.stageTimesPrefix(topicKey);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> buckets = stageTimes.prefixScan(prefix, PREFIX_SERIALIZER)) {
            while (buckets.hasNext()) {
                KeyValue<String, Long> bucket = buckets.next();
                String rest = bucket.key.substring(prefix.length());
                int separator = rest.lastIndexOf('\u0000');
                figure.stays
                        .computeIfAbsent(rest.substring(0, separator), stage -> new StageStays())
                        .add(Long.parseUnsignedLong(rest.substring(separator + 1), 16), bucket.value);
                keys.add(bucket.key);
            }
        }
        figure.formerStayKeys = keys;
        figure.staysKeptApart = false;
    }

    /**
     * Reads the dirty set as the last commit left it: its records, and (written before the set was kept
     * in records) one key per dirty figure, which the next flush deletes.
     */
    private void readDirty() {
        clearCache();
        dirtyChunks = 0;
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> entries = dirtyStore.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                if (entry.key.startsWith(DIRTY_CHUNK_PREFIX)) {
                    keys.addAll(KEY_LIST.deserializer().deserialize(dirtyStore.name(), entry.value));
                    dirtyChunks++;
                } else {
                    keys.add(entry.key);
                    dirtyStoreKeysToDelete.add(entry.key);
                }
            }
        }
        keys.forEach(this::markDirty);
        dirtyChanged = !dirtyStoreKeysToDelete.isEmpty();
    }

    /** Writes every changed figure, and the dirty set if it changed, to the stores (and their changelogs). */
    @Override
    public void flushCache() {
        for (Figure figure : changed) {
            if (figure.state == null) {
                figures.delete(figure.topicKey);
            } else {
                figures.put(figure.topicKey, figure);
            }
            figure.formerStayKeys.forEach(stageTimes::delete);
            figure.formerStayKeys = List.of();
            figure.changed = false;
        }
        changed.clear();
        if (dirtyChanged) {
            writeDirty();
        }
        // Figures not yet emitted stay: the dirty list refers to them.
        Iterator<Figure> eldest = cache.values().iterator();
        while (cache.size() > CLEAN_CAPACITY && eldest.hasNext()) {
            if (!eldest.next().dirty) {
                eldest.remove();
            }
        }
    }

    /** Replaces the stored dirty set by the current one, {@link #DIRTY_KEYS_PER_RECORD} keys a record. */
    private void writeDirty() {
        int chunks = 0;
        List<String> chunk = new ArrayList<>(Math.min(dirty.size(), DIRTY_KEYS_PER_RECORD));
        for (Figure figure : dirty) {
            chunk.add(figure.topicKey);
            if (chunk.size() == DIRTY_KEYS_PER_RECORD) {
                writeDirtyChunk(chunks++, chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            writeDirtyChunk(chunks++, chunk);
        }
        for (int stale = chunks; stale < dirtyChunks; stale++) {
            dirtyStore.delete(dirtyChunkKey(stale));
        }
        dirtyStoreKeysToDelete.forEach(dirtyStore::delete);
        dirtyStoreKeysToDelete.clear();
        dirtyChunks = chunks;
        dirtyChanged = false;
    }

    private void writeDirtyChunk(int index, List<String> keys) {
        dirtyStore.put(dirtyChunkKey(index), KEY_LIST.serializer().serialize(dirtyStore.name(), keys));
    }

    private static String dirtyChunkKey(int index) {
        return DIRTY_CHUNK_PREFIX + index;
    }

    @Override
    public void clearCache() {
        cache.clear();
        changed.clear();
        dirty.clear();
        dirtyStoreKeysToDelete.clear();
        dirtyChanged = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, Figure> listener, boolean sendOldValues) {
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
    static StoreBuilder<FigureBook> builder(StoreBuilder<KeyValueStore<String, Figure>> figures) {
        return new Builder(figures);
    }

    private record Builder(StoreBuilder<KeyValueStore<String, Figure>> figures) implements StoreBuilder<FigureBook> {

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
