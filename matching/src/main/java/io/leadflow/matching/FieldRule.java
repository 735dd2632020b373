package io.leadflow.matching;

import java.util.Objects;

/**
 * One field of a matching profile: its name in the input, its role, and how much it counts in a fuzzy
 * comparison. A compared field adds {@code weight × similarity − penalty × (1 − similarity)} to a
 * candidate's score when both records have it; a missing value adds nothing. Weight 0 means the field
 * only yields exact keys.
 */
public record FieldRule(String field, Role role, double weight, double penalty) {

    public FieldRule {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(role, "role");
        if (field.isBlank()) {
            throw new IllegalArgumentException("a field needs a name");
        }
        if (!(weight >= 0) || !(penalty >= 0)) {
            throw new IllegalArgumentException("weight and penalty of " + field + " must be >= 0");
        }
    }

    /** A field that only yields exact keys. */
    public static FieldRule key(String field, Role role) {
        return new FieldRule(field, role, 0, 0);
    }

    boolean isCompared() {
        return weight > 0 || penalty > 0;
    }
}
