package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimplifiedTest {

    /** Every character of the Basic Multilingual Plane that opencc4j has no key with is left as it is by opencc4j. */
    @Test
    void opencc4jLeavesEveryCharacterOutsideItsKeysAsItIs() {
        int skipped = 0;
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (Character.isSurrogate((char) c) || Simplified.mayConvert((char) c)) {
                continue;
            }
            String text = String.valueOf((char) c);
            assertThat(ZhConverterUtil.toSimple(text)).as("U+%04X", c).isEqualTo(text);
            skipped++;
        }
        assertThat(skipped).isGreaterThan(50_000);
    }

    /**
     * Texts of characters outside the keys (common Simplified ones, Latin, digits, punctuation) are returned as they
     * are, as opencc4j returns them; texts with Traditional characters are converted by opencc4j.
     */
    @Test
    void convertsAsOpencc4jDoes() {
        List<Character> plain = new ArrayList<>();
        for (char c = '\u4E00'; c <= '\u9FFF'; c++) {
            if (!Simplified.mayConvert(c)) {
                plain.add(c);
            }
        }
        String extra = "abcXYZ019 ()-,.·&有限公司";
        Random random = new Random(20261128);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int c = 0; c < length; c++) {
                text.append(
                        random.nextInt(4) == 0
                                ? extra.charAt(random.nextInt(extra.length()))
                                : plain.get(random.nextInt(plain.size())));
            }
            String input = text.toString();
            assertThat(Simplified.of(input)).as(input).isEqualTo(ZhConverterUtil.toSimple(input));
            if (input.chars().noneMatch(c -> Simplified.mayConvert((char) c))) {
                assertThat(ZhConverterUtil.toSimple(input)).as(input).isEqualTo(input);
                assertThat(Simplified.of(input)).as("not converted: %s", input).isSameAs(input);
            }
        }
        for (String traditional : List.of("臺灣積體電路製造股份有限公司", "上海華為技術有限公司", "國際商業機器", "一目瞭然")) {
            assertThat(Simplified.of(traditional))
                    .isEqualTo(ZhConverterUtil.toSimple(traditional))
                    .isNotEqualTo(traditional);
        }
    }
}
