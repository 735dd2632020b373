package io.leadflow.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How alike two normalised company names are, for flagging <em>possible duplicates</em> (never
 * for joining: only exact keys, and the engine's rule for a name that lacks only its region, join).
 *
 * <p>Rule: two names score 0 unless they share distinctive evidence — a distinctive (non-weak)
 * Latin word, a character bigram of a distinctive Chinese trade name, or distinctive cores within edit
 * distance 1 of at least {@value #MIN_NEAR_IDENTICAL_LENGTH} characters ({@code acmee} / {@code acme}), or of
 * {@value #MIN_NEAR_IDENTICAL_HAN_LENGTH} when both are Chinese ({@code 川中泰} / {@code 川宏泰}: the commonest length
 * of a Chinese trade name, where a typo leaves no bigram in common; two characters, {@code 星云} / {@code 星芸}, are
 * too few). Sharing only regions and industry words ({@code 上海星云科技} / {@code 上海银河科技})
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
    static final int MIN_NEAR_IDENTICAL_HAN_LENGTH = 3;
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
        if (a.key.isEmpty() || b.key.isEmpty()) {
            return 0;
        }
        if (a.key.equals(b.key)) {
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

        int shorter = Math.min(a.coreLength(), b.coreLength());
        boolean longEnough = shorter >= MIN_NEAR_IDENTICAL_LENGTH
                || shorter >= MIN_NEAR_IDENTICAL_HAN_LENGTH && a.coreIsHan() && b.coreIsHan();
        boolean nearIdentical = longEnough && Levenshtein.atMostOne(a.coreCodePoints(), b.coreCodePoints());
        if (shared == 0 && !nearIdentical) {
            return 0;
        }
        if (nearIdentical) {
            int longest = Math.max(a.core().length(), b.core().length());
            distinctive = Math.max(distinctive, 1.0 - (a.core().equals(b.core()) ? 0 : 1.0 / longest));
        }
        double score = DISTINCTIVE_WEIGHT * distinctive + (1 - DISTINCTIVE_WEIGHT) * jaccard(a.weak, b.weak);
        if (!a.branch.equals(b.branch)) {
            score *= BRANCH_PENALTY;
        }
        return Math.min(score, BELOW_EXACT);
    }

    /**
     * A name as {@link #score} compares it, with its distinctive units and core worked out on first use and
     * kept: a lead's name is scored against many candidates, and a candidate is read from its encoded form
     * without building a {@link NormalizedName}.
     */
    static final class Profile {

        private final String key;
        private final List<String> tokens;
        private final Set<String> weak;
        private final Optional<String> branch;
        private List<String> distinctive;
        private Set<String> units;
        private String core;
        private int coreLength = -1;
        private int[] coreCodePoints;
        private String withoutLeadingRegions;

        Profile(NormalizedName name) {
            this(name.key(), name.tokens(), name.weakTokens(), name.branch());
        }

        private Profile(String key, List<String> tokens, Set<String> weak, Optional<String> branch) {
            this.key = key;
            this.tokens = tokens;
            this.weak = weak;
            this.branch = branch;
        }

        /**
         * A name in the form {@link Comparisons#encode} writes: key, tokens, weak tokens and branch separated
         * by {@code part}, items by {@code item}.
         */
        static Profile ofEncoded(String encoded, char part, char item) {
            int first = encoded.indexOf(part);
            int second = encoded.indexOf(part, first + 1);
            int third = encoded.indexOf(part, second + 1);
            if (first < 0 || second < 0 || third < 0) {
                return new Profile(NormalizedName.empty());
            }
            String branch = encoded.substring(third + 1);
            return new Profile(
                    encoded.substring(0, first),
                    items(encoded, first + 1, second, item),
                    new HashSet<>(items(encoded, second + 1, third, item)),
                    branch.isEmpty() ? Optional.empty() : Optional.of(branch));
        }

        private static List<String> items(String encoded, int from, int to, char item) {
            if (from == to) {
                return List.of();
            }
            List<String> items = new ArrayList<>(4);
            int start = from;
            for (int i = from; i <= to; i++) {
                if (i == to || encoded.charAt(i) == item) {
                    items.add(encoded.substring(start, i));
                    start = i + 1;
                }
            }
            return items;
        }

        /**
         * The name without the regions it starts with, as a key ({@code 星云科技} of {@code 上海星云科技}, with
         * {@code #branch} if any); empty unless what remains has a trade name of at least two characters
         * (a word that is neither a region nor an industry word), so {@code 中国银行} gives nothing.
         */
        String withoutLeadingRegions() {
            if (withoutLeadingRegions == null) {
                int start = leadingRegionCount();
                StringBuilder rest = new StringBuilder();
                int tradeLength = 0;
                for (int i = start; i < tokens.size(); i++) {
                    String token = tokens.get(i);
                    rest.append(token);
                    if (!CompanyNameNormalizer.isRegion(token) && !CompanyNameNormalizer.isIndustryWord(token)) {
                        tradeLength += token.codePointCount(0, token.length());
                    }
                }
                withoutLeadingRegions =
                        tradeLength < 2 ? "" : rest + branch.map(b -> "#" + b).orElse("");
            }
            return withoutLeadingRegions;
        }

        /** The regions the name starts with ({@code 上海}; {@code 浙江}, {@code 杭州}); empty when none. */
        List<String> leadingRegions() {
            return tokens.subList(0, leadingRegionCount());
        }

        private int leadingRegionCount() {
            int count = 0;
            while (count < tokens.size() && CompanyNameNormalizer.isRegion(tokens.get(count))) {
                count++;
            }
            return count;
        }

        private List<String> distinctive() {
            if (distinctive == null) {
                distinctive = new ArrayList<>(tokens.size());
                for (String token : tokens) {
                    if (!weak.contains(token)) {
                        distinctive.add(token);
                    }
                }
            }
            return distinctive;
        }

        private Set<String> units() {
            if (units == null) {
                units = distinctiveUnits(distinctive());
            }
            return units;
        }

        private String core() {
            if (core == null) {
                core = String.join("", distinctive());
            }
            return core;
        }

        private int coreLength() {
            if (coreLength < 0) {
                coreLength = core().codePointCount(0, core().length());
            }
            return coreLength;
        }

        private boolean coreIsHan() {
            for (int codePoint : coreCodePoints()) {
                if (Character.UnicodeScript.of(codePoint) != Character.UnicodeScript.HAN) {
                    return false;
                }
            }
            return true;
        }

        private int[] coreCodePoints() {
            if (coreCodePoints == null) {
                coreCodePoints = core().codePoints().toArray();
            }
            return coreCodePoints;
        }
    }

    /** Latin words as they are; Chinese tokens as character bigrams (a single character as itself). */
    private static Set<String> distinctiveUnits(List<String> tokens) {
        Set<String> units = new HashSet<>();
        for (String token : tokens) {
            boolean han = Character.UnicodeScript.of(token.codePointAt(0)) == Character.UnicodeScript.HAN;
            int length = token.codePointCount(0, token.length());
            if (!han || length == 1) {
                units.add(token);
            } else {
                int start = 0;
                int middle = token.offsetByCodePoints(start, 1);
                for (int i = 0; i + 1 < length; i++) {
                    int end = token.offsetByCodePoints(middle, 1);
                    units.add(token.substring(start, end));
                    start = middle;
                    middle = end;
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
