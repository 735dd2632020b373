package io.leadflow.matching;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How each role's value is reduced to a comparable form, which blocking units it files under, and how
 * two comparable forms score (0 = different, 1 = same). Comparable forms are plain strings so an index
 * can store them with a customer (its fingerprint) and compare without re-normalising.
 */
final class Comparisons {

    static final double TEXT_FLOOR = 0.7;
    private static final char PART = '\u001F';
    private static final char ITEM = '\u001D';
    /** Stands for the middle character of a three-character Chinese token in its blocking unit. */
    private static final char GAP = '*';

    private static final CompanyNameNormalizer NAMES = new CompanyNameNormalizer();

    private Comparisons() {}

    /** The comparable form of {@code raw} for {@code role}, or "" when it cannot be compared. */
    static String comparable(Role role, String raw, PhoneNormalizer phones) {
        String value = switch (role) {
            case CREDIT_CODE -> CreditCodes.normalize(raw).orElse("");
            case IDENTIFIER, POSTCODE -> Role.foldCode(raw);
            case DATE -> Text.isBlank(raw) ? "" : raw.replaceAll("\\D", "");
            case EMAIL -> EmailNormalizer.normalize(raw).orElse("");
            case PHONE -> phones.toE164(raw).orElse("");
            case WEBSITE -> WebsiteNormalizer.registrableDomain(raw).orElse("");
            case ORGANISATION_NAME -> encode(NAMES.normalize(raw));
            case PERSON_NAME, ADDRESS -> Role.foldText(raw);
        };
        return clean(value);
    }

    /** The blocking units a comparable value files under (without the field name). */
    static Set<String> blockingUnits(Role role, String comparable) {
        if (comparable.isEmpty()) {
            return Set.of();
        }
        return switch (role) {
            case ORGANISATION_NAME -> distinctiveUnits(decode(comparable).distinctiveTokens());
            case PERSON_NAME -> wordPrefixes(comparable);
            case POSTCODE, DATE -> Set.of(comparable);
            default -> Set.of();
        };
    }

    /** Similarity of two non-empty comparable forms, in [0, 1]. */
    static double similarity(Role role, String a, String b) {
        if (a.equals(b)) {
            return role == Role.ORGANISATION_NAME ? NameSimilarity.score(decode(a), decode(b)) : 1;
        }
        return switch (role) {
            case ORGANISATION_NAME -> NameSimilarity.score(decode(a), decode(b));
            case PERSON_NAME -> rescaled(JaroWinkler.similarity(a, b));
            case ADDRESS -> rescaled(JaroWinkler.similarity(a.replace(" ", ""), b.replace(" ", "")));
            case IDENTIFIER, POSTCODE, DATE -> EditDistance.withinOne(a, b) ? 0.5 : 0;
            default -> 0;
        };
    }

    /**
     * Jaro-Winkler scores unrelated words around 0.5, so below {@value #TEXT_FLOOR} counts as no
     * similarity and the rest is stretched to [0, 1].
     */
    private static double rescaled(double jaroWinkler) {
        return Math.max(0, (jaroWinkler - TEXT_FLOOR) / (1 - TEXT_FLOOR));
    }

    // ---- organisation names travel as key, tokens, weak tokens, branch

    static String encode(NormalizedName name) {
        if (!name.hasCore()) {
            return "";
        }
        return name.key()
                + PART
                + String.join(String.valueOf(ITEM), name.tokens())
                + PART
                + String.join(String.valueOf(ITEM), name.weakTokens())
                + PART
                + name.branch().orElse("");
    }

    static NormalizedName decode(String encoded) {
        String[] parts = encoded.split(String.valueOf(PART), -1);
        return new NormalizedName(
                parts[0],
                split(parts[1]),
                Set.copyOf(split(parts[2])),
                parts[3].isEmpty() ? Optional.empty() : Optional.of(parts[3]),
                "");
    }

    /** An encoded organisation name as {@link NameSimilarity} compares it, read without decoding it whole. */
    static NameSimilarity.Profile nameProfile(String encoded) {
        return NameSimilarity.Profile.ofEncoded(encoded, PART, ITEM);
    }

    /** The NAME key inside an encoded organisation name. */
    static String nameKey(String encoded) {
        int end = encoded.indexOf(PART);
        return end < 0 ? encoded : encoded.substring(0, end);
    }

    private static List<String> split(String items) {
        return items.isEmpty() ? List.of() : List.of(items.split(String.valueOf(ITEM), -1));
    }

    /**
     * Latin words as they are; Chinese tokens as character bigrams (a single character as itself), and a token of
     * three characters also as its first and last around {@link #GAP} ({@code 川*泰}): a typo in any one of its
     * characters leaves one of the three in common ({@code 川宏泰} meets {@code 川中泰} at {@code 川*泰}).
     */
    static Set<String> distinctiveUnits(List<String> tokens) {
        Set<String> units = new LinkedHashSet<>();
        for (String token : tokens) {
            int[] cps = token.codePoints().toArray();
            if (cps.length == 0) {
                continue;
            }
            boolean han = Character.UnicodeScript.of(cps[0]) == Character.UnicodeScript.HAN;
            if (!han || cps.length == 1) {
                units.add(token);
            } else {
                for (int i = 0; i + 1 < cps.length; i++) {
                    units.add(new String(cps, i, 2));
                }
                if (cps.length == 3) {
                    units.add(new StringBuilder(3)
                            .appendCodePoint(cps[0])
                            .append(GAP)
                            .appendCodePoint(cps[2])
                            .toString());
                }
            }
        }
        return units;
    }

    private static Set<String> wordPrefixes(String text) {
        Set<String> prefixes = new LinkedHashSet<>();
        for (String word : text.split(" ")) {
            int[] cps = word.codePoints().toArray();
            if (cps.length >= 2) {
                prefixes.add(new String(cps, 0, Math.min(3, cps.length)));
            }
        }
        return prefixes;
    }

    /** Drops the separators fingerprints and index keys use, should raw input contain them. */
    private static String clean(String value) {
        return value.indexOf('\u001E') < 0 && value.indexOf('\u0000') < 0
                ? value
                : value.replace("\u001E", "").replace("\u0000", "");
    }

    static List<String> splitFingerprint(String fingerprint, int fields) {
        List<String> values = new ArrayList<>(List.of(fingerprint.split("\u001E", -1)));
        while (values.size() < fields) {
            values.add("");
        }
        return values;
    }
}
