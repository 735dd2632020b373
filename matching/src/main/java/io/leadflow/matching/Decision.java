package io.leadflow.matching;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do with one record: join {@link #joined()} or found a new customer; plus the findings to
 * report. Rule: the strongest joining match wins (exact before fuzzy, then by key strength, then by
 * score); every other joining match becomes a merge suggestion (merges are explicit); possible
 * duplicates are reported only for a record that founds a new customer.
 */
public record Decision(Optional<Match> joined, List<Match> mergeSuggestions, List<Match> possibleDuplicates) {

    public Decision {
        Objects.requireNonNull(joined, "joined");
        mergeSuggestions = List.copyOf(mergeSuggestions);
        possibleDuplicates = List.copyOf(possibleDuplicates);
    }

    public boolean foundsNewCustomer() {
        return joined.isEmpty();
    }
}
