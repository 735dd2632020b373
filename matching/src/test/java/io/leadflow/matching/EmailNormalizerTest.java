package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmailNormalizerTest {

    static Stream<Arguments> cases() {
        return TsvCases.read("/emails.tsv", 3);
    }

    @ParameterizedTest(name = "{2}: [{0}] -> [{1}]")
    @MethodSource("cases")
    void caseFoldsPlausibleAddressesAndRejectsOthers(String input, String expected, String note) {
        if (expected.isEmpty()) {
            assertThat(EmailNormalizer.normalize(input)).isEmpty();
            assertThat(EmailNormalizer.domain(input)).isEmpty();
        } else {
            assertThat(EmailNormalizer.normalize(input)).contains(expected);
            assertThat(EmailNormalizer.domain(input)).contains(expected.substring(expected.indexOf('@') + 1));
        }
    }

    /**
     * A domain of lower-case letters, digits, hyphens and dots skips {@link IDN#toASCII}: for every such domain the
     * address is what it was when every domain went through it — refused where IDN refuses the domain, kept as written
     * where IDN returns it unchanged.
     */
    @Test
    void aPlainAsciiDomainIsDecidedAsIdnWouldDecideIt() {
        Random random = new Random(20261127);
        String alphabet = "abcxyz0129-.";
        List<String> domains = new ArrayList<>(List.of(
                "example.cn",
                "a.b",
                "-a.cn",
                "a-.cn",
                "a..cn",
                ".a.cn",
                "a.cn.",
                "xn--fiqs8s.cn",
                "xn--.cn",
                "a.c0",
                "a".repeat(63) + ".cn",
                "a".repeat(64) + ".cn",
                "a.xn--fiqs8s",
                "1.23",
                "a-b.c-d",
                "--.cn"));
        for (int i = 0; i < 20_000; i++) {
            domains.add(GeneratedText.of(random, alphabet, 1, 80));
        }
        for (String domain : domains) {
            assertThat(EmailNormalizer.isLowerCaseLdh(domain)).as(domain).isTrue();
            Optional<String> address = EmailNormalizer.normalize("buyer@" + domain);
            String idn;
            try {
                idn = IDN.toASCII(
                        domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain,
                        IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                assertThat(address).as("IDN refuses %s", domain).isEmpty();
                continue;
            }
            address.ifPresent(kept -> assertThat(kept).isEqualTo("buyer@" + idn));
        }
    }

    @Test
    void returnsEmptyForNull() {
        assertThat(EmailNormalizer.normalize(null)).isEmpty();
        assertThat(EmailNormalizer.domain(null)).isEmpty();
    }

    /**
     * The syntax rules as the regular expressions they were until 2026-11-28; the normaliser checks them by hand.
     * Both must decide alike on every input: the fixed edge cases and 50,000 generated strings of the characters the
     * rules are about (letters of both cases, digits, hyphens, dots, white space, the forbidden punctuation, a
     * non-ASCII letter) and of every length around the 63-character label limit.
     */
    @Test
    void theSyntaxChecksDecideAsTheirRegularExpressions() {
        Pattern localPart = Pattern.compile("[^\\s@\"(),:;<>\\[\\]\\\\]+");
        Pattern label = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
        Pattern topLabel = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");
        List<String> inputs = new ArrayList<>(List.of(
                "",
                ".",
                "a",
                "a.b",
                "a.bc",
                "a.b1",
                "ab.xn--",
                "ab.xn--a",
                "ab.xn---",
                "ab.xn--a-",
                "a..bc",
                ".a.bc",
                "a.bc.",
                "-a.bc",
                "a-.bc",
                "a-b.bc",
                "a.b-c",
                "a.b\tc",
                "a b",
                "王@",
                "x\u000By",
                "a".repeat(63) + ".bc",
                "a".repeat(64) + ".bc",
                "ab." + "c".repeat(63),
                "ab." + "c".repeat(64),
                "ab.xn--" + "c".repeat(59),
                "ab.xn--" + "c".repeat(60)));
        Random random = new Random(20261128);
        String alphabet = "abzAZ09-.-. \t\n\u000B\f\r\u00A0@\"(),:;<>[]\\x王";
        for (int i = 0; i < 50_000; i++) {
            String text = GeneratedText.of(random, alphabet, 0, 140);
            inputs.add(text);
            inputs.add(text.replaceAll("[^a-z0-9.-]", ""));
        }
        for (String input : inputs) {
            assertThat(EmailNormalizer.isLocalPart(input))
                    .as("local part %s", input)
                    .isEqualTo(localPart.matcher(input).matches());
            String[] labels = input.split("\\.", -1);
            boolean domain = labels.length >= 2
                    && Stream.of(labels).allMatch(one -> label.matcher(one).matches())
                    && topLabel.matcher(labels[labels.length - 1]).matches();
            assertThat(EmailNormalizer.hasValidLabels(input))
                    .as("domain %s", input)
                    .isEqualTo(domain);
        }
    }
}
