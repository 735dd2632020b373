package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
