package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Compact binary serdes of the funnel's internal state and repartition records. They never leave the
 * processor's own stores and internal topics; each starts with a format byte so a later format can still
 * read the current one.
 */
final class FunnelSerdes {

    private static final byte FORMAT = 1;

    /**
     * Figures with their completed stays and the journal record they hold changes through; format 2 had no
     * journal position, format 1 held the running sums only (stays were kept apart).
     */
    private static final byte FIGURE_FORMAT = 3;

    /** The journal's position with changes emitted to live and to cohort figures apart; format 1 had one. */
    private static final byte POSITION_FORMAT = 2;

    /**
     * Changes, alone and in journal records, with the cohort dimensions of each side; format 1 had none and
     * reads as counted in every dimension's cohorts, as every change then was by default.
     */
    private static final byte CHANGE_FORMAT = 2;

    private static final Serde<CustomerFacts> FACTS =
            serde(FORMAT, FunnelSerdes::writeFacts, (in, format) -> readFacts(in));

    private static final Serde<FactsChange> CHANGES =
            serde(CHANGE_FORMAT, FunnelSerdes::writeChange, FunnelSerdes::readChange);

    private FunnelSerdes() {}

    static Serde<CustomerFacts> facts() {
        return FACTS;
    }

    static Serde<FactsChange> changes() {
        return CHANGES;
    }

    /**
     * A figure's running sums and completed stays. A figure written in format 1 reads with no stays and
     * {@link FigureBook.Figure#staysKeptApart}: its stays are still in {@link FunnelStores#STAGE_TIMES}.
     */
    static Serde<FigureBook.Figure> figures() {
        return serde(FIGURE_FORMAT, FunnelSerdes::writeFigure, FunnelSerdes::readFigure);
    }

