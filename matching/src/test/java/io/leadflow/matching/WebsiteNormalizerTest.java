package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

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
}
