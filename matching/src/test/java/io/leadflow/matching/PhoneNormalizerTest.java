package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhoneNormalizerTest {

    static Stream<Arguments> cases() {
        return TsvCases.read("/phones.tsv", 4);
    }

    @ParameterizedTest(name = "{3}: [{0}] in {1} -> [{2}]")
    @MethodSource("cases")
    void formatsValidNumbersAsE164AndRejectsInvalidOnes(String input, String region, String expected, String note) {
        PhoneNormalizer phones = new PhoneNormalizer(region);

        if (expected.isEmpty()) {
            assertThat(phones.toE164(input)).isEmpty();
        } else {
            assertThat(phones.toE164(input)).contains(expected);
        }
    }

    @ParameterizedTest(name = "{3}: [{0}] in {1}")
    @MethodSource("cases")
    void givesWhatLibphonenumbersParseGivesForEveryCase(String input, String region, String expected, String note) {
        PhoneNormalizer phones = new PhoneNormalizer(region);

        assertThat(phones.toE164(input)).isEqualTo(phones.parsedToE164(input));
    }

    /**
     * The plain-number shortcut against the whole way through libphonenumber, on generated inputs that are mostly
     * plain and often on the edges of the shortcut: country codes with and without plus, international and national
     * prefixes, carrier codes, leading zeros, every length around the limits, odd separators. Half are random
     * digits, half are libphonenumber's example numbers of each region and type with their last digits changed, so
     * that many are valid.
     */
    @Test
    void plainNumbersGiveWhatLibphonenumbersParseGives() throws NumberParseException {
        List<String> prefixes = List.of(
                "", "", "", "+", "+86", "+86 ", "+86-", "86", "86 ", "0086", "00", "0", "+1", "+1 ", "1", "011", "+44",
                "44", "+49", "49", "+852", "852", "+7", "8", "+886", "17951", "12593", "+86 0", "  ", "++86", "+ 86");
        List<String> separators = List.of("", "", "", "", " ", "-", "  ", "--", " -", ".", "(", ")", "/", "\t");
        List<String> firstDigits = List.of(
                "1", "13", "138", "15", "17", "179", "19", "2", "21", "10", "4", "400", "8", "0", "00", "5", "6", "7",
                "9", "3");
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Random random = new Random(20261127);
        int plain = 0;
        int valid = 0;
        for (String region : List.of("CN", "US", "GB", "DE", "HK", "TW", "RU", "IT", "CA")) {
            PhoneNormalizer phones = new PhoneNormalizer(region);
            List<String> examples = new ArrayList<>();
            for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
                Phonenumber.PhoneNumber example = util.getExampleNumberForType(region, type);
                if (example != null) {
                    examples.add(util.getNationalSignificantNumber(example));
                }
            }
            String countryCode = "+" + util.getCountryCodeForRegion(region);
            for (int i = 0; i < 20_000; i++) {
                StringBuilder digits = new StringBuilder();
                StringBuilder input = new StringBuilder();
                if (i % 2 == 0) {
                    input.append(prefixes.get(random.nextInt(prefixes.size())));
                    digits.append(firstDigits.get(random.nextInt(firstDigits.size())));
                    int more = random.nextInt(16);
                    for (int d = 0; d < more; d++) {
                        digits.append((char) ('0' + random.nextInt(10)));
                    }
                } else {
                    input.append(random.nextBoolean() ? "" : countryCode + (random.nextBoolean() ? " " : ""));
                    digits.append(examples.get(random.nextInt(examples.size())));
                    for (int d = Math.max(1, digits.length() - 4); d < digits.length(); d++) {
                        digits.setCharAt(d, (char) ('0' + random.nextInt(10)));
                    }
                }
                for (int d = 0; d < digits.length(); d++) {
                    if (d > 0 && random.nextInt(4) == 0) {
                        input.append(separators.get(random.nextInt(separators.size())));
                    }
                    input.append(digits.charAt(d));
                }
                if (random.nextInt(20) == 0) {
                    input.append(separators.get(random.nextInt(separators.size())));
                }
                String number = random.nextInt(4) == 0 ? widened(input.toString(), random) : input.toString();
                assertThat(phones.toE164(number))
                        .as("[%s] in %s", number, region)
                        .isEqualTo(phones.parsedToE164(number));
                Phonenumber.PhoneNumber shortcut = phones.plainNumber(number);
                if (shortcut != null) {
                    plain++;
                    // Not only the same answer: the number libphonenumber's parse makes of it, valid or not.
                    Phonenumber.PhoneNumber parsed = util.parse(
                            Normalizer.normalize(number, Normalizer.Form.NFKC).strip(), region);
                    assertThat(shortcut.getCountryCode())
                            .as("[%s] in %s", number, region)
                            .isEqualTo(parsed.getCountryCode());
                    assertThat(shortcut.getNationalNumber())
                            .as("[%s] in %s", number, region)
                            .isEqualTo(parsed.getNationalNumber());
                    assertThat(parsed.isItalianLeadingZero())
                            .as("[%s] in %s", number, region)
                            .isFalse();
                    if (phones.toE164(number).isPresent()) {
                        valid++;
                    }
                }
            }
        }
        assertThat(plain).as("generated inputs read by the shortcut").isGreaterThan(25_000);
        assertThat(valid).as("valid numbers among those").isGreaterThan(10_000);
    }

    /**
     * {@code number} with some or all of its characters in their full-width forms (digits, signs, letters; a space
     * as the ideographic one), as Chinese input methods type them.
     */
    private static String widened(String number, Random random) {
        boolean all = random.nextBoolean();
        StringBuilder wide = new StringBuilder(number.length());
        for (char c : number.toCharArray()) {
            if (!all && random.nextBoolean()) {
                wide.append(c);
            } else if (c == ' ') {
                wide.append('\u3000');
            } else if (c > ' ' && c < 0x7F) {
                wide.append((char) (c + 0xFEE0));
            } else {
                wide.append(c);
            }
        }
        return wide.toString();
    }

    @Test
    void rejectsUnknownDefaultRegion() {
        assertThatThrownBy(() -> new PhoneNormalizer("XX")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsLowerCaseRegion() {
        assertThat(new PhoneNormalizer("cn").toE164("13800138000")).contains("+8613800138000");
    }

    @Test
    void returnsEmptyForNull() {
        assertThat(new PhoneNormalizer("CN").toE164(null)).isEmpty();
    }
}
