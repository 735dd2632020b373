package io.leadflow.processor.identity;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.MatchEvidence;
import io.leadflow.matching.KeyRules;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchKey;
import io.leadflow.matching.PreparedRecord;
import io.leadflow.processor.state.StoreWalk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one task's identity index to the current key rules ({@link KeyRules}) when it was built under other
 * ones: without it, a lead spelled as an earlier lead of the same company would make a key the index does not
 * hold (a name that kept {@code 股份}, a Gmail address with its dots), found no customer and founded a second one.
 *
 * <p>Each customer gains the keys the current rules give for its stored keys ({@link MatchEngine#rekeyed}) and for
 * its company with each of its contacts. A new key nobody holds now points at the customer, and the customer is
 * filed under the current blocking keys; its keys of the earlier rules stay (no lead makes them any more, and a
 * key read back from its value is not always the key its input made); a new key another customer already holds
 * stays with that customer, as a lead's would, and a {@code MERGE_SUGGESTION} names both (merges are explicit). A
 * customer that gained keys gets a new snapshot (the api files its keys from it); its pool and funnel figures do
 * not move.
 *
 * <p>The re-key goes through the task's customers in key order, a chunk at a time between records; leads keep
 * being resolved meanwhile (one that arrives before its company was re-keyed may found a customer, which the
 * re-key then finds holding the company's new key and reports as above). Where it stands is kept in the index,
 * in the same transaction as what it changed, so a restart goes on from there. A task whose index holds no record
 * of its rules but holds customers was built before rules were recorded, and is re-keyed.
 */
final class IndexRekeying {

    private static final Logger log = LoggerFactory.getLogger(IndexRekeying.class);

    /** In {@link IdentityStores#IDENTITY_INDEX}: the key rules version the task's index was built under. */
    static final String RULES = "\u0000key-rules";

    /** In {@link IdentityStores#IDENTITY_INDEX} during a re-key: {@code version|key of the last customer re-keyed}. */
    static final String REKEYED_THROUGH = "\u0000rekeyed-through";

    static final int CHUNK = 500;

    /** How often a running re-key logs how far it got (a million customers take minutes). */
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;

    /** The rule a merge suggestion of a re-key names as its evidence. */
    static final String REKEYED_RULE = "re-keyed under key rules " + KeyRules.VERSION;

    /** What a re-key sends: a customer's new snapshot with its encoding, and identity events. */
    interface Output {
        void customer(CustomerSnapshot customer, byte[] encoded);

        void event(IdentityEvent event);
    }

    private final MatchEngine engine;
    private final KeyValueStore<String, String> index;
    private final KeyValueStore<String, String> blocks;
    private final CustomerStore customers;
    private final FullBlocks fullBlocks;
    private final MergeRedirects mergeRedirects;
    private final int chunk;
    private final String builtUnder;
    private String through;
    private boolean rekeying;
    private long walked;
    private long changed;
    private long heldByOthers;
    private final long started = System.nanoTime();
    private long lastProgress = started;

    /** Reads where the task's index stands; records the current rules at once for a task that holds no customer. */
    IndexRekeying(
            MatchEngine engine,
            KeyValueStore<String, String> index,
            KeyValueStore<String, String> blocks,
            CustomerStore customers,
            FullBlocks fullBlocks,
            MergeRedirects mergeRedirects,
            int chunk) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.index = Objects.requireNonNull(index, "index");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.customers = Objects.requireNonNull(customers, "customers");
        this.fullBlocks = Objects.requireNonNull(fullBlocks, "fullBlocks");
        this.mergeRedirects = Objects.requireNonNull(mergeRedirects, "mergeRedirects");
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
        }
        this.chunk = chunk;
        String current = String.valueOf(KeyRules.VERSION);
        String recorded = index.get(RULES);
        builtUnder = recorded != null ? recorded : "unrecorded";
        if (current.equals(recorded)) {
            return;
        }
        if (recorded == null && customers.isEmpty()) {
            index.put(RULES, current);
            return;
        }
        rekeying = true;
        String progress = index.get(REKEYED_THROUGH);
        String prefix = current + "|";
        through = progress != null && progress.startsWith(prefix) ? progress.substring(prefix.length()) : null;
    }

    /** Whether the index still has customers to re-key. */
    boolean rekeying() {
        return rekeying;
    }

    /** The key rules version the index was built under, as recorded ("unrecorded" before versions were). */
    String builtUnder() {
        return builtUnder;
    }

    /** Re-keys the next chunk of customers; returns whether any are left. */
    boolean next(Instant at, Output output) {
        if (!rekeying) {
            return false;
        }
        StoreWalk.Step step = customers.next(through, chunk, customer -> rekey(customer, at, output));
        walked += step.walked();
        if (step.finished()) {
            index.put(RULES, String.valueOf(KeyRules.VERSION));
            index.delete(REKEYED_THROUGH);
            rekeying = false;
            log.info(
                    "identity index re-keyed from key rules {} to {}: {} customers, {} with other keys, {} new keys held"
                            + " by another customer (merge suggested), in {} ms",
                    builtUnder,
                    KeyRules.VERSION,
                    walked,
                    changed,
                    heldByOthers,
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            through = step.last();
            index.put(REKEYED_THROUGH, KeyRules.VERSION + "|" + through);
            if (System.nanoTime() - lastProgress > PROGRESS_INTERVAL_NANOS) {
                lastProgress = System.nanoTime();
                log.info(
                        "re-keying the identity index to key rules {}: {} customers so far ({} with other keys), up to {}",
                        KeyRules.VERSION,
                        walked,
                        changed,
                        through);
            }
        }
        return rekeying;
    }

    private void rekey(CustomerSnapshot customer, Instant at, Output output) {
        if (customer.getMergedInto() != null) {
            return; // its keys point at the survivor, which holds them in its own snapshot
        }
        String tenant = customer.getTenant();
        String id = customer.getCustomerId();
        StoreMatchIndex view = new StoreMatchIndex(tenant, index, blocks, fullBlocks, mergeRedirects);
        List<MatchKey> stored = Customers.engineKeys(customer.getMatchKeys());
        Set<MatchKey> keys = new LinkedHashSet<>();
        stored.forEach(key -> keys.addAll(engine.rekeyed(key)));
        for (Contact contact : contactsOrNone(customer)) {
            PreparedRecord record = engine.prepare(AvroMapping.fieldsOf(customer.getCompany(), contact));
            record.matchKeys().forEach(keys::add);
            engine.remember(record, id, view);
        }
        Map<String, List<MatchKey>> heldElsewhere = new TreeMap<>();
        for (MatchKey key : keys) {
            Optional<String> holder = view.holderOf(key).map(holderId -> MatchEngine.survivorOf(holderId, view));
            if (holder.isEmpty()) {
                view.assign(key, id);
            } else if (!holder.get().equals(id) && !stored.contains(key)) {
                heldElsewhere
                        .computeIfAbsent(holder.get(), other -> new ArrayList<>())
                        .add(key);
            }
        }
        // Its keys as they were (kinds a later version wrote among them), the new ones after them.
        Set<MatchKey> added = new LinkedHashSet<>(keys);
        stored.forEach(added::remove);
        if (added.isEmpty()) {
            return;
        }
        List<io.leadflow.avro.MatchKey> rekeyed = new ArrayList<>(customer.getMatchKeys());
        rekeyed.addAll(AvroMapping.toAvro(added));
        CustomerSnapshot after = CustomerSnapshot.newBuilder(customer)
                .setVersion(customer.getVersion() + 1)
                .setMatchKeys(rekeyed)
                .setUpdatedAt(at)
                .build();
        output.customer(after, customers.save(after));
        changed++;
        heldElsewhere.forEach((other, shared) -> output.event(mergeSuggestion(after, other, shared, at)));
        heldByOthers += heldElsewhere.values().stream().mapToInt(List::size).sum();
    }

    private static List<Contact> contactsOrNone(CustomerSnapshot customer) {
        List<Contact> contacts = new ArrayList<>(customer.getContacts());
        if (contacts.isEmpty()) {
            contacts.add(null);
        }
        return contacts;
    }

    private static IdentityEvent mergeSuggestion(
            CustomerSnapshot customer, String other, List<MatchKey> shared, Instant at) {
        return IdentityEvent.newBuilder()
                .setEventId(customer.getCustomerId() + "#" + customer.getVersion() + "#"
                        + IdentityEventType.MERGE_SUGGESTION + "#" + other)
                .setTenant(customer.getTenant())
                .setCustomerId(customer.getCustomerId())
                .setType(IdentityEventType.MERGE_SUGGESTION)
                .setOtherCustomerId(other)
                .setHolder(customer.getOwner())
                .setEvidence(shared.stream()
                        .map(key -> MatchEvidence.newBuilder()
                                .setKind(AvroMapping.kindOf(key.kind().name()))
                                .setValue(key.value())
                                .setScore(1.0)
                                .setRule(REKEYED_RULE)
                                .build())
                        .toList())
                .setOccurredAt(at)
                .build();
    }
}
