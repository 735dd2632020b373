package io.leadflow.processor.funnel;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.schemas.SchemaHistory;
import io.leadflow.schemas.Topics;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the funnel's facts of a customer straight from an encoded snapshot. Most of a snapshot is what the
 * funnel does not count (company registration data, contacts, match keys, lead ids: some 500 of its 600
 * bytes); decoding it in full built all of that only to drop it, a tenth of the funnel's stream thread. A
 * snapshot written with the schema this build holds is read field by field in its schema's order, the
 * dozen fields the funnel counts read and the others skipped by Avro ({@link GenericDatumReader#skip}); a
 * snapshot of any other schema (an older writer during an upgrade) is decoded in full, as the customers
 * topic's serde resolves it.
 *
 * <p>Not thread-safe: it reuses one decoder. Each tracker has its own.
 */
final class SnapshotFactsReader {

    private static final int HEADER_LENGTH = 10;

    private static final Schema SCHEMA = CustomerSnapshot.getClassSchema();

    /** What to do with each field of the current schema, in its order; null if a counted field changed type. */
    private static final Read[] PLAN = plan(SCHEMA);

    /** The schema of each field, to skip it. */
    private static final Schema[] FIELD_SCHEMAS =
            SCHEMA.getFields().stream().map(Schema.Field::schema).toArray(Schema[]::new);

    private static final long FINGERPRINT = SchemaHistory.fingerprint(SCHEMA);

    private final Deserializer<CustomerSnapshot> fullDecoder =
            Topics.CUSTOMERS.valueSerde().deserializer();
    private BinaryDecoder decoder;

    /** A field the funnel counts, or {@link #SKIP}. */
    private enum Read {
        TENANT,
        CUSTOMER_ID,
        VERSION,
        STAGE,
        AMOUNT,
        OWNER,
        TEAM,
        SOURCE,
        CAMPAIGN,
        FIRST_LEAD_AT,
        UPDATED_AT,
        STAGE_ENTERED_AT,
        STAGE_HISTORY,
        SKIP
    }

    /** Whether snapshots of the current schema are read field by field (else every one is decoded in full). */
    static boolean readsFieldByField() {
        return PLAN != null;
    }

    /**
     * The facts of the snapshot encoded in {@code data} (single-object encoding, as on the customers topic),
     * their zone the one {@code zoneOfTenant} gives for its tenant.
     *
     * @throws SerializationException when {@code data} is not a readable snapshot
     */
    CustomerFacts read(byte[] data, UnaryOperator<String> zoneOfTenant) {
        if (PLAN == null || !writtenWithTheCurrentSchema(data)) {
            // Another writer's schema, or a header the serde names what is wrong with.
            CustomerSnapshot snapshot = fullDecoder.deserialize(Topics.CUSTOMERS.name(), data);
            return CustomerFacts.of(snapshot, zoneOfTenant.apply(snapshot.getTenant()));
        }
        CustomerFacts.Snapshot snapshot;
        try {
            snapshot = readBody(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot decode CustomerSnapshot from topic " + Topics.CUSTOMERS.name() + ": corrupt body: " + e, e);
        }
        return CustomerFacts.of(snapshot, zoneOfTenant.apply(snapshot.tenant()));
    }

    private CustomerFacts.Snapshot readBody(byte[] data) throws IOException {
        BinaryDecoder in =
                decoder = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, decoder);
        String tenant = null;
        String customerId = null;
        long version = 0;
        String stage = null;
        Long amountCents = null;
        String owner = null;
        String team = null;
        String source = null;
        String campaign = null;
        long firstLeadAt = 0;
        long updatedAt = 0;
        Long stageEnteredAt = null;
        List<Visit> history = new ArrayList<>(4);
        for (int i = 0; i < PLAN.length; i++) {
            switch (PLAN[i]) {
                case TENANT -> tenant = in.readString();
                case CUSTOMER_ID -> customerId = in.readString();
                case VERSION -> version = in.readLong();
                case STAGE -> stage = in.readString();
                case AMOUNT -> amountCents = in.readIndex() == 0 ? null : centsOf(in.readBytes(null));
                case OWNER -> owner = optionalString(in);
                case TEAM -> team = optionalString(in);
                case SOURCE -> source = optionalString(in);
                case CAMPAIGN -> campaign = optionalString(in);
                case FIRST_LEAD_AT -> firstLeadAt = in.readLong();
                case UPDATED_AT -> updatedAt = in.readLong();
                case STAGE_ENTERED_AT -> stageEnteredAt = in.readIndex() == 0 ? null : in.readLong();
                case STAGE_HISTORY -> {
                    for (long block = in.readArrayStart(); block != 0; block = in.arrayNext()) {
                        for (long visit = 0; visit < block; visit++) {
                            history.add(new Visit(in.readString(), in.readLong()));
                        }
                    }
                }
                case SKIP -> GenericDatumReader.skip(FIELD_SCHEMAS[i], in);
            }
        }
        if (!in.isEnd()) {
            throw new IOException((data.length - HEADER_LENGTH) + "-byte body has bytes after its last field");
        }
        return new CustomerFacts.Snapshot(
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
                updatedAt,
                stageEnteredAt,
                history);
    }

    private static String optionalString(BinaryDecoder in) throws IOException {
        return in.readIndex() == 0 ? null : in.readString();
    }

    /** A decimal of scale 2 (the schema's, checked by {@link #plan}) as cents: its two's-complement unscaled value. */
    private static long centsOf(ByteBuffer unscaled) {
        byte[] bytes = new byte[unscaled.remaining()];
        unscaled.get(bytes);
        return new BigInteger(bytes).longValueExact();
    }

    private static boolean writtenWithTheCurrentSchema(byte[] data) {
        if (data.length < HEADER_LENGTH || data[0] != (byte) 0xC3 || data[1] != (byte) 0x01) {
            return false;
        }
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (data[i] & 0xFF);
        }
        return fingerprint == FINGERPRINT;
    }

    /**
     * The plan for {@code schema}: every field the funnel counts must have the type read for it here, or
     * there is no plan and snapshots are decoded in full (a test fails first: {@code SnapshotFactsReaderTest}).
     */
    private static Read[] plan(Schema schema) {
        List<Schema.Field> fields = schema.getFields();
        Read[] plan = new Read[fields.size()];
        for (int i = 0; i < plan.length; i++) {
            Schema.Field field = fields.get(i);
            Read counted = counted(field.name());
            plan[i] = counted;
            if (counted != Read.SKIP && !readable(counted, field.schema())) {
                return null;
            }
        }
        return plan;
    }

    private static Read counted(String name) {
        return switch (name) {
            case "tenant" -> Read.TENANT;
            case "customerId" -> Read.CUSTOMER_ID;
            case "version" -> Read.VERSION;
            case "stage" -> Read.STAGE;
            case "amount" -> Read.AMOUNT;
            case "owner" -> Read.OWNER;
            case "team" -> Read.TEAM;
            case "source" -> Read.SOURCE;
            case "campaign" -> Read.CAMPAIGN;
            case "firstLeadAt" -> Read.FIRST_LEAD_AT;
            case "updatedAt" -> Read.UPDATED_AT;
            case "stageEnteredAt" -> Read.STAGE_ENTERED_AT;
            case "stageHistory" -> Read.STAGE_HISTORY;
            default -> Read.SKIP;
        };
    }

    private static boolean readable(Read field, Schema schema) {
        return switch (field) {
            case TENANT, CUSTOMER_ID, STAGE -> schema.getType() == Schema.Type.STRING;
            case VERSION, FIRST_LEAD_AT, UPDATED_AT -> schema.getType() == Schema.Type.LONG;
            case OWNER, TEAM, SOURCE, CAMPAIGN -> isOptional(schema, Schema.Type.STRING);
            case STAGE_ENTERED_AT -> isOptional(schema, Schema.Type.LONG);
            case AMOUNT ->
                isOptional(schema, Schema.Type.BYTES)
                        && schema.getTypes().get(1).getLogicalType() instanceof LogicalTypes.Decimal decimal
                        && decimal.getScale() == 2;
            case STAGE_HISTORY -> schema.getType() == Schema.Type.ARRAY && isVisit(schema.getElementType());
            case SKIP -> true;
        };
    }

    /** {@code ["null", type]}: the null branch first, as the reader expects. */
    private static boolean isOptional(Schema schema, Schema.Type type) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().size() == 2
                && schema.getTypes().get(0).getType() == Schema.Type.NULL
                && schema.getTypes().get(1).getType() == type;
    }

    private static boolean isVisit(Schema schema) {
        return schema.getType() == Schema.Type.RECORD
                && schema.getFields().size() == 2
                && schema.getFields().get(0).schema().getType() == Schema.Type.STRING
                && schema.getFields().get(1).schema().getType() == Schema.Type.LONG;
    }
}
