package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
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

class WebsiteNormalizerTest {

    static Stream<Arguments> cases() {
        return TsvCases.read("/websites.tsv", 3);
    }

    @ParameterizedTest(name = "{2}: [{0}] -> [{1}]")
    @MethodSource("cases")
    void reducesWebsiteToRegistrableDomain(String input, String expected, String note) {
        if (expected.isEmpty()) {
            assertThat(WebsiteNormalizer.registrableDomain(input)).isEmpty();
        } else {
            assertThat(WebsiteNormalizer.registrableDomain(input)).contains(expected);
        }
    }

    @Test
    void returnsEmptyForNull() {
        assertThat(WebsiteNormalizer.registrableDomain(null)).isEmpty();
    }

    /**
     * A host of lower-case letters, digits, hyphens and dots skips {@link IDN#toASCII}: on 20,000 generated such
     * hosts (with and without a path and a {@code www.}, up to 150 characters) the registrable domain is what it
     * was when every host went through IDN and {@code InternetDomainName.isValid} before {@code from}.
     */
    @Test
    void aPlainAsciiHostIsDecidedAsIdnWouldDecideIt() {
        Random random = new Random(20261128);
        String alphabet = "abcxyz0129-.";
        List<String> hosts = new ArrayList<>(List.of(
                "example.cn",
                "www.example.com.cn",
                "a..cn",
                "-a.cn",
                "a-.cn",
                "a.cn",
                "xn--fiqs8s.cn",
                "1.23",
                "a".repeat(63) + ".cn",
                "a".repeat(64) + ".cn",
                ("a".repeat(60) + ".").repeat(5) + "cn"));
        for (int i = 0; i < 20_000; i++) {
            String host = GeneratedText.of(random, alphabet, 1, 150);
            hosts.add(host + (random.nextBoolean() ? ".cn" : ".com.cn"));
        }
        for (String host : hosts) {
            for (String raw : List.of(host, "https://" + host + "/about", "www." + host)) {
                assertThat(WebsiteNormalizer.registrableDomain(raw)).as(raw).isEqualTo(throughIdn(raw));
            }
        }
    }

    /** The registrable domain as found before 2026-11-28, every host through IDN. */
    private static Optional<String> throughIdn(String raw) {
        String host = raw.replaceFirst("^https://", "").replaceFirst("/.*$", "").replaceFirst("^www\\d*\\.", "");
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || InetAddresses.isInetAddress(host)) {
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!InternetDomainName.isValid(ascii)) {
            return Optional.empty();
        }
        InternetDomainName name = InternetDomainName.from(ascii);
        if (!name.isUnderPublicSuffix()) {
            return Optional.empty();
        }
        // Platforms are decided after the domain, alike on both ways; none of the generated hosts is one.
        return Optional.of(name.topPrivateDomain().toString());
    }
}
