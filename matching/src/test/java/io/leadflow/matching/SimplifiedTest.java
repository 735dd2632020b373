package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimplifiedTest {

    /** Every character of the Basic Multilingual Plane that is not known to convert is left as it is by opencc4j. */
    @Test
    void opencc4jLeavesEveryCharacterOutsideItsKeysAsItIs() {
        int skipped = 0;
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (Character.isSurrogate((char) c) || Simplified.mayConvert(String.valueOf((char) c))) {
                continue;
            }
            String text = String.valueOf((char) c);
            assertThat(ZhConverterUtil.toSimple(text)).as("U+%04X", c).isEqualTo(text);
            skipped++;
        }
        assertThat(skipped).isGreaterThan(50_000);
    }

    /**
     * Every key of both dictionaries, alone and inside a name, comes out as opencc4j makes it: the keys that map to
     * themselves, which are no longer sent to opencc4j, too.
     */
    @Test
    void everyKeyOfTheDictionariesComesOutAsOpencc4jMakesIt() {
        int keys = 0;
        int leftAlone = 0;
        for (String dictionary : Simplified.dictionaries()) {
            for (String[] entry : Simplified.entries(dictionary)) {
                for (String text : List.of(entry[0], "上海" + entry[0] + "有限公司", "a" + entry[0] + entry[0])) {
                    assertThat(Simplified.of(text)).as(text).isEqualTo(ZhConverterUtil.toSimple(text));
                    if (!Simplified.mayConvert(text)) {
                        leftAlone++;
                    }
                }
                keys++;
            }
        }
        assertThat(keys).isGreaterThan(4_000);
        assertThat(leftAlone).as("keys that map to themselves").isGreaterThan(100);
    }

    /**
     * Texts of characters outside the keys (common Simplified ones, Latin, digits, punctuation) are returned as they
     * are, as opencc4j returns them; texts with Traditional characters are converted by opencc4j.
     */
    @Test
    void convertsAsOpencc4jDoes() {
        List<String> plain = new ArrayList<>();
        for (char c = '\u4E00'; c <= '\u9FFF'; c++) {
            if (!Simplified.mayConvert(String.valueOf(c))) {
                plain.add(String.valueOf(c));
            }
        }
        List<String> phrases = new ArrayList<>();
        Simplified.entries(Simplified.dictionaries().get(1)).forEach(entry -> phrases.add(entry[0]));
        String extra = "abcXYZ019 ()-,.·&有限公司";
        Random random = new Random(20261128);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int c = 0; c < length; c++) {
                int kind = random.nextInt(20);
                text.append(
                        kind < 5
                                ? String.valueOf(extra.charAt(random.nextInt(extra.length())))
                                : kind == 5
                                        ? phrases.get(random.nextInt(phrases.size()))
                                        : plain.get(random.nextInt(plain.size())));
            }
            String input = text.toString();
            assertThat(Simplified.of(input)).as(input).isEqualTo(ZhConverterUtil.toSimple(input));
            if (!Simplified.mayConvert(input)) {
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
