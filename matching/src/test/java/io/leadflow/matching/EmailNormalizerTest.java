package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void returnsEmptyForNull() {
        assertThat(EmailNormalizer.normalize(null)).isEmpty();
        assertThat(EmailNormalizer.domain(null)).isEmpty();
    }
}
