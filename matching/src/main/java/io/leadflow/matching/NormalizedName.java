package io.leadflow.matching;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A company name reduced to what identifies the company.
 *
 * @param key the exact-match form: head name without punctuation, whitespace and legal form,
 *     regions in canonical short form, then {@code "#" + branch} for a branch; empty when the name
 *     has no distinctive core (then it yields no NAME key)
 * @param tokens the head name's tokens in order: regions, trade name, industry words, Latin words
 * @param weakTokens the tokens that do not distinguish a company (regions, industry words)
 * @param branch the branch part ({@code 北京分公司}, {@code shanghaibranch}), if any
 * @param legalForm the legal form(s) stripped, as written after folding ({@code 股份有限公司},
 *     {@code co ltd}); empty when none
 */
public record NormalizedName(
        String key, List<String> tokens, Set<String> weakTokens, Optional<String> branch, String legalForm) {

    public NormalizedName {
        Objects.requireNonNull(key, "key");
        tokens = List.copyOf(tokens);
        weakTokens = Set.copyOf(weakTokens);
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(legalForm, "legalForm");
    }

    static NormalizedName empty() {
        return new NormalizedName("", List.of(), Set.of(), Optional.empty(), "");
    }

    /** The distinctive tokens (not weak), in order. */
    public List<String> distinctiveTokens() {
        return tokens.stream().filter(token -> !weakTokens.contains(token)).toList();
    }

    /** Whether the name has a distinctive core, i.e. can be matched at all. */
    public boolean hasCore() {
        return !key.isEmpty();
    }
}
