package io.leadflow.matching;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How alike two normalised company names are, for flagging <em>possible duplicates</em> (never
 * for merging: only exact keys merge).
 *
 * <p>Rule: two names score 0 unless they share distinctive evidence — a distinctive (non-weak)
 * Latin word, a character bigram of a distinctive Chinese trade name, or distinctive cores of at
 * least {@value #MIN_NEAR_IDENTICAL_LENGTH} characters within edit distance 1 ({@code acmee} /
 * {@code acme}). Sharing only regions and industry words ({@code 上海星云科技} / {@code 上海银河科技})
 * is not evidence. Given evidence, the score is {@code 0.8 × Dice(distinctive units) + 0.2 ×
 * Jaccard(weak tokens)}, times 0.95 when the branches differ; it is 1.0 only for equal keys, and at
 * most 0.99 otherwise. Chinese trade names compare by character bigrams so that {@code 星云} and
 * {@code 星云天} overlap; Latin names compare by whole words.
 */
public final class NameSimilarity {

    /**
     * Recommended threshold for a possible duplicate. Same trade name with a different region or
     * extra industry words scores 0.8-0.99; one trade name extending another ({@code 星云} /
     * {@code 星云天}) about 0.73; unrelated names 0.
     */
    public static final double POSSIBLE_DUPLICATE = 0.7;

    static final int MIN_NEAR_IDENTICAL_LENGTH = 4;
    private static final double DISTINCTIVE_WEIGHT = 0.8;
    private static final double BRANCH_PENALTY = 0.95;
    private static final double BELOW_EXACT = 0.99;

    private NameSimilarity() {}

    /** A score in [0, 1]; 0 when either name has no core or they share no distinctive evidence. */
    public static double score(NormalizedName a, NormalizedName b) {
        return score(new Profile(a), new Profile(b));
    }

    /** {@link #score(NormalizedName, NormalizedName)} of two names taken apart once (e.g. a lead's against many). */
    static double score(Profile a, Profile b) {
        if (!a.name.hasCore() || !b.name.hasCore()) {
            return 0;
        }
        if (a.name.key().equals(b.name.key())) {
            return 1;
        }
        Set<String> unitsA = a.units();
        Set<String> unitsB = b.units();
        int shared = 0;
        for (String unit : unitsA) {
            if (unitsB.contains(unit)) {
                shared++;
            }
        }
        double distinctive = 2.0 * shared / (unitsA.size() + unitsB.size());

        boolean nearIdentical = Math.min(a.coreLength(), b.coreLength()) >= MIN_NEAR_IDENTICAL_LENGTH
                && Levenshtein.atMostOne(a.coreCodePoints(), b.coreCodePoints());
        if (shared == 0 && !nearIdentical) {
            return 0;
        }
        if (nearIdentical) {
            int longest = Math.max(a.core().length(), b.core().length());
            distinctive = Math.max(distinctive, 1.0 - (a.core().equals(b.core()) ? 0 : 1.0 / longest));
        }
        double score = DISTINCTIVE_WEIGHT * distinctive
                + (1 - DISTINCTIVE_WEIGHT) * jaccard(a.name.weakTokens(), b.name.weakTokens());
        if (!a.name.branch().equals(b.name.branch())) {
            score *= BRANCH_PENALTY;
        }
        return Math.min(score, BELOW_EXACT);
    }

    /**
     * A name with what {@link #score} compares worked out on first use and kept: its distinctive units and
     * its distinctive core.
     */
    static final class Profile {

        private final NormalizedName name;
        private Set<String> units;
        private String core;
        private int[] coreCodePoints;

        Profile(NormalizedName name) {
            this.name = name;
        }

        private Set<String> units() {
            if (units == null) {
                units = distinctiveUnits(name.distinctiveTokens());
            }
            return units;
        }

        private String core() {
            if (core == null) {
                core = String.join("", name.distinctiveTokens());
            }
            return core;
        }

        private int[] coreCodePoints() {
            if (coreCodePoints == null) {
                coreCodePoints = core().codePoints().toArray();
            }
            return coreCodePoints;
        }

        private int coreLength() {
            return coreCodePoints().length;
        }
    }

    /** Latin words as they are; Chinese tokens as character bigrams (a single character as itself). */
    private static Set<String> distinctiveUnits(List<String> tokens) {
        Set<String> units = new HashSet<>();
        for (String token : tokens) {
            int[] cps = token.codePoints().toArray();
            boolean han = Character.UnicodeScript.of(cps[0]) == Character.UnicodeScript.HAN;
            if (!han || cps.length == 1) {
                units.add(token);
            } else {
                for (int i = 0; i + 1 < cps.length; i++) {
                    units.add(new String(cps, i, 2));
                }
            }
        }
        return units;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int intersection = 0;
        for (String token : a) {
            if (b.contains(token)) {
                intersection++;
            }
        }
        return (double) intersection / (a.size() + b.size() - intersection);
    }

    /** Bounded edit distance: only "equal or one edit apart" is needed. */
    static final class Levenshtein {
        private Levenshtein() {}

        static boolean atMostOne(String a, String b) {
            return atMostOne(a.codePoints().toArray(), b.codePoints().toArray());
        }

        static boolean atMostOne(int[] x, int[] y) {
            if (Math.abs(x.length - y.length) > 1) {
                return false;
            }
            int i = 0;
            while (i < x.length && i < y.length && x[i] == y[i]) {
                i++;
            }
            if (x.length == y.length) {
                return i == x.length || tailEquals(x, i + 1, y, i + 1);
            }
            return x.length > y.length ? tailEquals(x, i + 1, y, i) : tailEquals(x, i, y, i + 1);
        }

        private static boolean tailEquals(int[] x, int fromX, int[] y, int fromY) {
            if (x.length - fromX != y.length - fromY) {
                return false;
            }
            for (int k = 0; fromX + k < x.length; k++) {
                if (x[fromX + k] != y[fromY + k]) {
                    return false;
                }
            }
            return true;
        }
    }
}
