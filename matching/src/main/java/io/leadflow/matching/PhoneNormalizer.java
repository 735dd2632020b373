package io.leadflow.matching;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a raw phone number into E.164 ({@code +862160000000}), the form phone match keys use.
 *
 * <p>Rule: NFKC first (full-width digits and brackets), then libphonenumber parses it with the
 * tenant's default region for numbers written without a country code ({@code 021-6000 0000},
 * {@code (010)12345678}, {@code 13800138000}); international forms ({@code +86 …}, {@code 0086 …})
 * keep their own country. Extensions ({@code ext 123}, {@code 转 123}) are dropped: a switchboard
 * identifies the company. A number libphonenumber does not consider valid for its region yields
 * nothing, so junk such as {@code 12345} or {@code 00000000} never matches another lead. Instances
 * are immutable and thread-safe.
 *
 * <p>Plain numbers skip libphonenumber's parsing, which is most of its cost (its extension and
 * viability regular expressions run on every input): digits (ASCII or full-width), single spaces or dashes
 * between them, an optional {@code +} and the default region's country code in front. For those the parse
 * result is known without it whenever it can neither strip an international nor a national prefix
 * (both checked with the region's own metadata patterns), and validation and formatting are still
 * libphonenumber's. Anything else goes the whole way; a test compares both ways on generated inputs. The region's
 * patterns the shortcut checks run as automata ({@link DigitPattern}).
 */
public final class PhoneNormalizer {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /**
     * National numbers the shortcut reads: at least 4 digits (libphonenumber takes 2; shorter ones, near its special
     * cases, go the whole way), at most libphonenumber's longest, 17; plus up to 3 for a country code.
     */
    private static final int MIN_NATIONAL_DIGITS = 4;

    private static final int MAX_NATIONAL_DIGITS = 17;
    private static final int MAX_DIGITS = MAX_NATIONAL_DIGITS + 3;

    /** From a full-width form (U+FF01–U+FF5E) to the ASCII character NFKC makes of it. */
    private static final int FULL_WIDTH_OFFSET = 0xFEE0;

    private final String defaultRegion;
    private final int countryCode;
    private final String countryCodeDigits;
    /** Whether {@code +<country code>} is read as this region (not so where regions share a code, e.g. +1). */
    private final boolean plusMeansThisRegion;
    /** The region's international dialling prefix ({@code 00} in China); null when none. */
    private final DigitPattern internationalPrefix;
    /** What libphonenumber strips as national prefix or carrier code ({@code 0} and more in China); null when none. */
    private final DigitPattern nationalPrefix;
    /** The region's numbers and its mobile numbers; null where the country code has other regions too. */
    private final NumberShape general;

    private final NumberShape mobile;

    /** @param defaultRegion ISO 3166-1 alpha-2 region for numbers without a country code, e.g. "CN" */
    public PhoneNormalizer(String defaultRegion) {
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        String region = defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (!PHONES.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unsupported phone region: " + defaultRegion);
        }
        this.defaultRegion = region;
        this.countryCode = PHONES.getCountryCodeForRegion(region);
        this.countryCodeDigits = Integer.toString(countryCode);
        PhoneMetadata metadata = DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource()
                .getMetadataForRegion(region);
        this.plusMeansThisRegion =
                region.equals(PHONES.getRegionCodeForCountryCode(countryCode)) && !shorterCodeExists(countryCodeDigits);
        this.internationalPrefix = patternOrNull(metadata.getInternationalPrefix());
        this.nationalPrefix = patternOrNull(metadata.getNationalPrefixForParsing());
        boolean onlyRegionOfItsCode =
                PHONES.getRegionCodesForCountryCode(countryCode).equals(List.of(region));
        this.general = onlyRegionOfItsCode ? NumberShape.of(metadata.getGeneralDesc()) : null;
        this.mobile = onlyRegionOfItsCode ? NumberShape.of(metadata.getMobile()) : null;
    }

    /**
     * A number type's shape as libphonenumber checks it ({@code isNumberMatchingDesc}): one of its lengths, if it
     * lists any, and its whole pattern.
     */
    private record NumberShape(Set<Integer> lengths, DigitPattern pattern) {
        static NumberShape of(PhoneNumberDesc desc) {
            String pattern = desc.getNationalNumberPattern();
            return pattern.isEmpty()
                    ? null
                    : new NumberShape(Set.copyOf(desc.getPossibleLengthList()), DigitPattern.compile(pattern));
        }

        boolean matches(String national) {
            return (lengths.isEmpty() || lengths.contains(national.length())) && pattern.matches(national);
        }
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** The number in E.164, or empty when blank, unparseable or not a valid number. */
    public Optional<String> toE164(String raw) {
        if (Text.isBlank(raw)) {
            return Optional.empty();
        }
        PhoneNumber plain = plainNumber(raw);
        if (plain == null) {
            return parsedToE164(raw);
        }
        String national = Long.toString(plain.getNationalNumber());
        if (general != null && mobile != null && general.matches(national) && mobile.matches(national)) {
            // What isValidNumber would say, sooner: a number of its region's general shape is valid if it has the shape
            // of any of the region's types, and mobile is the one it checks last (China's fixed-line pattern before it
            // is long). "+", country code, national digits is its E.164 of a number without leading zeros.
            return Optional.of("+" + countryCodeDigits + national);
        }
        return valid(plain);
    }

    /** {@link #toE164} the whole way through libphonenumber, without the plain-number shortcut; for tests. */
    Optional<String> parsedToE164(String raw) {
        if (Text.isBlank(raw)) {
            return Optional.empty();
        }
        String folded = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        // libphonenumber knows "ext", "x", "#" and a few others; Chinese forms are cut here.
        int extension = indexOfChineseExtension(folded);
        if (extension >= 0) {
            folded = folded.substring(0, extension);
        }
        try {
            return valid(PHONES.parse(folded, defaultRegion));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> valid(PhoneNumber number) {
        if (!PHONES.isValidNumber(number)) {
            return Optional.empty();
        }
        return Optional.of(PHONES.format(number, PhoneNumberFormat.E164));
    }

    /**
     * The number libphonenumber's {@code parse} makes of {@code raw}, when {@code raw} is plain enough to know it
     * without parsing; otherwise null. Plain: spaces around, then an optional {@code +}, then ASCII digits with at
     * most one space or dash between two of them. After a {@code +} the digits must start with this region's
     * country code; without one they must not (libphonenumber may then read it as a country code), nor start with
     * the international prefix. The national number must not start with 0 or with anything libphonenumber would
     * strip as national prefix or carrier code. Then parsing would only drop the separators: the number is the
     * country code and the national digits, which is what this returns.
     */
    PhoneNumber plainNumber(String raw) {
        int from = 0;
        int to = raw.length();
        while (from < to && raw.charAt(from) == ' ') {
            from++;
        }
        while (to > from && raw.charAt(to - 1) == ' ') {
            to--;
        }
        boolean plus = from < to && narrow(raw.charAt(from)) == '+';
        if (plus) {
            if (!plusMeansThisRegion) {
                return null;
            }
            from++;
        }
        char[] digits = new char[MAX_DIGITS];
        int count = 0;
        boolean afterDigit = false;
        for (int i = from; i < to; i++) {
            char c = narrow(raw.charAt(i));
            if (c >= '0' && c <= '9' && count < MAX_DIGITS) {
                digits[count++] = c;
                afterDigit = true;
            } else if ((c == ' ' || c == '-') && afterDigit) {
                afterDigit = false;
            } else {
                return null;
            }
        }
        if (!afterDigit) {
            return null;
        }
        if (plus != startsWith(digits, count, countryCodeDigits)
                || !plus
                        && internationalPrefix != null
                        && internationalPrefix.lookingAt(CharBuffer.wrap(digits, 0, count))) {
            return null;
        }
        int start = plus ? countryCodeDigits.length() : 0;
        int length = count - start;
        if (length < MIN_NATIONAL_DIGITS || length > MAX_NATIONAL_DIGITS || digits[start] == '0') {
            return null;
        }
        CharBuffer national = CharBuffer.wrap(digits, start, length);
        if (nationalPrefix != null && nationalPrefix.lookingAt(national)) {
            return null;
        }
        return new PhoneNumber().setCountryCode(countryCode).setNationalNumber(Long.parseLong(national, 0, length, 10));
    }

    /**
     * The character NFKC makes of {@code c} where that is one the shortcut reads: full-width digits, plus and
     * hyphen-minus, and the ideographic space, as Chinese input methods type them ({@code １３８ ００１３ ８０００});
     * any other character as it is.
     */
    private static char narrow(char c) {
        if (c >= '\uFF10' && c <= '\uFF19' || c == '\uFF0B' || c == '\uFF0D') {
            return (char) (c - FULL_WIDTH_OFFSET);
        }
        return c == '\u3000' ? ' ' : c;
    }

    private static boolean startsWith(char[] digits, int count, String prefix) {
        if (count < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (digits[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a shorter prefix of {@code digits} is a calling code: libphonenumber would read that one instead. */
    private static boolean shorterCodeExists(String digits) {
        for (int length = 1; length < digits.length(); length++) {
            if (PHONES.getSupportedCallingCodes().contains(Integer.parseInt(digits.substring(0, length)))) {
                return true;
            }
        }
        return false;
    }

    private static DigitPattern patternOrNull(String regex) {
        return regex == null || regex.isEmpty() ? null : DigitPattern.compile(regex);
    }

    private static int indexOfChineseExtension(String number) {
        int best = -1;
        for (String marker : new String[] {"转", "分机", "轉"}) {
            int at = number.indexOf(marker);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }
}