    /** Reads a record of the funnel's journal: changes in the order they were applied, from change {@code first}. */
    static Deserializer<FigureJournal.Batch> journalBatches() {
        return deserializer(CHANGE_FORMAT, (in, format) -> {
            long first = ByteUtils.readVarlong(in);
            int count = ByteUtils.readVarint(in);
            List<FigureJournal.Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long timestamp = ByteUtils.readVarlong(in);
                entries.add(new FigureJournal.Entry(timestamp, readChange(in, format)));
            }
            return new FigureJournal.Batch(first, entries);
        });
    }

    /**
     * A record of the funnel's journal holding {@code entries}, numbered from change {@code first}, as {@link
     * #journalBatches()} reads it. A change is copied as it was received, without its format byte; one in a
     * former format (sent by an older version during a rolling upgrade) is read and written in the current one.
     */
    static byte[] journalRecord(long first, List<FigureJournal.Encoded> entries) {
        int size = 16;
        for (FigureJournal.Encoded entry : entries) {
            size += 10 + entry.change().length;
        }
        UnlockedBytesOut bytes = new UnlockedBytesOut(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CHANGE_FORMAT);
            ByteUtils.writeVarlong(first, out);
            ByteUtils.writeVarint(entries.size(), out);
            for (FigureJournal.Encoded entry : entries) {
                ByteUtils.writeVarlong(entry.timestamp(), out);
                byte[] change = entry.change();
                if (change[0] != CHANGE_FORMAT) {
                    change = CHANGES.serializer()
                            .serialize("journal", CHANGES.deserializer().deserialize("journal", change));
                }
                out.write(change, 1, change.length - 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The encoding of a change ({@link #changes()}) from its two sides' encodings by {@link #facts()}, null for a
     * side without facts: the same bytes as the change encoded whole, without encoding the facts again.
     */
    static byte[] change(
            byte[] beforeFacts,
            byte[] afterFacts,
            Set<FunnelDimension> beforeCohorts,
            Set<FunnelDimension> afterCohorts) {
        UnlockedBytesOut bytes = new UnlockedBytesOut(
                8 + (beforeFacts == null ? 0 : beforeFacts.length) + (afterFacts == null ? 0 : afterFacts.length));
        bytes.write(CHANGE_FORMAT);
        writeOptionalFacts(bytes, beforeFacts);
        writeOptionalFacts(bytes, afterFacts);
        bytes.write(FactsChange.bitsOf(beforeCohorts));
        bytes.write(FactsChange.bitsOf(afterCohorts));
        return bytes.toByteArray();
    }

    /** What {@link #writeOptionalFacts(DataOutputStream, CustomerFacts)} writes, from the facts' encoding. */
    private static void writeOptionalFacts(UnlockedBytesOut out, byte[] facts) {
        if (facts == null) {
            out.write(0);
            return;
        }
        // Facts have had one format; a second one would have to be read and written in it here.
        if (facts[0] != FORMAT) {
            throw new SerializationException("Unknown funnel facts format " + facts[0]);
        }
        out.write(1);
        out.write(facts, 1, facts.length - 1);
    }

    private static void writeChange(DataOutputStream out, FactsChange change) throws IOException {
        writeOptionalFacts(out, change.before());
        writeOptionalFacts(out, change.after());
        out.writeByte(FactsChange.bitsOf(change.beforeCohorts()));
        out.writeByte(FactsChange.bitsOf(change.afterCohorts()));
    }

    private static FactsChange readChange(DataInputStream in, byte format) throws IOException {
        CustomerFacts before = readOptionalFacts(in);
        CustomerFacts after = readOptionalFacts(in);
        if (format < CHANGE_FORMAT) {
            return new FactsChange(before, after, FactsChange.EVERY_DIMENSION);
        }
        Set<FunnelDimension> beforeCohorts = FactsChange.dimensionsOf(in.readUnsignedByte());
        return new FactsChange(before, after, beforeCohorts, FactsChange.dimensionsOf(in.readUnsignedByte()));
    }

    /** Where the funnel's journal stands: next record and change number, changes emitted to each kind. */
    static Serde<FigureJournal.Position> journalPositions() {
        return serde(
                POSITION_FORMAT,
                (out, position) -> {
                    ByteUtils.writeVarlong(position.nextRecord(), out);
                    ByteUtils.writeVarlong(position.nextChange(), out);
                    ByteUtils.writeVarlong(position.emittedSnapshotChanges(), out);
                    ByteUtils.writeVarlong(position.emittedCohortChanges(), out);
                },
                (in, format) -> {
                    long nextRecord = ByteUtils.readVarlong(in);
                    long nextChange = ByteUtils.readVarlong(in);
                    long emittedSnapshots = ByteUtils.readVarlong(in);
                    long emittedCohorts = format >= POSITION_FORMAT ? ByteUtils.readVarlong(in) : emittedSnapshots;
                    return new FigureJournal.Position(nextRecord, nextChange, emittedSnapshots, emittedCohorts);
                });
    }

    /** A list of figure keys (a chunk of the set of figures not yet emitted). */
    static Serde<List<String>> figureKeys() {
        return serde(
                FORMAT,
                (out, keys) -> {
                    out.writeInt(keys.size());
                    for (String key : keys) {
                        out.writeUTF(key);
                    }
                },
                (in, format) -> {
                    int count = in.readInt();
                    List<String> keys = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        keys.add(in.readUTF());
                    }
                    return keys;
                });
    }

    private static void writeFacts(DataOutputStream out, CustomerFacts facts) throws IOException {
        out.writeUTF(facts.tenant());
        out.writeUTF(facts.customerId());
        out.writeLong(facts.version());
        out.writeUTF(facts.stage());
        out.writeBoolean(facts.amountCents() != null);
        if (facts.amountCents() != null) {
            out.writeLong(facts.amountCents());
        }
        writeOptional(out, facts.owner());
        writeOptional(out, facts.team());
        writeOptional(out, facts.source());
        writeOptional(out, facts.campaign());
        out.writeLong(facts.firstLeadAt());
        out.writeUTF(facts.zone());
        out.writeInt(facts.visits().size());
        for (Visit visit : facts.visits()) {
            out.writeUTF(visit.stage());
            out.writeLong(visit.enteredAt());
        }
    }

    private static CustomerFacts readFacts(DataInputStream in) throws IOException {
        String tenant = in.readUTF();
        String customerId = in.readUTF();
        long version = in.readLong();
        String stage = in.readUTF();
        Long amountCents = in.readBoolean() ? in.readLong() : null;
        String owner = readOptional(in);
        String team = readOptional(in);
        String source = readOptional(in);
        String campaign = readOptional(in);
        long firstLeadAt = in.readLong();
        String zone = in.readUTF();
        int visitCount = in.readInt();
        List<Visit> visits = new ArrayList<>(visitCount);
        for (int i = 0; i < visitCount; i++) {
            visits.add(new Visit(in.readUTF(), in.readLong()));
        }
        return new CustomerFacts(
                tenant,
                customerId,
                version,
                stage,
                amountCents,
                owner,
                team,
                source,
                campaign,
                firstLeadAt,
                zone,
                visits);
    }

    private static void writeOptionalFacts(DataOutputStream out, CustomerFacts facts) throws IOException {
        out.writeBoolean(facts != null);
        if (facts != null) {
            writeFacts(out, facts);
        }
    }

    private static CustomerFacts readOptionalFacts(DataInputStream in) throws IOException {
        return in.readBoolean() ? readFacts(in) : null;
    }

    /**
     * Format 2: varints throughout and UTF-8 strings (a busy figure, written at every commit, has a hundred
     * paths and thousands of stay buckets); buckets ascend, so each is written as its distance from the
     * previous one, a byte or two.
     */
    private static void writeFigure(DataOutputStream out, FigureBook.Figure figure) throws IOException {
        // Format 3: the journal position first; a figure nobody counts in any more is written empty.
        ByteUtils.writeVarlong(figure.appliedThrough(), out);
        FigureState state = figure.state == null ? new FigureState() : figure.state;
        out.writeLong(state.updatedAt);
        ByteUtils.writeVarint(state.cells.size(), out);
        for (var cell : state.cells.entrySet()) {
            writeString(out, cell.getKey());
            ByteUtils.writeVarlong(cell.getValue().count, out);
            ByteUtils.writeVarlong(cell.getValue().amountCents, out);
        }
        ByteUtils.writeVarint(state.paths.size(), out);
        for (var path : state.paths.entrySet()) {
            writeString(out, path.getKey());
            ByteUtils.writeVarlong(path.getValue(), out);
        }
        ByteUtils.writeVarint(figure.stays.size(), out);
        for (var stage : figure.stays.entrySet()) {
            writeString(out, stage.getKey());
            StageStays stays = stage.getValue();
            ByteUtils.writeVarint(stays.size(), out);
            long previous = 0;
            for (int i = 0; i < stays.size(); i++) {
                ByteUtils.writeVarlong(stays.bucket(i) - previous, out);
                ByteUtils.writeVarlong(stays.count(i), out);
                previous = stays.bucket(i);
            }
        }
    }

    private static FigureBook.Figure readFigure(DataInputStream in, byte format) throws IOException {
        if (format == 1) {
            FigureBook.Figure figure = new FigureBook.Figure(readFigureSums(in));
            figure.staysKeptApart = true;
            return figure;
        }
        long appliedThrough = format >= 3 ? ByteUtils.readVarlong(in) : FigureBook.NOT_JOURNALED;
        long updatedAt = in.readLong();
        int cellCount = ByteUtils.readVarint(in);
        Map<String, FigureState.Cell> cells = new HashMap<>();
        for (int i = 0; i < cellCount; i++) {
            cells.put(
                    Names.canonical(readString(in)),
                    new FigureState.Cell(ByteUtils.readVarlong(in), ByteUtils.readVarlong(in)));
        }
        int pathCount = ByteUtils.readVarint(in);
        Map<String, Long> paths = new HashMap<>(Math.max(16, pathCount * 2));
        for (int i = 0; i < pathCount; i++) {
            paths.put(Names.canonical(readString(in)), ByteUtils.readVarlong(in));
        }
        FigureState state = new FigureState(cells, paths, updatedAt);
        FigureBook.Figure figure = new FigureBook.Figure(state.isEmpty() ? null : state);
        figure.appliedThrough = appliedThrough;
        int stageCount = ByteUtils.readVarint(in);
        for (int i = 0; i < stageCount; i++) {
            StageStays stays = new StageStays();
            figure.stays.put(Names.canonical(readString(in)), stays);
            int bucketCount = ByteUtils.readVarint(in);
            long bucket = 0;
            for (int b = 0; b < bucketCount; b++) {
                bucket += ByteUtils.readVarlong(in);
                stays.add(bucket, ByteUtils.readVarlong(in));
            }
        }
        return figure;
    }

    /** A figure's sums in format 1, which held nothing else. */
    private static FigureState readFigureSums(DataInputStream in) throws IOException {
        long updatedAt = in.readLong();
        int cellCount = in.readInt();
        Map<String, FigureState.Cell> cells = new HashMap<>();
        for (int i = 0; i < cellCount; i++) {
            cells.put(in.readUTF(), new FigureState.Cell(in.readLong(), in.readLong()));
        }
        int pathCount = in.readInt();
        Map<String, Long> paths = new HashMap<>();
        for (int i = 0; i < pathCount; i++) {
            paths.put(in.readUTF(), in.readLong());
        }
        return new FigureState(cells, paths, updatedAt);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ByteUtils.writeVarint(bytes.length, out);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[ByteUtils.readVarint(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeOptional(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    private interface Reader<T> {
        /** Reads a value written in {@code format}, this serde's or an earlier one. */
        T read(DataInputStream in, byte format) throws IOException;
    }

    /** A serde writing {@code format} and reading it and every earlier one. */
    private static <T> Serde<T> serde(byte format, Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            UnlockedBytesOut bytes = new UnlockedBytesOut();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(format);
                writer.write(out, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        return Serdes.serdeFrom(serializer, deserializer(format, reader));
    }

    /** A deserializer reading {@code format} and every earlier one. */
    private static <T> Deserializer<T> deserializer(byte format, Reader<T> reader) {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new UnlockedBytesIn(data))) {
                byte written = in.readByte();
                if (written < 1 || written > format) {
                    throw new SerializationException("Unknown funnel state format " + written + " on " + topic);
                }
                return reader.read(in, written);
            } catch (IOException e) {
                throw new SerializationException("Unreadable funnel state on " + topic, e);
            }
        };
    }

    /**
     * A {@link ByteArrayOutputStream} without its locks (each value is written by one thread into a stream
     * of its own): a figure's stays are written a byte or two at a time, thousands per busy figure.
     */
    private static final class UnlockedBytesOut extends ByteArrayOutputStream {

        UnlockedBytesOut() {
            this(256);
        }

        UnlockedBytesOut(int size) {
            super(size);
        }

        @Override
        public void write(int b) {
            ensureCapacity(count + 1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            ensureCapacity(count + length);
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        private void ensureCapacity(int capacity) {
            if (capacity > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, capacity));
            }
        }
    }

    /** A {@link ByteArrayInputStream} without its locks, for the same reason. */
    private static final class UnlockedBytesIn extends ByteArrayInputStream {

        UnlockedBytesIn(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int read() {
            return pos < count ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (pos >= count) {
                return -1;
            }
            int read = Math.min(length, count - pos);
            System.arraycopy(buf, pos, bytes, offset, read);
            pos += read;
            return read;
        }
    }
}
