package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelKind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
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
 * with the {@link FigureJournal} of the changes they were given and, for live and for cohort figures apart
 * (each kind is emitted on its own interval), the figures changed since they were last emitted: a change to a
 * figure costs a map lookup, not a read, decode, encode and write. The commit writes the changes once to the
 * journal, and a changed figure is written to its store (a snapshot, with the number of the last journal
 * record it holds) only once it has gone unwritten for the snapshot interval, however many commits and
 * changes touched it meanwhile: a busy cohort figure of thousands of stay buckets is written every 30
 * seconds instead of every 100 ms.
 *
 * <p>Exactly-once: Kafka Streams calls {@link #flushCache()} on every cached store before it commits a
 * task's transaction (the same hook its own record caches use), and that writes the journal record, the
 * figures due, the journal's position and the set of figures marked for emission to their stores, whose
 * changelog records join the transaction. A task closed without committing drops all this ({@link
 * #clearCache()}, {@link #close()}); the stores are then restored from their changelogs as usual, and the
 * aggregator replays the journal into the figures whose snapshots do not hold its records ({@link #replay}),
 * which brings every figure back to what the last commit counted, and marks for emission the figures
 * changed after the last emission. Figures unchanged since they were written stay decoded, up to {@link
 * FunnelSettings#figuresKept()}: the eldest read first are dropped first, unless read since the last drop
 * (those get a second chance, the "clock" approximation of least recently used, which costs a read nothing);
 * figures not yet emitted or not yet written are never dropped.
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

    /** The journal position of a figure written before the journal, or never written: it holds no record. */
    static final long NOT_JOURNALED = -1;

    /**
     * The most changes the journal keeps, whatever the snapshot interval: beyond it the figures changed
     * earliest are written, so a restart never replays more than this many changes.
     */
    static final long MAX_JOURNAL_CHANGES = 500_000;

    /** Keys per record of the dirty set; a record stays far below Kafka's 1 MB default limit. */
    static final int DIRTY_KEYS_PER_RECORD = 2_000;

    /** Prefix of the dirty set's records; figure keys start with a tenant id, never with it. */
    private static final String DIRTY_CHUNK_PREFIX = "\u0000dirty-";

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();
    private static final Serde<List<String>> KEY_LIST = FunnelSerdes.figureKeys();

    private final KeyValueStore<String, Figure> figures;
    /** In the order figures were read (or given their second chance), eldest first. */
    private final LinkedHashMap<String, Figure> cache = new LinkedHashMap<>(1024);

    private final int figuresKept;
    private final ArrayDeque<Figure> unwritten = new ArrayDeque<>();
    private final ArrayDeque<Figure> writtenEmpty = new ArrayDeque<>();
    private final List<Figure> dirtySnapshots = new ArrayList<>();
    private final List<Figure> dirtyCohorts = new ArrayList<>();
    private final List<Figure> marked = new ArrayList<>();
    private final List<String> dirtyStoreKeysToDelete = new ArrayList<>();
    private boolean markedChanged;
    private int dirtyChunks;
    private KeyValueStore<String, Long> stageTimes;
    private KeyValueStore<String, byte[]> dirtyStore;
    private FigureJournal journal;
    private long snapshotMillis;
    private LongSupplier clock;

    FigureBook(KeyValueStore<String, Figure> figures, int figuresKept) {
        this.figures = Objects.requireNonNull(figures, "figures");
        this.figuresKept = figuresKept;
    }

    /** One figure's running sums and, for cohort figures, its completed stays per stage. */
    static final class Figure {

        /** Null while no customer counts in the figure. */
        FigureState state;

        /** Its key on the funnel topic; set when the book reads the figure. */
        String topicKey;

        /** {@link #topicKey} taken apart; set with it. */
        FigureKey key;

        /** Live (snapshot) or cohort figure; set with {@link #topicKey}. */
        FunnelKind kind;

        final Map<String, StageStays> stays = new HashMap<>();

        /** Read in the former format: the stays are in {@link FunnelStores#STAGE_TIMES}. */
        boolean staysKeptApart;

        /** Keys of {@link FunnelStores#STAGE_TIMES} read for this figure, deleted when it is next written. */
        private List<String> formerStayKeys = List.of();

        /** The last journal record its stored snapshot holds, {@link #NOT_JOURNALED} if none. */
        long appliedThrough = NOT_JOURNALED;

        /** Changed since it was last written: in the book's list of figures to write, and never evicted. */
        private boolean unwritten;

        /** The journal record of its first change since it was last written. */
        private long unwrittenSinceRecord;

        /** When (wall clock) it was first changed since it was last written. */
        private long unwrittenSinceMillis;

        /** Read since the book last dropped figures: kept at the next drop, once. */
        private boolean used;

        /** Changed (or marked) since the last emission: in the book's dirty list, and never evicted. */
        private boolean dirty;

        /** Marked for emission without a change (its tenant's rules changed): in the stored dirty set. */
        private boolean marked;

        long appliedThrough() {
            return appliedThrough;
        }

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
     * Connects the stage-times store (stays of figures written in the former format), the dirty set's store
     * and the journal's, and reads the marked figures back; the aggregator calls this before it reads a
     * figure, then {@link #replay}. A changed figure is written once it has gone unwritten for {@code
     * snapshotInterval} by {@code clock}.
     */
    void useStores(
            KeyValueStore<String, Long> stageTimes,
            KeyValueStore<String, byte[]> dirtyStore,
            KeyValueStore<Long, byte[]> journalStore,
            Duration snapshotInterval,
            LongSupplier clock) {
        this.stageTimes = Objects.requireNonNull(stageTimes, "stageTimes");
        this.dirtyStore = Objects.requireNonNull(dirtyStore, "dirtyStore");
        this.journal = new FigureJournal(journalStore);
        this.snapshotMillis = snapshotInterval.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        readDirty();
    }

    /** Hands the journal's changes to {@code replayer}, which gives them back through {@link #replayed}. */
    void replay(FigureJournal.Replayer replayer) {
        journal.replay(replayer);
    }

    /**
     * Adds a change just applied (through {@link #changed}) to the journal, as the aggregator received it
     * (encoded by {@link FunnelSerdes#changes()}).
     */
    void journal(long timestamp, byte[] change) {
        journal.add(timestamp, change);
    }

    /** The figure under {@code topicKey}, read from the store on first use. */
    Figure figure(String topicKey) {
        Figure figure = cache.get(topicKey);
        if (figure == null) {
            Figure stored = figures.get(topicKey);
            figure = cached(topicKey, stored == null ? new Figure(null) : stored);
        }
        figure.used = true;
        return figure;
    }

    /**
     * The figure under {@code topicKey} if a customer was ever counted in it since it was last deleted (it
     * is held in memory or in the store), null if none: a figure nobody changes is not kept for asking.
     */
    Figure existing(String topicKey) {
        Figure figure = cache.get(topicKey);
        if (figure == null) {
            Figure stored = figures.get(topicKey);
            if (stored == null) {
                return null;
            }
            figure = cached(topicKey, stored);
        }
        figure.used = true;
        return figure;
    }

    private Figure cached(String topicKey, Figure figure) {
        if (figure.staysKeptApart) {
            readFormerStays(topicKey, figure);
        }
        figure.topicKey = topicKey;
        figure.key = FigureKey.parse(topicKey);
        figure.kind = figure.key.kind();
        cache.put(topicKey, figure);
        return figure;
    }

    /**
     * Deletes a figure no longer kept, with its stays in the former format: a week or month figure stored
     * when they were counted change by change, which no change touches any more.
     */
    void forget(Figure figure) {
        figures.delete(figure.topicKey);
        figure.formerStayKeys.forEach(stageTimes::delete);
        figure.formerStayKeys = List.of();
        cache.remove(figure.topicKey);
    }

    /**
     * Marks a figure returned by {@link #figure} as changed by a change about to be journaled: it is emitted
     * at the next emission, and written once it has gone unwritten for the snapshot interval.
     */
    void changed(Figure figure) {
        unwritten(figure, journal.pendingRecord());
        pendingEmission(figure);
    }

    /**
     * Whether the stored snapshot of {@code figure} already holds journal record {@code record}: a replayed
     * change of that record must not be applied to it again.
     */
    boolean holds(Figure figure, long record) {
        return figure.appliedThrough >= record;
    }

    /**
     * Takes back a replayed change of journal record {@code record}, {@code applied} to the figure or
     * already held by its snapshot; {@code emitted} if it was emitted to the figure's kind before the task
     * stopped.
     */
    void replayed(Figure figure, long record, boolean applied, boolean emitted) {
        if (applied) {
            unwritten(figure, record);
        }
        if (!emitted) {
            pendingEmission(figure);
        }
    }

    private void unwritten(Figure figure, long record) {
        if (!figure.unwritten) {
            figure.unwritten = true;
            figure.unwrittenSinceRecord = record;
            figure.unwrittenSinceMillis = clock.getAsLong();
            unwritten.add(figure);
        }
    }

    /** Marks a figure to be emitted at the next emission, changed or not, even after a restart. */
    void markDirty(String topicKey) {
        Figure figure = figure(topicKey);
        if (!figure.marked) {
            figure.marked = true;
            marked.add(figure);
            markedChanged = true;
        }
        pendingEmission(figure);
    }

    private void pendingEmission(Figure figure) {
        if (!figure.dirty) {
            figure.dirty = true;
            dirtyOf(figure.kind).add(figure);
        }
    }

    private List<Figure> dirtyOf(FunnelKind kind) {
        return kind == FunnelKind.COHORT ? dirtyCohorts : dirtySnapshots;
    }

    /** The figures of {@code kind} changed (or marked) since their last emission, in the order they first were. */
    List<Figure> dirty(FunnelKind kind) {
        return Collections.unmodifiableList(dirtyOf(kind));
    }

    /**
     * Forgets the figures of {@code kind} changed since their last emission: every one of them was just
     * emitted, with every change journaled so far.
     */
    void emitted(FunnelKind kind) {
        List<Figure> dirty = dirtyOf(kind);
        dirty.forEach(figure -> figure.dirty = false);
        dirty.clear();
        Iterator<Figure> markedFigures = marked.iterator();
        while (markedFigures.hasNext()) {
            Figure figure = markedFigures.next();
            if (figure.kind == kind) {
                figure.marked = false;
                markedFigures.remove();
                markedChanged = true;
            }
        }
        journal.emitted(kind);
    }

    /** Every figure key of a tenant, figures not yet written included. */
    Collection<String> keysOf(String tenant) {
        Set<String> keys = new LinkedHashSet<>();
        try (KeyValueIterator<String, Figure> tenantFigures = figures.prefixScan(tenant + "/", PREFIX_SERIALIZER)) {
            tenantFigures.forEachRemaining(figure -> keys.add(figure.key));
        }
        String prefix = tenant + "/";
        for (Figure figure : unwritten) {
            if (figure.topicKey.startsWith(prefix)) {
                keys.add(figure.topicKey);
            }
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
     * Reads the marked figures as the last commit left them: their records (before the journal, every figure
     * not yet emitted was kept there), and (written before the set was kept in records) one key per figure,
     * which the next flush deletes.
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
        markedChanged = !dirtyStoreKeysToDelete.isEmpty();
    }

    /**
     * Writes the changes since the last commit to the journal, the figures due to their store, the journal's
     * position and the marked figures, if they changed (to the stores, and their changelogs), and drops the
     * journal records no longer needed.
     */
    @Override
    public void flushCache() {
        if (journal == null) {
            return;
        }
        long lastRecord = journal.write();
        long due = clock.getAsLong() - snapshotMillis;
        long firstRecordToKeep = journal.firstRecordWithin(MAX_JOURNAL_CHANGES);
        while (!unwritten.isEmpty()
                && (unwritten.peekFirst().unwrittenSinceMillis <= due
                        || unwritten.peekFirst().unwrittenSinceRecord < firstRecordToKeep)) {
            write(unwritten.pollFirst(), lastRecord);
        }
        long firstKept =
                journal.truncate(unwritten.isEmpty() ? Long.MAX_VALUE : unwritten.peekFirst().unwrittenSinceRecord);
        // An empty figure stays written while the journal holds a record it was given, lest a replay count it
        // again from nothing. One dropped from the cache meanwhile stays written: read back, it is still right.
        while (!writtenEmpty.isEmpty() && writtenEmpty.peekFirst().appliedThrough < firstKept) {
            Figure figure = writtenEmpty.pollFirst();
            if (figure.state == null && !figure.unwritten && cache.get(figure.topicKey) == figure) {
                figures.delete(figure.topicKey);
            }
        }
        if (markedChanged) {
            writeMarked();
        }
        // Figures not yet emitted or written stay: the dirty and unwritten lists refer to them.
        dropCleanFigures();
    }

    /**
     * Drops clean figures, eldest first, until at most {@code figuresKept} are kept; one read since the last
     * drop goes to the young end instead, unmarked. One pass at most: what it could not drop, the next one
     * will.
     */
    private void dropCleanFigures() {
        int excess = cache.size() - figuresKept;
        if (excess <= 0) {
            return;
        }
        List<Figure> used = new ArrayList<>();
        Iterator<Figure> eldest = cache.values().iterator();
        while (excess > 0 && eldest.hasNext()) {
            Figure figure = eldest.next();
            if (figure.dirty || figure.unwritten) {
                continue;
            }
            eldest.remove();
            if (figure.used) {
                figure.used = false;
                used.add(figure);
            } else {
                excess--;
            }
        }
        for (Figure figure : used) {
            cache.put(figure.topicKey, figure);
        }
    }

    /** Writes a figure as a snapshot holding the journal up to {@code lastRecord}. */
    private void write(Figure figure, long lastRecord) {
        figure.appliedThrough = lastRecord;
        figures.put(figure.topicKey, figure);
        if (figure.state == null) {
            writtenEmpty.add(figure);
        }
        figure.formerStayKeys.forEach(stageTimes::delete);
        figure.formerStayKeys = List.of();
        figure.unwritten = false;
    }

    /** Replaces the stored set of marked figures, {@link #DIRTY_KEYS_PER_RECORD} keys a record. */
    private void writeMarked() {
        int chunks = 0;
        List<String> chunk = new ArrayList<>(Math.min(marked.size(), DIRTY_KEYS_PER_RECORD));
        for (Figure figure : marked) {
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
        markedChanged = false;
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
        unwritten.clear();
        writtenEmpty.clear();
        dirtySnapshots.clear();
        dirtyCohorts.clear();
        marked.clear();
        dirtyStoreKeysToDelete.clear();
        markedChanged = false;
        if (journal != null) {
            journal.clear();
        }
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
    static StoreBuilder<FigureBook> builder(StoreBuilder<KeyValueStore<String, Figure>> figures, int figuresKept) {
        return new Builder(figures, figuresKept);
    }

    private record Builder(StoreBuilder<KeyValueStore<String, Figure>> figures, int figuresKept)
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
            return new FigureBook(figures.build(), figuresKept);
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
