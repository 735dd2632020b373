package io.leadflow.processor.funnel;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.schemas.AvroSerde;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a customer snapshot's facts ({@link CustomerFacts}) straight from its bytes on the customers topic. Only
 * the fields the funnel counts are decoded: Avro's resolving reader skips the company, contacts, match keys and
 * leads, most of a snapshot, instead of building them ({@link AvroSerde#projection(Set)}).
 */
public final class SnapshotFacts {

    /** The snapshot fields the funnel reads. */
    public static final Set<String> FIELDS = Set.of(
            "tenant",
            "customerId",
            "version",
            "source",
            "campaign",
            "owner",
            "team",
            "stage",
            "amount",
            "firstLeadAt",
            "updatedAt",
            "stageEnteredAt",
            "stageHistory");

    private static final AvroSerde<CustomerSnapshot> SNAPSHOTS = AvroSerde.of(CustomerSnapshot.class);
    private static final Schema PROJECTED = SNAPSHOTS.projected(FIELDS);
    private static final Deserializer<GenericRecord> READER = SNAPSHOTS.projection(FIELDS);

    private static final int TENANT = position("tenant");
    private static final int CUSTOMER_ID = position("customerId");
    private static final int VERSION = position("version");
    private static final int SOURCE = position("source");
    private static final int CAMPAIGN = position("campaign");
    private static final int OWNER = position("owner");
    private static final int TEAM = position("team");
    private static final int STAGE = position("stage");
    private static final int AMOUNT = position("amount");
    private static final int FIRST_LEAD_AT = position("firstLeadAt");
    private static final int UPDATED_AT = position("updatedAt");
    private static final int STAGE_ENTERED_AT = position("stageEnteredAt");
    private static final int STAGE_HISTORY = position("stageHistory");

    private SnapshotFacts() {}

    /**
     * The facts of the snapshot encoded in {@code bytes}, with {@code zone} as the zone of its cohort days.
     *
     * @throws SerializationException if the bytes are no customer snapshot, as the topic's own deserializer would
     */
    static Snapshot read(String topic, byte[] bytes) {
        return new Snapshot(READER.deserialize(topic, bytes));
    }

    /** A snapshot read down to the funnel's fields. */
    static final class Snapshot {

        private final GenericRecord fields;

        private Snapshot(GenericRecord fields) {
            this.fields = fields;
        }

        String tenant() {
            return (String) fields.get(TENANT);
        }

        long version() {
            return (Long) fields.get(VERSION);
        }

        CustomerFacts facts(String zone) {
            return new CustomerFacts(
                    tenant(),
                    (String) fields.get(CUSTOMER_ID),
                    version(),
                    (String) fields.get(STAGE),
                    centsOf((ByteBuffer) fields.get(AMOUNT)),
                    blankToNull(fields.get(OWNER)),
                    blankToNull(fields.get(TEAM)),
                    blankToNull(fields.get(SOURCE)),
                    blankToNull(fields.get(CAMPAIGN)),
                    (Long) fields.get(FIRST_LEAD_AT),
                    zone,
                    visits());
        }

        /**
         * The stage history, with the current stage as last visit even for snapshots written before stage
         * tracking (empty history) or whose history lags behind their stage.
         */
        private List<Visit> visits() {
            List<?> history = (List<?>) fields.get(STAGE_HISTORY);
            List<Visit> visits = new ArrayList<>(history.size() + 1);
            for (Object visit : history) {
                GenericRecord stay = (GenericRecord) visit;
                visits.add(new Visit((String) stay.get("stage"), (Long) stay.get("enteredAt")));
            }
            String stage = (String) fields.get(STAGE);
            if (visits.isEmpty() || !visits.get(visits.size() - 1).stage().equals(stage)) {
                Long enteredAt = (Long) fields.get(STAGE_ENTERED_AT);
                visits.add(new Visit(stage, enteredAt != null ? enteredAt : (Long) fields.get(UPDATED_AT)));
            }
            return visits;
        }
    }

    /** The amount in cents: the schema's decimal has scale 2, so its unscaled value is the cents. */
    private static Long centsOf(ByteBuffer amount) {
        if (amount == null) {
            return null;
        }
        byte[] unscaled = new byte[amount.remaining()];
        amount.duplicate().get(unscaled);
        return new BigInteger(unscaled).longValueExact();
    }

    private static String blankToNull(Object value) {
        return value == null || ((String) value).isBlank() ? null : (String) value;
    }

    private static int position(String field) {
        return PROJECTED.getField(field).pos();
    }
}
