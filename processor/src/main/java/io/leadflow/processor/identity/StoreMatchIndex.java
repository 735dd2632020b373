package io.leadflow.processor.identity;

import io.leadflow.matching.MatchKey;
import io.leadflow.matching.WritableMatchIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One tenant's view of the identity stores as the matching engine's index: exact keys and merge
 * redirects in {@link IdentityStores#IDENTITY_INDEX}, blocking entries in {@link
 * IdentityStores#IDENTITY_BLOCKS} (a bounded prefix scan per blocking key). With {@link FullBlocks} it
 * remembers which blocks a scan found full, answers {@link #knownToHoldAtLeast} from that without scanning
 * again, and files no more customers under them (stop-units retrieve nothing, so more entries there would
 * only grow the index).
 *
 * <p>A view serves one lead or command and then goes: it keeps the holder of every key it read or assigned,
 * so the engine's second look at a lead's keys, when it remembers them after deciding, reads no store
 * again. Every write of exact keys while it serves goes through it.
 */
final class StoreMatchIndex implements WritableMatchIndex {

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private final String tenant;
    private final KeyValueStore<String, String> index;
    private final KeyValueStore<String, String> blocks;
    private final FullBlocks fullBlocks;
    private final MergeRedirects mergeRedirects;
    private Map<String, String> redirects;
    private final Map<String, Optional<String>> holders = new HashMap<>();

    StoreMatchIndex(String tenant, KeyValueStore<String, String> index, KeyValueStore<String, String> blocks) {
        this(tenant, index, blocks, FullBlocks.NONE, MergeRedirects.NONE);
    }

    /**
     * A view for one lead: with {@code fullBlocks} and {@code mergeRedirects} it uses what the resolver
     * learnt from earlier leads (the merge version is read once per view).
     */
    StoreMatchIndex(
            String tenant,
            KeyValueStore<String, String> index,
            KeyValueStore<String, String> blocks,
            FullBlocks fullBlocks,
            MergeRedirects mergeRedirects) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.index = Objects.requireNonNull(index, "index");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.fullBlocks = Objects.requireNonNull(fullBlocks, "fullBlocks");
        this.mergeRedirects = Objects.requireNonNull(mergeRedirects, "mergeRedirects");
    }

    @Override
    public Optional<String> holderOf(MatchKey key) {
        String stored = keyOf(key);
        Optional<String> holder = holders.get(stored);
        if (holder == null) {
            holder = Optional.ofNullable(index.get(stored));
            holders.put(stored, holder);
        }
        return holder;
    }

    @Override
    public List<Filed> filedUnder(String block, int limit) {
        String prefix = IdentityStores.blockPrefix(tenant, block);
        List<Filed> filed = new ArrayList<>();
        try (KeyValueIterator<String, String> entries = blocks.prefixScan(prefix, PREFIX_SERIALIZER)) {
            while (entries.hasNext() && filed.size() < limit) {
                KeyValue<String, String> entry = entries.next();
                filed.add(new Filed(customerIdOf(entry.key, prefix.length()), entry.value));
            }
        }
        if (filed.size() >= limit) {
            fullBlocks.found(prefix, limit);
        }
        return filed;
    }

    @Override
    public boolean knownToHoldAtLeast(String block, int count) {
        return fullBlocks.holdsAtLeast(IdentityStores.blockPrefix(tenant, block), count);
    }

    @Override
    public Optional<String> mergedInto(String customerId) {
        if (mergeRedirects == MergeRedirects.NONE) {
            return Optional.ofNullable(index.get(IdentityStores.indexKey(tenant, IdentityStores.MERGED, customerId)));
        }
        if (redirects == null) {
            redirects = mergeRedirects.of(tenant, index.get(mergeVersionKey()), this::readRedirects);
        }
        return Optional.ofNullable(redirects.get(customerId));
    }

    private Map<String, String> readRedirects() {
        Map<String, String> read = MergeRedirects.empty();
        String prefix = IdentityStores.indexKey(tenant, IdentityStores.MERGED, "");
        try (KeyValueIterator<String, String> entries = index.prefixScan(prefix, PREFIX_SERIALIZER)) {
            entries.forEachRemaining(entry -> read.put(entry.key.substring(prefix.length()), entry.value));
        }
        return read;
    }

    @Override
    public void assign(MatchKey key, String customerId) {
        String stored = keyOf(key);
        index.put(stored, customerId);
        holders.put(stored, Optional.of(customerId));
    }

    @Override
    public void file(String block, String customerId, String fingerprint) {
        if (fullBlocks.isFull(IdentityStores.blockPrefix(tenant, block))) {
            return;
        }
        String spelling = Integer.toHexString(fingerprint.hashCode());
        blocks.put(IdentityStores.blockPrefix(tenant, block) + customerId + "\u0000" + spelling, fingerprint);
    }

    /**
     * Records the redirect, and a new merge version for the tenant (the number of merges recorded since
     * versions were, and this one), which tells every resolver holding the tenant's redirects to read them
     * again.
     */
    @Override
    public void recordMerge(String mergedId, String survivorId) {
        index.put(IdentityStores.indexKey(tenant, IdentityStores.MERGED, mergedId), survivorId);
        String previous = index.get(mergeVersionKey());
        long merges = previous == null ? 1 : Long.parseLong(previous.substring(0, previous.indexOf(':'))) + 1;
        index.put(mergeVersionKey(), merges + ":" + mergedId + ">" + survivorId);
    }

    private String mergeVersionKey() {
        return IdentityStores.indexKey(tenant, IdentityStores.MERGE_VERSION, "");
    }

    private String keyOf(MatchKey key) {
        return IdentityStores.indexKey(tenant, key.kind().name(), key.value());
    }

    private static String customerIdOf(String entryKey, int prefixLength) {
        return entryKey.substring(prefixLength, entryKey.indexOf('\u0000', prefixLength));
    }
}
