package io.leadflow.matching;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Unified Social Credit Codes (统一社会信用代码, GB 32100-2015), the strongest match key.
 *
 * <p>Rule: after NFKC, upper-casing and removing spaces and dashes, a code is 18 characters from
 * {@code 0-9 A-H J-N P-R T-U W-Y} (no I, O, Z, S, V) where
 *
 * <ul>
 *   <li>position 1 (registration authority) is 1-9, A, N or Y and position 2 (entity category) a
 *       digit 1-9, positions 3-8 (administrative division) are digits — this rejects placeholders
 *       such as {@code 000000000000000000}, which pass both checksums;
 *   <li>positions 9-17 are the organisation code of GB 11714, whose 9th character (position 17) is
 *       its own check: weights 3,7,9,10,5,8,4,2 over the first eight (digits 0-9, letters A=10 …
 *       Z=35), {@code 11 - sum mod 11}, where 10 is written X and 11 is written 0;
 *   <li>position 18 is the check character: weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
 *       over the first 17 (values = index in the charset), {@code (31 - sum mod 31) mod 31}.
 * </ul>
 *
 * A code that fails any of these yields no key: a typo must not merge two companies.
 */
public final class CreditCodes {

    static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final int[] ORGANISATION_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};
    private static final String AUTHORITIES = "123456789ANY";

    private CreditCodes() {}

    /** Whether {@code code}, exactly as given (no folding), is a valid code. */
    public static boolean isValid(String code) {
        if (code == null || code.length() != 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            if (CHARSET.indexOf(code.charAt(i)) < 0) {
                return false;
            }
        }
        if (AUTHORITIES.indexOf(code.charAt(0)) < 0 || !isDigitOneToNine(code.charAt(1))) {
            return false;
        }
        for (int i = 2; i < 8; i++) {
            if (!Character.isDigit(code.charAt(i))) {
                return false;
            }
        }
        return code.charAt(16) == organisationCheck(code.substring(8, 16))
                && code.charAt(17) == checkCharacter(code.substring(0, 17));
    }

    /** The code folded (NFKC, upper case, no spaces or dashes) when valid, else empty. */
    public static Optional<String> normalize(String raw) {
        if (Text.isBlank(raw)) {
            return Optional.empty();
        }
        String folded = Normalizer.normalize(raw, Normalizer.Form.NFKC)
                .toUpperCase(Locale.ROOT)
                .replaceAll("[\\s\\-]", "");
        return isValid(folded) ? Optional.of(folded) : Optional.empty();
    }

    /**
     * Completes the first 16 characters of a code (authority, category, division, organisation body)
     * with both check characters. For generating test data; the body must use {@link #CHARSET}.
     */
    public static String withCheckCharacters(String first16) {
        if (first16 == null || first16.length() != 16) {
            throw new IllegalArgumentException("need the first 16 characters of a code");
        }
        String first17 = first16 + organisationCheck(first16.substring(8, 16));
        return first17 + checkCharacter(first17);
    }

    /** GB 32100 check character for the first 17 characters (all from {@link #CHARSET}). */
    static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += CHARSET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        return CHARSET.charAt((31 - sum % 31) % 31);
    }

    /** GB 11714 check character for an eight-character organisation code body. */
    static char organisationCheck(String body) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            char c = body.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            sum += value * ORGANISATION_WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
    }

    private static boolean isDigitOneToNine(char c) {
        return c >= '1' && c <= '9';
    }
}
