package io.leadflow.processor.pool;

import io.leadflow.avro.CommandResult;
import io.leadflow.avro.OwnerFigures;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * State stores of the pool lifecycle. All live in the customer-state sub-topology, keyed so that one
 * tenant's entries stay in the tenant's task, next to its customers.
 */
public final class PoolStores {

    /**
     * The deadline index: {@code deadline|tenant|kind|customerId} (deadline as 13 zero-padded digits of epoch
     * milliseconds, so the byte order is the time order) → empty. The punctuator range-scans from the
     * start to now, so its cost grows with what is due, not with what is held.
     */
    public static final String DEADLINES = "pool-deadlines";

    /**
     * Customer key → the customer's current {@link Schedule} (which index entries belong to it) when it has a warning
     * to send or remember; a schedule without one is the snapshot's return deadline and rule, not stored again.
     */
    public static final String SCHEDULES = "pool-schedules";

    /**
     * {@code tenant|owner} → {@link OwnerLoad} as {@code held,won}: an owner's load as stored before it moved into
     * {@link #OWNER_FIGURES}. Still read (and restored) for owners whose entry there predates that; an owner's next
     * change deletes it.
     */
    public static final String OWNER_LOAD = "pool-owner-load";

    /** {@code day|tenant|owner} (day in the tenant's time zone) → claims made that day. */
    public static final String DAILY_CLAIMS = "pool-daily-claims";

    /**
     * {@code tenant|owner} → the owner's load and figures as last emitted on the owner-figures topic (with their
     * sequence), in one entry so that a change of both is one changelog record ({@code OwnerFiguresPublisher.OwnerEntry});
     * entries written before hold the figures alone, the load being in {@link #OWNER_LOAD}.
     */
    public static final String OWNER_FIGURES = "pool-owner-figures";

    /** {@code tenant|customerId|owner} → epoch millis until which that previous owner may not claim it back. */
    public static final String COOLDOWNS = "pool-cooldowns";

    /** {@code tenant|team} → index of the team member who got the last round-robin customer. */
    public static final String ROUND_ROBIN = "pool-round-robin";

    /** Tenant → version of its rules the current deadlines were computed with. */
    public static final String APPLIED_RULES = "pool-applied-rules";

    /** {@code day|tenant|commandId} (UTC day the command was issued) → its result: a retried command is answered again, not applied twice. */
    public static final String COMMAND_OUTCOMES = "pool-command-outcomes";

    /**
     * {@code day|tenant|activityId} (UTC day it was applied) → epoch millis it was applied: an activity sent again
     * with the same id (ingest derives it from the {@code Idempotency-Key}) is not applied twice.
     */
    public static final String SEEN_ACTIVITIES = "pool-seen-activities";

    static final String SEPARATOR = "|";

    private static final int SORTABLE_DIGITS = 13;

    private PoolStores() {}

    static StoreBuilder<KeyValueStore<String, String>> strings(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
    }

    static StoreBuilder<KeyValueStore<String, Long>> longs(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    /**
     * Values are the {@link CommandResult} as encoded for the command-results topic: encoded once, stored and sent
     * as the same bytes (and the changelog holds what an {@code AvroSerde} of the record would write).
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> commandOutcomes() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COMMAND_OUTCOMES), Serdes.String(), Serdes.ByteArray());
    }

    /** Values hold the {@link OwnerFigures} as encoded for the owner-figures topic, after the owner's load. */
    static StoreBuilder<KeyValueStore<String, byte[]>> ownerFigures() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OWNER_FIGURES), Serdes.String(), Serdes.ByteArray());
    }

    /** Key of {@link #DAILY_CLAIMS}: the claims {@code user} made on {@code day} (in the tenant's time zone). */
    static String dailyClaimKey(LocalDate day, String tenant, String user) {
        return key(day.toString(), tenant, user);
    }

    static String key(String... parts) {
        return String.join(SEPARATOR, parts);
    }

    /** 13 zero-padded digits: lexicographic order of the text is the order of the instants. */
    static String sortable(Instant instant) {
        String millis = Long.toString(Math.max(0, instant.toEpochMilli()));
        return millis.length() >= SORTABLE_DIGITS ? millis : "0".repeat(SORTABLE_DIGITS - millis.length()) + millis;
    }
}
