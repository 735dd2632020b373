package io.leadflow.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link WritableMatchIndex} in memory, for the batch report, tests and benchmarks. Not thread-safe:
 * one index per run (or per tenant).
 */
public final class InMemoryMatchIndex implements WritableMatchIndex {

    private final Map<MatchKey, String> holders = new HashMap<>();
    private final Map<String, Map<String, Filed>> blocks = new HashMap<>();
    private final Map<String, String> merges = new HashMap<>();

    @Override
    public Optional<String> holderOf(MatchKey key) {
        return Optional.ofNullable(holders.get(key));
    }

    @Override
    public List<Filed> filedUnder(String block, int limit) {
        Map<String, Filed> entries = blocks.get(block);
        if (entries == null) {
            return List.of();
        }
        List<Filed> filed = new ArrayList<>(Math.min(limit, entries.size()));
        for (Filed entry : entries.values()) {
            if (filed.size() == limit) {
                break;
            }
            filed.add(entry);
        }
        return filed;
    }

    @Override
    public Optional<String> mergedInto(String customerId) {
        return Optional.ofNullable(merges.get(customerId));
    }

    @Override
    public void assign(MatchKey key, String customerId) {
        holders.put(key, customerId);
    }

    @Override
    public void file(String block, String customerId, String fingerprint) {
        blocks.computeIfAbsent(block, b -> new LinkedHashMap<>())
                .put(customerId + "\u0000" + fingerprint, new Filed(customerId, fingerprint));
    }

    @Override
    public void recordMerge(String mergedId, String survivorId) {
        merges.put(mergedId, survivorId);
    }

    /** Number of exact keys held. */
    public int keyCount() {
        return holders.size();
    }
}
