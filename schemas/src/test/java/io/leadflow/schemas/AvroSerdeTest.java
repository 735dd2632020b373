package io.leadflow.schemas;

import static io.leadflow.schemas.Fixtures.aCommand;
import static io.leadflow.schemas.Fixtures.aCustomer;
import static io.leadflow.schemas.Fixtures.aLead;
import static io.leadflow.schemas.Fixtures.anActivity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.Assign;
import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.Lock;
import io.leadflow.avro.Merge;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.Release;
import io.leadflow.avro.StageVisit;
import io.leadflow.avro.Transfer;
import io.leadflow.avro.Unlock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private static final String TOPIC = "leadflow.leads.v1";

    private final AvroSerde<Lead> leads = AvroSerde.of(Lead.class);

    @Test
    void roundTripsALeadWithNestedRecordsAndAttributes() {
        Lead lead = aLead().build();

        Lead back = leads.deserializer().deserialize(TOPIC, leads.serializer().serialize(TOPIC, lead));

        assertThat(back).isEqualTo(lead);
    }

    @Test
    void roundTripsDecimalAmountsAndInstantsOfACustomerSnapshot() {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        CustomerSnapshot customer = aCustomer().build();

        CustomerSnapshot back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", customer));

        assertThat(back).isEqualTo(customer);
        assertThat(back.getAmount()).isEqualByComparingTo(new BigDecimal("120000.50"));
        assertThat(back.getStage()).isEqualTo("NEW");
        assertThat(back.getLocked()).isFalse();
        assertThat(back.getReturnDeadline()).isEqualTo(customer.getReturnDeadline());
    }

    @Test
    void roundTripsACommandResultThatCarriesASnapshot() {
        AvroSerde<CommandResult> serde = AvroSerde.of(CommandResult.class);
        CommandResult result = Fixtures.aRefusal();

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", result)))
                .isEqualTo(result);
    }

    static Stream<Object> commandPayloads() {
        return Stream.of(
                new Claim(),
                new Release("too far away"),
                new Assign("u-18", false),
                new Transfer("u-17", "u-18", true),
                new Lock("key account"),
                new Unlock(),
                new Merge("c-1", "c-2"),
                new CheckDuplicate("星云科技", null, "wang.wei@example.cn", null, null));
    }

    @ParameterizedTest
    @MethodSource("commandPayloads")
    void roundTripsEveryKindOfPoolCommandPayload(Object payload) {
        AvroSerde<PoolCommand> serde = AvroSerde.of(PoolCommand.class);
        PoolCommand command = aCommand(payload);

        PoolCommand back =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", command));

        assertThat(back).isEqualTo(command);
        assertThat(back.getPayload()).isInstanceOf(payload.getClass());
    }

    @Test
    void writesSingleObjectEncodingMarkerAndCurrentFingerprint() {
        byte[] bytes = leads.serializer().serialize(TOPIC, aLead().build());

        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaHistory.fingerprint(Lead.getClassSchema()));
    }

    @Test
    void aRecordWithAPreEncodedPartIsTheSameBytesAsEncodedWhole() {
        AvroSerde<CustomerSnapshot> customers = AvroSerde.of(CustomerSnapshot.class);
        AvroSerde<CommandResult> results = AvroSerde.of(CommandResult.class);
        CommandResult result = Fixtures.aRefusal();
        byte[] snapshot = customers.serializer().serialize(TOPIC, result.getSnapshot());

        byte[] spliced = results.serializeWith(result, result.getSnapshot(), snapshot);

        assertThat(spliced).isEqualTo(results.serializer().serialize(TOPIC, result));
    }

    @Test
    void aPreEncodedPartIsUsedOnlyForThatVeryRecord() {
        AvroSerde<CustomerSnapshot> customers = AvroSerde.of(CustomerSnapshot.class);
        AvroSerde<CommandResult> results = AvroSerde.of(CommandResult.class);
        CommandResult result = Fixtures.aRefusal();
        CustomerSnapshot other = aCustomer().setOwner("someone else").build();

        byte[] spliced =
                results.serializeWith(result, other, customers.serializer().serialize(TOPIC, other));

        assertThat(spliced).isEqualTo(results.serializer().serialize(TOPIC, result));
    }

    @Test
    void refusesAPartEncodedWithAnotherSchema() {
        AvroSerde<CommandResult> results = AvroSerde.of(CommandResult.class);
        CommandResult result = Fixtures.aRefusal();
        byte[] notASnapshot = leads.serializer().serialize(TOPIC, aLead().build());

        assertThatThrownBy(() -> results.serializeWith(result, result.getSnapshot(), notASnapshot))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("CustomerSnapshot");
    }

    @Test
    void needsNoJvmWideAvroClassTrust() {
        CommandResult result = Fixtures.aRefusal(); // builders with array defaults need trust themselves
        ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
        try {
            AvroSerde<CommandResult> serde = AvroSerde.of(CommandResult.class);

            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", result)))
                    .isEqualTo(result);
        } finally {
            ClassSecurityValidator.setGlobal(before);
        }
    }

    @Test
    void mapsTombstonesToNullBothWays() {
        assertThat(leads.serializer().serialize(TOPIC, null)).isNull();
        assertThat(leads.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void readsARecordWrittenWithAnOlderSchemaAndFillsTheDefaults() throws IOException {
        Schema old = oldLeadSchema();
        GenericRecord written = new GenericRecordBuilder(old)
                .set("leadId", "lead-0")
                .set("tenant", "acme")
                .set("sourceSystem", "crm-web")
                .set("source", "web-form")
                .set("campaign", null)
                .set("company", null)
                .set("contact", null)
                .set("receivedAt", Fixtures.NOW.toEpochMilli())
                .build();
        byte[] bytes = encode(old, written);
        List<Schema> writers = new ArrayList<>(SchemaHistory.versions(Lead.class));
        writers.add(old);

        Lead read =
                AvroSerde.withWriterSchemas(Lead.class, writers).deserializer().deserialize(TOPIC, bytes);

        assertThat(read.getLeadId()).isEqualTo("lead-0");
        assertThat(read.getReceivedAt()).isEqualTo(Fixtures.NOW);
        assertThat(read.getIntendedOwner()).isNull();
        assertThat(read.getLevel()).isNull();
        assertThat(read.getAttributes()).isEmpty();
    }

    private static final Set<String> FUNNEL_FIELDS =
            Set.of("tenant", "version", "owner", "amount", "firstLeadAt", "stageEnteredAt", "stageHistory");

    @Test
    void aProjectionReadsOnlyItsFieldsAndReadsThemAsAvroReadsTheWholeRecord() throws IOException {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        CustomerSnapshot customer = aCustomer()
                .setStage("CONTACTED")
                .setStageEnteredAt(Fixtures.NOW.plusSeconds(30))
                .setStageHistory(List.of(
                        new StageVisit("NEW", Fixtures.NOW), new StageVisit("CONTACTED", Fixtures.NOW.plusSeconds(30))))
                .build();
        byte[] bytes = serde.serializer().serialize("t", customer);

        GenericRecord projected = serde.projection(FUNNEL_FIELDS).deserialize("t", bytes);

        assertThat(projected.getSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactlyInAnyOrderElementsOf(FUNNEL_FIELDS);
        assertThat(projected.get("tenant")).isEqualTo("acme");
        assertThat(projected.get("owner")).isEqualTo("u-17");
        assertThat(projected.get("firstLeadAt")).isEqualTo(Fixtures.NOW.toEpochMilli());
        ByteBuffer amount = (ByteBuffer) projected.get("amount");
        byte[] unscaled = new byte[amount.remaining()];
        amount.duplicate().get(unscaled);
        assertThat(new BigDecimal(new BigInteger(unscaled), 2)).isEqualTo(new BigDecimal("120000.50"));
        assertThat((List<?>) projected.get("stageHistory"))
                .extracting(visit -> ((GenericRecord) visit).get("stage"))
                .containsExactly("NEW", "CONTACTED");
        assertProjectedAsWhole(serde.schema(), bytes, projected);
    }

    @Test
    void aProjectionReadsEveryKeptVersionAndFillsTheDefaults() throws IOException {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        byte[] current = serde.serializer().serialize("t", aCustomer().build());
        List<Schema> kept = SchemaHistory.versions(CustomerSnapshot.class);
        assertThat(kept).hasSizeGreaterThan(1);

        for (Schema writer : kept) {
            // The same customer as that version wrote it: Avro's resolution from the current schema drops the rest.
            GenericRecord asWritten = new GenericDatumReader<GenericRecord>(serde.schema(), writer)
                    .read(
                            null,
                            DecoderFactory.get()
                                    .binaryDecoder(
                                            current,
                                            AvroSerde.HEADER_LENGTH,
                                            current.length - AvroSerde.HEADER_LENGTH,
                                            null));
            byte[] bytes = encode(writer, asWritten);

            GenericRecord projected = serde.projection(FUNNEL_FIELDS).deserialize("t", bytes);

            assertThat(projected.get("tenant"))
                    .as("tenant written by %s", writer)
                    .isEqualTo("acme");
            assertProjectedAsWhole(writer, bytes, projected);
        }
    }

    @Test
    void aProjectionRefusesWhatTheDeserializerRefuses() {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        byte[] bytes = serde.serializer().serialize("t", aCustomer().build());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);
        byte[] unmarked = bytes.clone();
        unmarked[0] = 0x00;

        assertThatThrownBy(() -> serde.projection(FUNNEL_FIELDS).deserialize("leadflow.customers.v1", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("CustomerSnapshot")
                .hasMessageContaining("leadflow.customers.v1")
                .hasMessageContaining("corrupt body");
        assertThatThrownBy(() -> serde.projection(FUNNEL_FIELDS).deserialize("leadflow.customers.v1", unmarked))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bad single-object marker");
        assertThat(serde.projection(FUNNEL_FIELDS).deserialize("leadflow.customers.v1", null))
                .isNull();
    }

    @Test
    void aProjectionOfAFieldTheRecordDoesNotHaveIsRefused() {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);

        assertThatThrownBy(() -> serde.projection(Set.of("tenant", "stageHistroy")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CustomerSnapshot has no field 'stageHistroy'");
    }

    /** Every projected field is what Avro's generic reader makes of it reading the whole record as {@code writer}. */
    private static void assertProjectedAsWhole(Schema writer, byte[] bytes, GenericRecord projected)
            throws IOException {
        GenericRecord whole = new GenericDatumReader<GenericRecord>(
                        writer, SchemaHistory.currentSchema(CustomerSnapshot.class))
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(
                                        bytes, AvroSerde.HEADER_LENGTH, bytes.length - AvroSerde.HEADER_LENGTH, null));
        for (Schema.Field field : projected.getSchema().getFields()) {
            assertThat(projected.get(field.name()))
                    .as("%s written by %s", field.name(), hexOf(writer))
                    .isEqualTo(whole.get(field.name()));
        }
    }

    @Test
    void refusesARecordWhoseWriterSchemaIsNotKept() throws IOException {
        Schema old = oldLeadSchema();
        byte[] bytes = encode(
                old,
                new GenericRecordBuilder(old)
                        .set("leadId", "lead-0")
                        .set("tenant", "acme")
                        .set("sourceSystem", "crm-web")
                        .set("receivedAt", 0L)
                        .build());

        assertThatThrownBy(() -> leads.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("unknown schema fingerprint")
                .hasMessageContaining(SchemaHistory.fingerprintHex(SchemaHistory.fingerprint(old)));
    }

    @Test
    void refusesBytesWithoutTheSingleObjectMarker() {
        byte[] bytes = leads.serializer().serialize(TOPIC, aLead().build());
        bytes[0] = 0x00; // e.g. the Confluent wire format's magic byte

        assertThatThrownBy(() -> leads.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("bad single-object marker");
    }

    @Test
    void refusesBytesShorterThanTheHeader() {
        assertThatThrownBy(() -> leads.deserializer().deserialize(TOPIC, new byte[] {(byte) 0xC3, 0x01, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("header");
    }

    @Test
    void refusesATruncatedBody() {
        byte[] bytes = leads.serializer().serialize(TOPIC, aLead().build());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);

        assertThatThrownBy(() -> leads.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("corrupt body");
    }

    @Test
    void refusesToWriteAnAmountWithMoreThanTwoDecimals() {
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        CustomerSnapshot customer =
                aCustomer().setAmount(new BigDecimal("1.005")).build();

        assertThatThrownBy(() -> serde.serializer().serialize("leadflow.customers.v1", customer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("leadflow.customers.v1");
    }

    @Test
    void refusesToWriteARecordWithARequiredFieldMissing() {
        Lead lead = aLead().build();
        lead.setTenant(null);

        assertThatThrownBy(() -> leads.serializer().serialize(TOPIC, lead))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC);
    }

    static Stream<SpecificRecord> recordsOfEveryShape() {
        Map<String, String> large = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            large.put("attribute-" + i, "星云科技 value " + i + " ".repeat(40));
        }
        return Stream.of(
                aLead().build(),
                aLead().setAttributes(large).build(),
                aCustomer().build(),
                Fixtures.aRefusal(),
                aCommand(new Merge("c-1", "c-2")),
                anActivity());
    }

    @ParameterizedTest
    @MethodSource("recordsOfEveryShape")
    void writesTheBytesAvrosOwnMessageEncoderWrites(SpecificRecord record) throws IOException {
        assertThat(serialize(record)).isEqualTo(encodedByAvro(record));
        // Twice: the second time on the buffer the first one used (and, for the large one, gave back).
        assertThat(serialize(record)).isEqualTo(encodedByAvro(record));
    }

    @Test
    void aRecordThatFailedToEncodeLeavesNothingBehindForTheNext() throws IOException {
        Lead broken = aLead().build();
        broken.setTenant(null);
        assertThatThrownBy(() -> leads.serializer().serialize(TOPIC, broken))
                .isInstanceOf(SerializationException.class);

        Lead lead = aLead().build();

        assertThat(leads.serializer().serialize(TOPIC, lead)).isEqualTo(encodedByAvro(lead));
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] serialize(T record) {
        AvroSerde<T> serde = AvroSerde.of((Class<T>) record.getClass());
        return serde.serializer().serialize(TOPIC, record);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encodedByAvro(T record) throws IOException {
        Class<T> type = (Class<T>) record.getClass();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<T>(new TrustedSpecificData(type), record.getSchema()).encode(record, out);
        return out.toByteArray();
    }

    @Test
    void encodesAndDecodesConcurrentlyFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = IntStream.range(0, 400)
                    .mapToObj(i -> pool.submit(() -> {
                        Lead lead = aLead().setLeadId("lead-" + i)
                                .setAttributes(Map.of("i", Integer.toString(i)))
                                .build();
                        byte[] bytes = leads.serializer().serialize(TOPIC, lead);
                        return leads.deserializer().deserialize(TOPIC, bytes).equals(lead);
                    }))
                    .toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String hexOf(Schema writer) {
        return SchemaHistory.fingerprintHex(SchemaHistory.fingerprint(writer));
    }

    private static Schema oldLeadSchema() throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/old-schemas/Lead-v0.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record, out);
        return out.toByteArray();
    }
}
