package io.leadflow.matching;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What a field of a record means to matching. A role decides the field's exact keys, how it is
 * normalised for comparison and which blocking keys find candidates for it.
 *
 * <ul>
 *   <li>{@link #CREDIT_CODE}: an 18-character unified social credit code; a CREDIT_CODE key only
 *       when its checksums hold.
 *   <li>{@link #IDENTIFIER}: any other identifier (customer number, national id); letters and digits
 *       only, upper-cased; an IDENTIFIER key.
 *   <li>{@link #EMAIL}: an EMAIL key and, unless free-mail, a DOMAIN key.
 *   <li>{@link #PHONE}: a PHONE key in E.164 when valid for the default region.
 *   <li>{@link #WEBSITE}: a DOMAIN key (registrable domain).
 *   <li>{@link #ORGANISATION_NAME}: a NAME key (normalised company name) and a fuzzy comparison
 *       ({@link NameSimilarity}) blocked on distinctive units.
 *   <li>{@link #PERSON_NAME}, {@link #ADDRESS}: fuzzy comparison (Jaro-Winkler over folded text);
 *       person names block on each word's first three characters.
 *   <li>{@link #POSTCODE}, {@link #DATE}: compared exactly (one edit or a swap scores half); block on
 *       their value.
 * </ul>
 */
public enum Role {
    CREDIT_CODE,
    IDENTIFIER,
    EMAIL,
    PHONE,
    WEBSITE,
    ORGANISATION_NAME,
    PERSON_NAME,
    ADDRESS,
    POSTCODE,
    DATE;

    /** Folded text: NFKC, lower case, punctuation to spaces, spaces collapsed; empty when blank. */
    static String foldText(String raw) {
        if (Text.isBlank(raw)) {
            return "";
        }
        return Normalizer.normalize(raw, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[\\p{P}\\p{S}]+", " ")
                .replaceAll("\\s+", " ")
                .strip();
    }

    /** Letters and digits only, upper-cased; empty when nothing is left. */
    static String foldCode(String raw) {
        if (Text.isBlank(raw)) {
            return "";
        }
        return Normalizer.normalize(raw, Normalizer.Form.NFKC)
                .toUpperCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
