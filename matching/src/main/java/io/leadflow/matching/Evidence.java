package io.leadflow.matching;

import java.util.Locale;
import java.util.Objects;

/**
 * One reason behind a match, so a user can see why: which key or field, which value, which score,
 * which rule.
 *
 * @param kind the {@link KeyKind} of an exact key ({@code EMAIL}), or the {@link Role} of a compared
 *     field ({@code ORGANISATION_NAME})
 * @param field the input field it came from
 * @param value the normalised value that matched; for a comparison {@code "mine ~ theirs"}
 * @param score 1.0 for an exact key, the similarity for a comparison
 * @param rule {@code exact-<kind>} or {@code similar-<field>}
 */
public record Evidence(String kind, String field, String value, double score, String rule) {

    public Evidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(rule, "rule");
    }

    static Evidence exact(SourcedKey key) {
        return new Evidence(
                key.key().kind().name(),
                key.field(),
                key.key().value(),
                1.0,
                "exact-" + key.key().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s=%.2f (%s)", kind, value, score, rule);
    }
}
