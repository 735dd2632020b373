package io.leadflow.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type, in Avro single-object encoding: marker {@code C3
 * 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint (little-endian), then the binary body.
 *
 * <p>It writes the current schema and reads any version kept in {@link SchemaHistory}, resolving it
 * to the current schema, so records written before a compatible schema change stay readable. A
 * {@code null} value is a tombstone and maps to {@code null} bytes both ways. Bytes it cannot read
 * (bad marker, unknown fingerprint, corrupt body) raise a {@link SerializationException} naming the
 * topic and the problem, so the caller can dead-letter the record.
 *
 * <p>Instances are immutable and thread-safe: the encoder and decoder are per thread, and the datum
 * readers of every kept version are built once. They need no JVM-wide Avro class trust (see {@link
 * TrustedSpecificData}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** The single-object encoding marker, {@code C3 01}. */
    static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};

    /** Marker plus fingerprint. */
    static final int HEADER_LENGTH = MARKER.length + Long.BYTES;

    private final Class<T> type;
    private final Schema schema;
    private final List<Schema> writerSchemas;
    private final SpecificData model;
    private final byte[] header;
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    private AvroSerde(Class<T> type, List<Schema> writerSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        this.schema = SchemaHistory.currentSchema(type);
        this.writerSchemas = writerSchemas;
        this.model = new TrustedSpecificData(type);
        this.header = ByteBuffer.allocate(HEADER_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(MARKER)
                .putLong(SchemaHistory.fingerprint(schema))
                .array();
        this.serializer = new AvroSerializer<>(type, header, new SpecificDatumWriter<>(schema, model));
        this.deserializer = new AvroDeserializer<>(type.getSimpleName(), schema, schema, writerSchemas, model);
    }

    /**
     * A serde for {@code type} that reads every version kept in {@link SchemaHistory}.
     *
     * @throws IllegalStateException if no version of the record is kept, as every record written to
     *     Kafka must stay readable after the next schema change
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        List<Schema> kept = SchemaHistory.versions(type);
        if (kept.isEmpty()) {
            throw new IllegalStateException("No schema history for " + type.getName() + "; add "
                    + SchemaHistory.resourcePath(
                            SchemaHistory.currentSchema(type).getName(), 1));
        }
        return new AvroSerde<>(type, kept);
    }

    /** A serde that reads exactly the given writer schemas (and the current one); for tests. */
    static <T extends SpecificRecord> AvroSerde<T> withWriterSchemas(Class<T> type, List<Schema> writerSchemas) {
        return new AvroSerde<>(type, List.copyOf(writerSchemas));
    }

    /** The record class this serde reads and writes. */
    public Class<T> type() {
        return type;
    }

    /** The schema this serde writes and resolves every kept version to. */
    public Schema schema() {
        return schema;
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    /**
     * Encodes {@code data} as {@link #serializer()} does, but copies in {@code partEncoded}, the encoding of {@code
     * part} (a record inside {@code data}) by that record's own serde, instead of encoding {@code part} again. Avro's
     * binary encoding of a record is its fields' encodings one after the other, so the bytes are exactly the
     * serializer's; only the work is saved, e.g. for a command result carrying the snapshot just encoded for the
     * customers topic.
     *
     * @throws SerializationException as the serializer does, or if {@code partEncoded} was written with another
     *     schema than the one {@code data}'s schema holds for {@code part}
     */
    public byte[] serializeWith(T data, SpecificRecord part, byte[] partEncoded) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + partEncoded.length);
            out.write(header);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SplicingWriter<T>(schema, model, part, partEncoded).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + type.getSimpleName() + " with a pre-encoded part: " + e.getMessage(), e);
        }
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /**
     * A deserializer that reads only {@code fields} of the records {@link #deserializer()} reads, as generic records
     * of the {@link #projected(Set) projected} schema: Avro's resolving reader skips the other fields' bytes instead
     * of building their values, which for a reader of a few fields of a large record is most of the work. Every kept
     * version is read, as by {@link #deserializer()}, with the same errors. Strings are {@link String}s, timestamps
     * {@code long} milliseconds and decimals their two's-complement bytes (no logical-type conversion).
     *
     * @throws IllegalArgumentException if a name in {@code fields} is not a field of the current schema
     */
    public Deserializer<GenericRecord> projection(Set<String> fields) {
        return new AvroDeserializer<>(
                type.getSimpleName(), projected(fields), schema, writerSchemas, new GenericData());
    }

    /**
     * The current schema cut down to {@code fields}, each declared exactly as there (type, default, order), under
     * the same record name, so every kept version resolves to it.
     *
     * @throws IllegalArgumentException if a name in {@code fields} is not a field of the current schema
     */
    public Schema projected(Set<String> fields) {
        for (String field : fields) {
            if (schema.getField(field) == null) {
                throw new IllegalArgumentException(schema.getName() + " has no field '" + field + "'");
            }
        }
        List<Schema.Field> kept = new ArrayList<>(fields.size());
        for (Schema.Field field : schema.getFields()) {
            if (fields.contains(field.name())) {
                kept.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    @Override
    public String toString() {
        return "AvroSerde[" + type.getSimpleName() + "]";
    }

    /**
     * Writes the header and the body into a buffer of its thread through Avro's buffered encoder: the bytes
     * {@link BinaryMessageEncoder} writes, without its byte-at-a-time writes to a synchronized stream and its
     * two copies of every record.
     */
    private record AvroSerializer<T extends SpecificRecord>(Class<T> type, byte[] header, DatumWriter<T> writer)
            implements Serializer<T> {

        private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

        @Override
        public byte[] serialize(String topic, T data) {
            if (data == null) {
                return null;
            }
            Scratch scratch = SCRATCH.get();
            // A record encoded while this thread encodes another (never by LeadFlow's own types) gets its own.
            Scratch used = scratch.inUse ? new Scratch() : scratch;
            used.inUse = true;
            try {
                used.buffer.write(header);
                used.encoder = EncoderFactory.get().binaryEncoder(used.buffer, used.encoder);
                writer.write(data, used.encoder);
                used.encoder.flush();
                return used.buffer.toByteArray();
            } catch (IOException | RuntimeException e) {
                // The encoder may still buffer part of this record, which it would write into the next one.
                used.encoder = null;
                // Typically a required field left null or a decimal with the wrong scale.
                throw new SerializationException(
                        "Cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
            } finally {
                used.buffer.reset();
                used.inUse = false;
            }
        }
    }

    /** One thread's buffer and encoder, reused for every record it encodes. */
    private static final class Scratch {
        final Buffer buffer = new Buffer();
        BinaryEncoder encoder;
        boolean inUse;
    }

    /**
     * A growable byte buffer for one thread: unlike {@link ByteArrayOutputStream}, not synchronized, and it
     * gives back the room a rare large record took.
     */
    static final class Buffer extends OutputStream {

        private static final int INITIAL = 1024;
        private static final int KEPT = 1 << 20;

        private byte[] bytes = new byte[INITIAL];
        private int size;

        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, source.length);
            room(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        void reset() {
            size = 0;
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
        }

        private void room(int more) {
            if (more > bytes.length - size) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }
    }

    /** Writes {@code part}, wherever it occurs, as its given encoding's body. */
    private static final class SplicingWriter<T> extends SpecificDatumWriter<T> {

        /** Fingerprints of the record schemas parts were written with, by schema instance. */
        private static final Map<Schema, Long> FINGERPRINTS = new ConcurrentHashMap<>();

        private final String rootName;
        private final SpecificRecord part;
        private final byte[] partEncoded;

        SplicingWriter(Schema schema, SpecificData model, SpecificRecord part, byte[] partEncoded) {
            super(schema, model);
            this.rootName = schema.getName();
            this.part = Objects.requireNonNull(part, "part");
            this.partEncoded = Objects.requireNonNull(partEncoded, "partEncoded");
        }

        @Override
        protected void writeRecord(Schema recordSchema, Object datum, Encoder out) throws IOException {
            if (datum != part) {
                super.writeRecord(recordSchema, datum, out);
                return;
            }
            long expected = FINGERPRINTS.computeIfAbsent(recordSchema, SchemaHistory::fingerprint);
            if (partEncoded.length < HEADER_LENGTH
                    || partEncoded[0] != MARKER[0]
                    || partEncoded[1] != MARKER[1]
                    || AvroDeserializer.fingerprintOf(partEncoded) != expected) {
                throw new SerializationException("the pre-encoded " + recordSchema.getName()
                        + " was not written with the schema " + rootName + " holds for it");
            }
            out.writeFixed(partEncoded, HEADER_LENGTH, partEncoded.length - HEADER_LENGTH);
        }
    }

    /**
     * Reads single-object encoding straight from the bytes: the writer schema is found by the header's fingerprint
     * among the kept versions, and the body is read by Avro's buffered decoder over the array, resolved to the
     * current schema by the datum reader Avro's {@link BinaryMessageDecoder} would use. That decoder reads the body
     * through a {@code ByteArrayInputStream} one synchronized call per byte.
     */
    private static final class AvroDeserializer<T> implements Deserializer<T> {

        /** One decoder per thread, pointed at each record's bytes in turn; reading a record calls no other serde. */
        private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

        private final String typeName;
        private final long[] fingerprints;
        private final List<DatumReader<T>> readers;

        /** Reads records written with {@code current} or any of {@code writerSchemas} as {@code reader}. */
        AvroDeserializer(
                String typeName, Schema reader, Schema current, List<Schema> writerSchemas, GenericData model) {
            this.typeName = typeName;
            Map<Long, Schema> writers = new LinkedHashMap<>();
            writers.put(SchemaHistory.fingerprint(current), current);
            writerSchemas.forEach(writer -> writers.putIfAbsent(SchemaHistory.fingerprint(writer), writer));
            this.fingerprints =
                    writers.keySet().stream().mapToLong(Long::longValue).toArray();
            List<DatumReader<T>> byWriter = new ArrayList<>();
            for (Schema writer : writers.values()) {
                @SuppressWarnings("unchecked")
                DatumReader<T> datumReader = (DatumReader<T>) model.createDatumReader(writer, reader);
                byWriter.add(datumReader);
            }
            this.readers = List.copyOf(byWriter);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            String what = "Cannot decode " + typeName + " from topic " + topic + ": ";
            if (data.length < HEADER_LENGTH) {
                throw new SerializationException(what + "bad single-object header, " + data.length
                        + " bytes are fewer than the " + HEADER_LENGTH + "-byte header");
            }
            if (data[0] != MARKER[0] || data[1] != MARKER[1]) {
                throw new SerializationException(what + "bad single-object marker "
                        + HexFormat.of().formatHex(data, 0, MARKER.length) + ", expected c301");
            }
            DatumReader<T> reader = readerOf(fingerprintOf(data));
            if (reader == null) {
                throw new SerializationException(what + "unknown schema fingerprint "
                        + SchemaHistory.fingerprintHex(fingerprintOf(data)) + "; no kept version of "
                        + typeName + " has it");
            }
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, DECODERS.get());
            DECODERS.set(decoder);
            try {
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException(what + "corrupt body: " + e, e);
            }
        }

        private DatumReader<T> readerOf(long fingerprint) {
            for (int i = 0; i < fingerprints.length; i++) {
                if (fingerprints[i] == fingerprint) {
                    return readers.get(i);
                }
            }
            return null;
        }

        private static long fingerprintOf(byte[] data) {
            return ByteBuffer.wrap(data, MARKER.length, Long.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
        }
    }
}
