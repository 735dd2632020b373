package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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
            StringBuilder domain = new StringBuilder();
            int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 80 : 12);
            for (int c = 0; c < length; c++) {
                domain.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            domains.add(domain.toString());
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
}
