package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompanyNameNormalizerTest {

    private final CompanyNameNormalizer names = new CompanyNameNormalizer();

    static Stream<Arguments> cases() {
        return TsvCases.read("/company-names.tsv", 4);
    }

    @ParameterizedTest(name = "{3}: [{0}] -> key [{1}], weak [{2}]")
    @MethodSource("cases")
    void normalisesNameToExpectedKeyAndWeakTokens(String input, String key, String weak, String note) {
        NormalizedName name = names.normalize(input);

        assertThat(name.key()).isEqualTo(key);
        assertThat(name.hasCore()).isEqualTo(!key.isEmpty());
        if (name.hasCore()) {
            Set<String> expectedWeak =
                    Arrays.stream(weak.split(" ")).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
            assertThat(name.weakTokens()).isEqualTo(expectedWeak);
            assertThat(name.distinctiveTokens()).isNotEmpty();
        }
    }

    @Test
    void keepsBranchApartFromHeadOffice() {
        NormalizedName head = names.normalize("上海星云科技有限公司");
        NormalizedName branch = names.normalize("上海星云科技有限公司北京分公司");

        assertThat(branch.branch()).contains("北京分公司");
        assertThat(head.branch()).isEmpty();
        assertThat(branch.key()).isNotEqualTo(head.key()).startsWith(head.key() + "#");
        assertThat(branch.tokens()).isEqualTo(head.tokens());
    }

    @Test
    void reportsStrippedLegalForm() {
        assertThat(names.normalize("上海星云科技股份有限公司").legalForm()).isEqualTo("股份有限公司");
        assertThat(names.normalize("Acme Trading Co., Ltd.").legalForm()).isEqualTo("co ltd");
        assertThat(names.normalize("Acme GmbH & Co. KG").legalForm()).isEqualTo("gmbh co kg");
        assertThat(names.normalize("星云科技").legalForm()).isEmpty();
    }

    @Test
    void traditionalAndSimplifiedSpellingsShareOneKey() {
        assertThat(names.normalize("臺北星雲電腦有限公司").key())
                .isEqualTo(names.normalize("台北星云电脑有限公司").key());
    }

    @Test
    void promotesIndustryWordsWhenNothingElseDistinguishesTheName() {
        NormalizedName bank = names.normalize("中国银行股份有限公司");

        assertThat(bank.distinctiveTokens()).containsExactly("银行");
        assertThat(bank.weakTokens()).containsExactly("中国");
    }

    @Test
    void splitsChineseNameIntoRegionTradeNameAndIndustryWords() {
        NormalizedName name = names.normalize("北京市星云信息技术有限公司");

        assertThat(name.tokens()).containsExactly("北京", "星云", "信息", "技术");
        assertThat(name.distinctiveTokens()).containsExactly("星云");
    }

    /** Brackets, separators and white space unified in one pass, as the four regular expressions it replaced did. */
    @Test
    void unifiesPunctuationAsItsFormerRegularExpressions() {
        String alphabet = "ab星 \t\n\u000B\f\r\u3000\u00A0[]{}【】〔〕〖〗〈〉《》「」『』、，;；,()";
        Random random = new Random(20261128);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = text.toString();
            String expected = input.replaceAll("[\\[{【〔〖〈《「『]", "(")
                    .replaceAll("[\\]}】〕〗〉》」』]", ")")
                    .replaceAll("[、，;；]", ",")
                    .replaceAll("\\s+", " ");
            assertThat(CompanyNameNormalizer.unifyPunctuation(input)).as(input).isEqualTo(expected);
        }
    }
}
