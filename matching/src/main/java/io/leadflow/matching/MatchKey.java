package io.leadflow.matching;

import java.util.Objects;

/** One exact-match key: two records sharing a key (same kind, same value) are the same customer. */
public record MatchKey(KeyKind kind, String value) {

    public MatchKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a match key is never blank");
        }
    }
}
