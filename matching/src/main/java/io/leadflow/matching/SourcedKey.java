package io.leadflow.matching;

import java.util.Objects;

/** An exact key and the input field it came from (for evidence). */
public record SourcedKey(MatchKey key, String field) {

    public SourcedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
    }
}
