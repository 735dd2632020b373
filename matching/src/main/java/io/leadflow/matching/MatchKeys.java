package io.leadflow.matching;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exact-match keys of one record, strongest first and without duplicates, plus its normalised
 * name for fuzzy (possible-duplicate) matching. Blank and invalid fields contribute nothing.
 */
public record MatchKeys(List<MatchKey> keys, NormalizedName name) {

    public MatchKeys {
        keys = keys.stream()
                .distinct()
                .sorted(Comparator.comparingInt((MatchKey key) -> key.kind().strength())
                        .reversed())
                .toList();
        Objects.requireNonNull(name, "name");
    }

    /** The keys of one kind, in extraction order. */
    public List<String> valuesOf(KeyKind kind) {
        return keys.stream()
                .filter(key -> key.kind() == kind)
                .map(MatchKey::value)
                .toList();
    }

    /** The strongest key, if any. */
    public Optional<MatchKey> strongest() {
        return keys.stream().findFirst();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
