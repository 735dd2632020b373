package io.leadflow.processor.pool;

import io.leadflow.avro.OwnerFigures;
import io.leadflow.processor.Outputs;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each owner's load and figures, and the figures on {@code leadflow.owner-figures.v1} current: customers held,
 * those counting against the capacity, the capacity, claims made on the day and the daily limit. The ledger hands it
 * every change of an owner's load ({@link #update}); the clock asks it to look again after a rules change. It
 * recomputes the owner's figures from the load, the daily-claims store and the tenant's rules, and emits them with the
 * next {@code sequence} only when a figure differs from the last one emitted, so the topic carries changes, not
 * repeats. Emitted in the same transaction as the change that caused them.
 *
 * <p>One store entry per owner holds both the load and the figures last emitted ({@link PoolStores#OWNER_FIGURES}):
 * a command that moves a customer writes one changelog record per owner, not one for the load and one for the
 * figures. Entries written before that hold the figures alone, with the load in {@link PoolStores#OWNER_LOAD}; they
 * are read as they are and replaced by the combined entry (the old load deleted) at the owner's next change.
 *
 * <p>Midnight is lazy: claims are counted per day in the tenant's time zone, and an owner's figure for a new day
 * is emitted with their next change. A reader treats a figure whose {@code day} is not today as no claims today.
 */
final class OwnerFiguresPublisher {

    private static final Serde<OwnerFigures> SERDE = Topics.OWNER_FIGURES.valueSerde();

    /** How many owners' entries are kept decoded, most recently used first; others are decoded when needed. */
    private static final int RECENT_OWNERS = 10_000;

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, byte[]> owners;
    private final KeyValueStore<String, String> earlierLoads;
    private final KeyValueStore<String, Long> dailyClaims;
    private final Map<String, OwnerEntry> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OwnerEntry> eldest) {
            return size() > RECENT_OWNERS;
        }
    };

    OwnerFiguresPublisher(ProcessorContext<String, Object> context) {
        this.context = context;
        this.owners = context.getStateStore(PoolStores.OWNER_FIGURES);
        this.earlierLoads = context.getStateStore(PoolStores.OWNER_LOAD);
        this.dailyClaims = context.getStateStore(PoolStores.DAILY_CLAIMS);
    }

    /** What the owner holds now. */
    OwnerLoad load(String tenant, String owner) {
        return entry(PoolStores.key(tenant, owner)).load();
    }

    /** Emits an owner's figures as of {@code at} if they changed. */
    void refresh(PoolRules rules, String tenant, String owner, String team, Instant at) {
        update(rules, tenant, owner, team, UnaryOperator.identity(), at);
    }

    /**
     * Changes an owner's load and emits their figures as of {@code at} if they changed; stores nothing when neither
     * did.
     *
     * @param team the team of the customer that moved (the one its capacity was checked with), or null to keep
     *     the owner's last known team
     * @param change the new load from the current one
     */
    void update(
            PoolRules rules, String tenant, String owner, String team, UnaryOperator<OwnerLoad> change, Instant at) {
        String key = PoolStores.key(tenant, owner);
        OwnerEntry previous = entry(key);
        OwnerLoad load = change.apply(previous.load());
        Emitted last = previous.emitted();
        Figures next = figures(rules, tenant, owner, load, teamOf(rules, owner, team, last), at);
        boolean newFigures = last == null || !next.equals(last.figures());
        if (!newFigures && load.equals(previous.load())) {
            return;
        }
        Emitted emitted = last;
        if (newFigures) {
            OwnerFigures figures =
                    next.toAvro(tenant, owner, rules.version(), last == null ? 1 : last.sequence() + 1, at);
            emitted = new Emitted(
                    SERDE.serializer().serialize(Topics.OWNER_FIGURES.name(), figures), next, figures.getSequence());
        }
        OwnerEntry entry = OwnerEntry.of(load, emitted);
        owners.put(key, entry.stored());
        if (previous.earlierLoad()) {
            earlierLoads.delete(key);
        }
        recent.put(key, entry);
        if (newFigures) {
            context.forward(
                    new Record<String, Object>(Keys.owner(tenant, owner), emitted.encoded(), at.toEpochMilli()),
                    Outputs.OWNER_FIGURES_SINK);
        }
    }

    /** After a change of the tenant's rules: re-emits the figures of every owner of the tenant that moved. */
    void refreshTenant(PoolRules rules, String tenant, Instant at) {
        List<String> known = new ArrayList<>();
        String prefix = PoolStores.key(tenant, "");
        try (KeyValueIterator<String, byte[]> all = owners.prefixScan(prefix, new StringSerializer())) {
            all.forEachRemaining(entry -> known.add(entry.key.substring(prefix.length())));
        }
        known.forEach(owner -> refresh(rules, tenant, owner, null, at));
    }

    /**
     * Emits the first figures of every owner who holds customers but has none yet: loads kept before figures
     * were emitted. Reads the whole store of such loads, one entry per owner.
     */
    void publishMissing(Function<String, PoolRules> rulesOfTenant, Instant at) {
        List<KeyValue<String, String>> missing = new ArrayList<>();
        try (KeyValueIterator<String, String> loads = earlierLoads.all()) {
            while (loads.hasNext()) {
                String key = loads.next().key;
                if (owners.get(key) == null) {
                    int separator = key.indexOf(PoolStores.SEPARATOR);
                    missing.add(KeyValue.pair(key.substring(0, separator), key.substring(separator + 1)));
                }
            }
        }
        missing.forEach(owner -> refresh(rulesOfTenant.apply(owner.key), owner.key, owner.value, null, at));
    }

    private Figures figures(PoolRules rules, String tenant, String owner, OwnerLoad load, String team, Instant at) {
        LocalDate day = rules.dayOf(at);
        Long claims = dailyClaims.get(PoolStores.dailyClaimKey(day, tenant, owner));
        return new Figures(
                team,
                load.held(),
                load.counted(rules.countWonInCapacity()),
                boxed(rules.capacityOf(owner, team)),
                claims == null ? 0 : claims,
                boxed(rules.dailyClaimLimit()),
                day,
                rules.timeZone().getId());
    }

    /**
     * The owner's entry as the store holds it. Decoded only when the stored bytes are not the ones this publisher
     * wrote or read last: another processor of the task (e.g. the lead resolver placing a new customer) may have
     * written since, and the store is the truth.
     */
    private OwnerEntry entry(String key) {
        byte[] stored = owners.get(key);
        OwnerEntry known = recent.get(key);
        if (known != null && Arrays.equals(known.stored(), stored)) {
            return known;
        }
        if (OwnerEntry.isCombined(stored)) {
            OwnerEntry decoded = OwnerEntry.decode(stored);
            recent.put(key, decoded);
            return decoded;
        }
        String earlierLoad = earlierLoads.get(key);
        return new OwnerEntry(
                stored,
                OwnerLoad.decode(earlierLoad),
                stored == null ? null : Emitted.decode(stored),
                earlierLoad != null);
    }

    private static String teamOf(PoolRules rules, String owner, String team, Emitted previous) {
        if (team != null) {
            return team;
        }
        if (previous != null && previous.figures().team() != null) {
            return previous.figures().team();
        }
        return rules.teamOf(owner).orElse(null);
    }

    private static Integer boxed(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    /**
     * An owner's store entry: {@code stored}, its bytes (null: none); the owner's load; the figures last emitted
     * (null: none yet); and whether the load was read from {@link PoolStores#OWNER_LOAD}, as stored before loads and
     * figures shared an entry.
     *
     * <p>A combined entry is {@link #FORMAT}, the load's held and won (8 bytes each, big-endian), then the figures as
     * encoded for the owner-figures topic, or nothing when none were emitted. An earlier entry is those figures alone:
     * Avro single-object encoding, whose first byte is {@code C3}, never {@link #FORMAT}.
     */
    record OwnerEntry(byte[] stored, OwnerLoad load, Emitted emitted, boolean earlierLoad) {

        static final byte FORMAT = 1;

        private static final int HEADER = 1 + 2 * Long.BYTES;

        static OwnerEntry of(OwnerLoad load, Emitted emitted) {
            byte[] figures = emitted == null ? new byte[0] : emitted.encoded();
            byte[] stored = ByteBuffer.allocate(HEADER + figures.length)
                    .put(FORMAT)
                    .putLong(load.held())
                    .putLong(load.won())
                    .put(figures)
                    .array();
            return new OwnerEntry(stored, load, emitted, false);
        }

        static boolean isCombined(byte[] stored) {
            return stored != null && stored.length >= HEADER && stored[0] == FORMAT;
        }

        static OwnerEntry decode(byte[] stored) {
            ByteBuffer buffer = ByteBuffer.wrap(stored);
            buffer.get();
            OwnerLoad load = new OwnerLoad(buffer.getLong(), buffer.getLong());
            Emitted emitted = stored.length == HEADER ? null : Emitted.decode(figuresIn(stored));
            return new OwnerEntry(stored, load, emitted, false);
        }

        /** The figures a combined entry holds, as encoded for the owner-figures topic (empty: none). */
        static byte[] figuresIn(byte[] stored) {
            return Arrays.copyOfRange(stored, HEADER, stored.length);
        }
    }

    /** Figures as emitted: their bytes (as sent), what they say and their sequence. */
    private record Emitted(byte[] encoded, Figures figures, long sequence) {

        static Emitted decode(byte[] encoded) {
            OwnerFigures decoded = SERDE.deserializer().deserialize(Topics.OWNER_FIGURES.name(), encoded);
            return new Emitted(encoded, Figures.of(decoded), decoded.getSequence());
        }
    }

    /** The figures a reader sees; a figure is emitted only when these differ from the last emitted. */
    private record Figures(
            String team,
            long held,
            long heldCountingCapacity,
            Integer capacity,
            long claimsToday,
            Integer dailyClaimLimit,
            LocalDate day,
            String timeZone) {

        static Figures of(OwnerFigures figures) {
            return new Figures(
                    figures.getTeam(),
                    figures.getHeld(),
                    figures.getHeldCountingCapacity(),
                    figures.getCapacity(),
                    figures.getClaimsToday(),
                    figures.getDailyClaimLimit(),
                    figures.getDay(),
                    figures.getTimeZone());
        }

        OwnerFigures toAvro(String tenant, String owner, long rulesVersion, long sequence, Instant at) {
            return OwnerFigures.newBuilder()
                    .setTenant(tenant)
                    .setOwner(owner)
                    .setTeam(team)
                    .setHeld(held)
                    .setHeldCountingCapacity(heldCountingCapacity)
                    .setCapacity(capacity)
                    .setClaimsToday(claimsToday)
                    .setDailyClaimLimit(dailyClaimLimit)
                    .setDay(day)
                    .setTimeZone(timeZone)
                    .setRulesVersion(rulesVersion)
                    .setSequence(sequence)
                    .setUpdatedAt(at)
                    .build();
        }
    }
}
