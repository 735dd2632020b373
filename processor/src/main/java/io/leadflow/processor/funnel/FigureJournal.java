package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The changes a task's figures were given since their stored snapshots, in order, in the changelogged store
 * {@link FunnelStores#JOURNAL}: one record per commit (more when the changes of one commit exceed {@link
 * #RECORD_BYTES}), numbered from 0, each holding its changes and the number of the first. With it a figure
 * that many changes touch needs no write at every commit: the commit writes the changes once, however many
 * figures each touches, and a restarted task replays the records its figures' snapshots do not hold yet.
 *
 * <p>The position record ({@link #POSITION_KEY}) keeps the next record and change numbers and how many
 * changes have been emitted to live figures and to cohort figures (each kind is emitted on its own interval),
 * so a restarted task knows which replayed changes still have to reach the funnel topic. Records are deleted
 * once every figure they changed has been written and every change in them emitted.
 */
final class FigureJournal {

    /** A record is closed once its changes take this many bytes, far below Kafka's 1 MB default limit. */
    static final int RECORD_BYTES = 256 * 1024;

    /** Key of the position record; journal records have keys from 0 up. */
    private static final long POSITION_KEY = -1;

    private static final Deserializer<Batch> BATCHES = FunnelSerdes.journalBatches();
    private static final Serde<Position> POSITIONS = FunnelSerdes.journalPositions();

    /** One change as it was applied; {@code timestamp} is its record's. */
    record Entry(long timestamp, FactsChange change) {}

    /** One change as received, encoded by {@link FunnelSerdes#changes()}; {@code timestamp} is its record's. */
    record Encoded(long timestamp, byte[] change) {}

    /** The changes of one journal record, numbered from {@code first}. */
    record Batch(long first, List<Entry> entries) {}

    /**
     * The next record and change numbers, and how many changes (from 0) have been emitted to live figures
     * and to cohort figures.
     */
    record Position(long nextRecord, long nextChange, long emittedSnapshotChanges, long emittedCohortChanges) {}

    /** Receives the journal's changes, oldest first, when a task starts. */
    interface Replayer {
        /**
         * @param record the number of the journal record holding the change
         * @param emitted which kinds of figure were emitted after it: its changes to those need no emission
         */
        void replay(FactsChange change, long timestamp, long record, Emitted emitted);
    }

    /** Whether the live figures and the cohort figures a change touched were emitted after it. */
    record Emitted(boolean snapshots, boolean cohorts) {

        boolean of(FunnelKind kind) {
            return kind == FunnelKind.COHORT ? cohorts : snapshots;
        }
    }

    /** A record still in the store: its number and the numbers of its first change and the one after it. */
    private record Kept(long record, long first, long end) {}

    private final KeyValueStore<Long, byte[]> store;
    private final List<Encoded> pending = new ArrayList<>();
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private long nextRecord;
    private long nextChange;
    private long emittedSnapshotChanges;
    private long emittedCohortChanges;
    private boolean positionChanged;

    FigureJournal(KeyValueStore<Long, byte[]> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Reads the position and hands every change still in the journal to {@code replayer}, in order. */
    void replay(Replayer replayer) {
        pending.clear();
        kept.clear();
        Position position = POSITIONS.deserializer().deserialize(store.name(), store.get(POSITION_KEY));
        nextRecord = position == null ? 0 : position.nextRecord();
        nextChange = position == null ? 0 : position.nextChange();
        emittedSnapshotChanges = position == null ? 0 : position.emittedSnapshotChanges();
        emittedCohortChanges = position == null ? 0 : position.emittedCohortChanges();
        positionChanged = false;
        try (KeyValueIterator<Long, byte[]> records = store.range(0L, Long.MAX_VALUE)) {
            while (records.hasNext()) {
                KeyValue<Long, byte[]> record = records.next();
                Batch batch = BATCHES.deserialize(store.name(), record.value);
                kept.add(new Kept(
                        record.key,
                        batch.first(),
                        batch.first() + batch.entries().size()));
                for (int i = 0; i < batch.entries().size(); i++) {
                    Entry entry = batch.entries().get(i);
                    long change = batch.first() + i;
                    replayer.replay(
                            entry.change(),
                            entry.timestamp(),
                            record.key,
                            new Emitted(change < emittedSnapshotChanges, change < emittedCohortChanges));
                }
            }
        }
    }

    /** The number of the record the changes given since the last {@link #write()} will go to. */
    long pendingRecord() {
        return nextRecord;
    }

    /**
     * Adds a change just applied to the figures, encoded by {@link FunnelSerdes#changes()}; it is written at the
     * next {@link #write()}.
     */
    void add(long timestamp, byte[] change) {
        pending.add(new Encoded(timestamp, change));
        nextChange++;
        positionChanged = true;
    }

    /** Every change given so far has been emitted to the figures of {@code kind} it touched. */
    void emitted(FunnelKind kind) {
        if (kind == FunnelKind.COHORT) {
            positionChanged |= emittedCohortChanges != nextChange;
            emittedCohortChanges = nextChange;
        } else {
            positionChanged |= emittedSnapshotChanges != nextChange;
            emittedSnapshotChanges = nextChange;
        }
    }

    /**
     * Writes the changes given since the last call, and returns the number of the last record written: every
     * change applied so far is then in a record up to it.
     */
    long write() {
        long first = nextChange - pending.size();
        List<Encoded> batch = new ArrayList<>();
        int bytes = 0;
        for (Encoded entry : pending) {
            batch.add(entry);
            bytes += entry.change().length;
            if (bytes >= RECORD_BYTES) {
                first = writeRecord(first, batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            writeRecord(first, batch);
        }
        pending.clear();
        return nextRecord - 1;
    }

    private long writeRecord(long first, List<Encoded> entries) {
        store.put(nextRecord, FunnelSerdes.journalRecord(first, entries));
        kept.add(new Kept(nextRecord, first, first + entries.size()));
        nextRecord++;
        return first + entries.size();
    }

    /**
     * The lowest record number whose changes, with those after it, number no more than {@code changes}: the
     * figures changed before it should be written for the journal to stay that short.
     */
    long firstRecordWithin(long changes) {
        for (Kept record : kept) {
            if (nextChange - record.first() <= changes) {
                return record.record();
            }
        }
        return nextRecord;
    }

    /**
     * Deletes the records before {@code firstNeeded} whose changes have all been emitted, writes the
     * position if it moved, and returns the number of the first record kept.
     */
    long truncate(long firstNeeded) {
        while (!kept.isEmpty()
                && kept.peekFirst().record() < firstNeeded
                && kept.peekFirst().end() <= Math.min(emittedSnapshotChanges, emittedCohortChanges)) {
            store.delete(kept.pollFirst().record());
        }
        if (positionChanged) {
            store.put(
                    POSITION_KEY,
                    POSITIONS
                            .serializer()
                            .serialize(
                                    store.name(),
                                    new Position(
                                            nextRecord, nextChange, emittedSnapshotChanges, emittedCohortChanges)));
            positionChanged = false;
        }
        return kept.isEmpty() ? nextRecord : kept.peekFirst().record();
    }

    /** Forgets changes not yet written; the next {@link #replay} reads the journal back from the store. */
    void clear() {
        pending.clear();
        kept.clear();
    }
}
