package io.leadflow.matching;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A record reduced to what matching needs, computed once: its exact keys (strongest first, no
 * duplicates), the comparable values of the profile's compared fields, its blocking keys and the
 * fingerprint it is filed with.
 */
public record PreparedRecord(List<SourcedKey> keys, List<String> comparables, Set<String> blocks, String fingerprint) {

    public PreparedRecord {
        keys = List.copyOf(keys);
        comparables = List.copyOf(comparables);
        blocks = Set.copyOf(blocks);
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** The exact keys alone, strongest first. */
    public List<MatchKey> matchKeys() {
        return keys.stream().map(SourcedKey::key).toList();
    }

    /** Whether nothing in the record can match anything (no key, no comparable value). */
    public boolean isUnmatchable() {
        return keys.isEmpty() && blocks.isEmpty();
    }
}
