package io.leadflow.processor.funnel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serdes of the funnel's internal state and repartition records. They never leave the
 * processor's own stores and internal topics; each starts with a format byte so a later format can still
 * read the current one.
 */
final class FunnelSerdes {

    private static final byte FORMAT = 1;

    private FunnelSerdes() {}

    static Serde<CustomerFacts> facts() {
        return serde(FunnelSerdes::writeFacts, FunnelSerdes::readFacts);
    }

    static Serde<FactsChange> changes() {
        return serde(
                (out, change) -> {
                    writeOptionalFacts(out, change.before());
                    writeOptionalFacts(out, change.after());
                },
                in -> new FactsChange(readOptionalFacts(in), readOptionalFacts(in)));
    }

    static Serde<FigureState> figures() {
        return serde(FunnelSerdes::writeFigure, FunnelSerdes::readFigure);
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

    private static void writeFigure(DataOutputStream out, FigureState figure) throws IOException {
        out.writeLong(figure.updatedAt);
        out.writeInt(figure.cells.size());
        for (var cell : figure.cells.entrySet()) {
            out.writeUTF(cell.getKey());
            out.writeLong(cell.getValue().count);
            out.writeLong(cell.getValue().amountCents);
        }
        out.writeInt(figure.paths.size());
        for (var path : figure.paths.entrySet()) {
            out.writeUTF(path.getKey());
            out.writeLong(path.getValue());
        }
    }

    private static FigureState readFigure(DataInputStream in) throws IOException {
        long updatedAt = in.readLong();
        int cellCount = in.readInt();
        TreeMap<String, FigureState.Cell> cells = new TreeMap<>();
        for (int i = 0; i < cellCount; i++) {
            cells.put(in.readUTF(), new FigureState.Cell(in.readLong(), in.readLong()));
        }
        int pathCount = in.readInt();
        TreeMap<String, Long> paths = new TreeMap<>();
        for (int i = 0; i < pathCount; i++) {
            paths.put(in.readUTF(), in.readLong());
        }
        return new FigureState(cells, paths, updatedAt);
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
        T read(DataInputStream in) throws IOException;
    }

    private static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writer.write(out, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        Deserializer<T> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new SerializationException("Unknown funnel state format " + format + " on " + topic);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("Unreadable funnel state on " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
