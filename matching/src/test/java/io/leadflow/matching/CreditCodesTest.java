package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreditCodesTest {

    static Stream<Arguments> cases() {
        return TsvCases.read("/credit-codes.tsv", 3);
    }

    @ParameterizedTest(name = "{2}: [{0}] -> [{1}]")
    @MethodSource("cases")
    void acceptsOnlyCodesWhoseChecksumsHold(String input, String expected, String note) {
        if (expected.isEmpty()) {
            assertThat(CreditCodes.normalize(input)).isEmpty();
            assertThat(CreditCodes.isValid(input)).isFalse();
        } else {
            assertThat(CreditCodes.normalize(input)).contains(expected);
            assertThat(CreditCodes.isValid(expected)).isTrue();
            assertThat(CreditCodes.isValid(input)).isEqualTo(input.equals(expected));
        }
    }

    @Test
    void computesCheckCharactersOfPublishedCode() {
        // 914403001922038216: organisation code 19220382-1, check character 6.
        assertThat(CreditCodes.organisationCheck("19220382")).isEqualTo('1');
        assertThat(CreditCodes.checkCharacter("91440300192203821")).isEqualTo('6');
    }

    @Test
    void writesOrganisationCheckTenAsX() {
        // 71526726: 7*3+1*7+5*9+2*10+6*5+7*8+2*4+6*2 = 199, 199 mod 11 = 1, 11 - 1 = 10 -> X.
        assertThat(CreditCodes.organisationCheck("71526726")).isEqualTo('X');
    }

    @Test
    void rejectsNull() {
        assertThat(CreditCodes.isValid(null)).isFalse();
        assertThat(CreditCodes.normalize(null)).isEmpty();
    }
}
