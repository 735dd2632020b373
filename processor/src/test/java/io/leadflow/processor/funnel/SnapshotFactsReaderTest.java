package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.StageVisit;
import io.leadflow.schemas.SchemaHistory;
import io.leadflow.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The facts read field by field from a snapshot's bytes are those of the snapshot decoded in full. */
class SnapshotFactsReaderTest {

    private static final String ZONE = "Asia/Shanghai";
    private static final String[] STAGES = {"NEW", "CONTACTED", "QUALIFIED", "WON", "LOST", "待跟进"};

    private final SnapshotFactsReader reader = new SnapshotFactsReader();

    @Test
    void readsSnapshotsOfTheCurrentSchemaFieldByField() {
        assertThat(SnapshotFactsReader.readsFieldByField())
                .as("every field the funnel counts has the type the reader reads")
                .isTrue();
    }

    @Test
    void randomSnapshotsGiveTheFactsOfTheirFullDecoding() {
        Random random = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            CustomerSnapshot snapshot = randomSnapshot(random, i);
            byte[] bytes = encode(snapshot);

            assertThat(reader.read(bytes, tenant -> ZONE))
                    .as("snapshot %d: %s", i, snapshot)
                    .isEqualTo(fullyDecoded(bytes));
        }
    }

    @Test
    void aSnapshotOfAnOlderSchemaIsDecodedInFull() throws IOException {
        Schema v1 = SchemaHistory.versions(CustomerSnapshot.class).get(0);
        assertThat(v1.getField("stageHistory"))
                .as("v1 is the schema before stage histories")
                .isNull();
        Instant firstLead = Instant.parse("2026-10-01T08:00:00Z");
        Instant updated = Instant.parse("2026-10-05T09:30:00Z");
        GenericRecord company = withDefaults(v1.getField("company").schema())
                .set("name", "上海云杉信息技术有限公司")
                .build();
        GenericRecord written = withDefaults(v1)
                .set("tenant", "acme")
                .set("customerId", "c-old")
                .set("version", 3L)
                .set("company", company)
                .set("contacts", List.of())
                .set("matchKeys", List.of())
                .set("leadIds", List.of("lead-1"))
                .set("stage", "QUALIFIED")
                .set("amount", decimal(v1, new BigDecimal("12.30")))
                .set("owner", "bob")
                .set("firstLeadAt", firstLead.toEpochMilli())
                .set("createdAt", firstLead.toEpochMilli())
                .set("updatedAt", updated.toEpochMilli())
                .set("locked", false)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(written, out);
        byte[] bytes = out.toByteArray();

        CustomerFacts facts = reader.read(bytes, tenant -> ZONE);

        assertThat(facts).isEqualTo(fullyDecoded(bytes));
        assertThat(facts.amountCents()).isEqualTo(1_230L);
        assertThat(facts.visits()).containsExactly(new Visit("QUALIFIED", updated.toEpochMilli()));
    }

    @Test
    void aCutOffOrOverlongBodyIsRefusedAsCorrupt() {
        byte[] bytes = encode(randomSnapshot(new Random(3), 1));

        assertThatThrownBy(() -> reader.read(Arrays.copyOf(bytes, bytes.length - 5), tenant -> ZONE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt body");
        assertThatThrownBy(() -> reader.read(Arrays.copyOf(bytes, bytes.length + 2), tenant -> ZONE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes after its last field");
    }

    @Test
    void aBadHeaderIsNamedAsTheSerdeNamesIt() {
        byte[] bytes = encode(randomSnapshot(new Random(5), 2));
        bytes[0] = 0x01;

        assertThatThrownBy(() -> reader.read(bytes, tenant -> ZONE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bad single-object marker");
    }

    /** Every optional field present or absent, blank or not; amounts of every sign and size; long histories. */
    private static CustomerSnapshot randomSnapshot(Random random, int i) {
        Instant firstLead = Instant.ofEpochMilli(1_760_000_000_000L + random.nextInt(1_000_000_000));
        List<StageVisit> history = new ArrayList<>();
        long at = firstLead.toEpochMilli();
        int visits = random.nextInt(8) == 0 ? 40 : random.nextInt(5);
        for (int v = 0; v < visits; v++) {
            history.add(StageVisit.newBuilder()
                    .setStage(STAGES[random.nextInt(STAGES.length)])
                    .setEnteredAt(Instant.ofEpochMilli(at))
                    .build());
            at += random.nextInt(1_000_000_000);
        }
        return CustomerSnapshot.newBuilder()
                .setTenant(random.nextBoolean() ? "acme" : "云杉-" + random.nextInt(5))
                .setCustomerId("c-" + i)
                .setVersion(random.nextInt(3) == 0 ? Long.MAX_VALUE - i : i)
                .setCompany(Company.newBuilder()
                        .setName("上海云杉信息技术有限公司 " + i)
                        .setCreditCode(random.nextBoolean() ? null : "91310000MA1FL0000N")
                        .setWebsite(random.nextBoolean() ? null : "yunshan.example.cn")
                        .build())
                .setContacts(
                        random.nextBoolean()
                                ? List.of()
                                : List.of(
                                        Contact.newBuilder()
                                                .setName("王芳")
                                                .setMobile("+8613800138000")
                                                .build(),
                                        Contact.newBuilder()
                                                .setEmail("li@example.cn")
                                                .build()))
                .setMatchKeys(List.of(new MatchKey(MatchKeyKind.PHONE, "+86138" + i)))
                .setLeadIds(List.of("lead-" + i))
                .setSource(optional(random, "web-form"))
                .setCampaign(optional(random, "双十一"))
                .setOwner(optional(random, "bob"))
                .setTeam(optional(random, "east"))
                .setPoolId(random.nextBoolean() ? null : "default")
                .setStage(STAGES[random.nextInt(STAGES.length)])
                .setAmount(amount(random))
                .setLevel(random.nextBoolean() ? null : "A")
                .setFirstLeadAt(firstLead)
                .setCreatedAt(firstLead)
                .setUpdatedAt(Instant.ofEpochMilli(at + random.nextInt(1_000_000)))
                .setAssignedAt(random.nextBoolean() ? null : firstLead)
                .setLastFollowUpAt(random.nextBoolean() ? null : firstLead)
                .setReturnDeadline(random.nextBoolean() ? null : firstLead)
                .setReturnRule(random.nextBoolean() ? null : "no-follow-up")
                .setLocked(random.nextBoolean())
                .setMergedInto(random.nextInt(10) == 0 ? "c-0" : null)
                .setStageEnteredAt(random.nextBoolean() ? null : Instant.ofEpochMilli(at))
                .setStageHistory(history)
                .build();
    }

    private static String optional(Random random, String value) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> " ";
            default -> value;
        };
    }

    private static BigDecimal amount(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> new BigDecimal("-0.01");
            case 2 -> new BigDecimal("9999999999999999.99");
            case 3 -> BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 2);
            default -> BigDecimal.valueOf(random.nextInt(128), 2);
        };
    }

    private static GenericRecordBuilder withDefaults(Schema schema) {
        GenericRecordBuilder builder = new GenericRecordBuilder(schema);
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue()) {
                builder.set(field, GenericData.get().getDefaultValue(field));
            }
        }
        return builder;
    }

    private static ByteBuffer decimal(Schema schema, BigDecimal value) {
        Schema bytes = schema.getField("amount").schema().getTypes().get(1);
        return new Conversions.DecimalConversion().toBytes(value, bytes, LogicalTypes.fromSchema(bytes));
    }

    private static byte[] encode(CustomerSnapshot snapshot) {
        return Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), snapshot);
    }

    private static CustomerFacts fullyDecoded(byte[] bytes) {
        return CustomerFacts.of(
                Topics.CUSTOMERS.valueSerde().deserializer().deserialize(Topics.CUSTOMERS.name(), bytes), ZONE);
    }
}
