package io.leadflow.processor.pool;

import io.leadflow.avro.OwnerFigures;
import io.leadflow.processor.Outputs;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each owner's figures on {@code leadflow.owner-figures.v1} current: customers held, those counting
 * against the capacity, the capacity, claims made on the day and the daily limit. After anything that may move
 * them (the ledger calls it for the owners a save touched; the clock after a rules change), it recomputes the
 * owner's figures from the owner-load and daily-claims stores and the tenant's rules, and emits them with the
 * next {@code sequence} only when a figure differs from the last one emitted, so the topic carries changes, not
 * repeats. Emitted in the same transaction as the change that caused them.
 *
 * <p>Midnight is lazy: claims are counted per day in the tenant's time zone, and an owner's figure for a new day
 * is emitted with their next change. A reader treats a figure whose {@code day} is not today as no claims today.
 */
final class OwnerFiguresPublisher {

    private static final Serde<OwnerFigures> SERDE = Topics.OWNER_FIGURES.valueSerde();

    /** How many owners' last figures are kept decoded, most recently used first; others are decoded when needed. */
    private static final int RECENT_OWNERS = 10_000;

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, byte[]> published;
    private final KeyValueStore<String, String> ownerLoad;
    private final KeyValueStore<String, Long> dailyClaims;
    private final Map<String, Emitted> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Emitted> eldest) {
            return size() > RECENT_OWNERS;
        }
    };

    OwnerFiguresPublisher(ProcessorContext<String, Object> context) {
        this.context = context;
        this.published = context.getStateStore(PoolStores.OWNER_FIGURES);
        this.ownerLoad = context.getStateStore(PoolStores.OWNER_LOAD);
        this.dailyClaims = context.getStateStore(PoolStores.DAILY_CLAIMS);
    }

    /**
     * Emits an owner's figures as of {@code at} if they changed.
     *
     * @param team the team of the customer that moved (the one its capacity was checked with), or null to keep
     *     the owner's last known team
     */
    void refresh(PoolRules rules, String tenant, String owner, String team, Instant at) {
        String key = PoolStores.key(tenant, owner);
        Emitted previous = lastEmitted(key);
        Figures next = figures(rules, tenant, owner, teamOf(rules, owner, team, previous), at);
        if (previous != null && next.equals(previous.figures())) {
            return;
        }
        OwnerFigures emitted =
                next.toAvro(tenant, owner, rules.version(), previous == null ? 1 : previous.sequence() + 1, at);
        byte[] encoded = SERDE.serializer().serialize(Topics.OWNER_FIGURES.name(), emitted);
        published.put(key, encoded);
        recent.put(key, new Emitted(encoded, next, emitted.getSequence()));
        context.forward(
                new Record<String, Object>(Keys.owner(tenant, owner), encoded, at.toEpochMilli()),
                Outputs.OWNER_FIGURES_SINK);
    }

    /** After a change of the tenant's rules: re-emits the figures of every owner of the tenant that moved. */
    void refreshTenant(PoolRules rules, String tenant, Instant at) {
        List<String> owners = new ArrayList<>();
        String prefix = PoolStores.key(tenant, "");
        try (KeyValueIterator<String, byte[]> all = published.prefixScan(prefix, new StringSerializer())) {
            all.forEachRemaining(entry -> owners.add(entry.key.substring(prefix.length())));
        }
        owners.forEach(owner -> refresh(rules, tenant, owner, null, at));
    }

    /**
     * Emits the first figures of every owner who holds customers but has none yet: loads kept before figures
     * were emitted. Reads the whole owner-load store, one entry per owner.
     */
    void publishMissing(Function<String, PoolRules> rulesOfTenant, Instant at) {
        List<KeyValue<String, String>> missing = new ArrayList<>();
        try (KeyValueIterator<String, String> loads = ownerLoad.all()) {
            while (loads.hasNext()) {
                String key = loads.next().key;
                if (published.get(key) == null) {
                    int separator = key.indexOf(PoolStores.SEPARATOR);
                    missing.add(KeyValue.pair(key.substring(0, separator), key.substring(separator + 1)));
                }
            }
        }
        missing.forEach(owner -> refresh(rulesOfTenant.apply(owner.key), owner.key, owner.value, null, at));
    }

    private Figures figures(PoolRules rules, String tenant, String owner, String team, Instant at) {
        OwnerLoad load = OwnerLoad.decode(ownerLoad.get(PoolStores.key(tenant, owner)));
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
     * The owner's figures as last emitted, as the store holds them. Decoded only when the stored bytes are not the
     * ones this publisher wrote or read last: another processor of the task (e.g. the lead resolver placing a new
     * customer) may have emitted since, and the store is the truth.
     */
    private Emitted lastEmitted(String key) {
        byte[] stored = published.get(key);
        if (stored == null) {
            return null;
        }
        Emitted known = recent.get(key);
        if (known != null && Arrays.equals(known.encoded(), stored)) {
            return known;
        }
        OwnerFigures decoded = SERDE.deserializer().deserialize(Topics.OWNER_FIGURES.name(), stored);
        Emitted emitted = new Emitted(stored, Figures.of(decoded), decoded.getSequence());
        recent.put(key, emitted);
        return emitted;
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

    /** Figures as emitted: their bytes (as stored), what they say and their sequence. */
    private record Emitted(byte[] encoded, Figures figures, long sequence) {}

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
