package io.leadflow.matching;

import java.util.List;
import java.util.Objects;

/**
 * A customer a record matches, how strongly, and why.
 *
 * @param strength for {@link Verdict#SAME}, the {@link KeyKind#strength()} of the strongest shared key;
 *     0 otherwise
 * @param score 1.0 for {@link Verdict#SAME}; the fuzzy score otherwise (the profile's scale)
 */
public record Match(String customerId, Verdict verdict, int strength, double score, List<Evidence> evidence) {

    public Match {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(verdict, "verdict");
        evidence = List.copyOf(evidence);
    }

    /** What a match means. */
    public enum Verdict {
        /** Shares an exact key: the record is this customer. */
        SAME,
        /** Fuzzy score at or above the profile's join threshold: joined like an exact match. */
        LIKELY,
        /** Fuzzy score at or above the review threshold: a possible duplicate, for a person to decide. */
        POSSIBLE
    }

    /** Whether this match joins a record on its own (exact, or fuzzy above the join threshold). */
    public boolean joins() {
        return verdict != Verdict.POSSIBLE;
    }
}
