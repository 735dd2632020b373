package io.leadflow.matching;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
 */
public final class PhoneNormalizer {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    /** @param defaultRegion ISO 3166-1 alpha-2 region for numbers without a country code, e.g. "CN" */
    public PhoneNormalizer(String defaultRegion) {
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        String region = defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (!PHONES.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unsupported phone region: " + defaultRegion);
        }
        this.defaultRegion = region;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** The number in E.164, or empty when blank, unparseable or not a valid number. */
    public Optional<String> toE164(String raw) {
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
            PhoneNumber number = PHONES.parse(folded, defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(number, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
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
