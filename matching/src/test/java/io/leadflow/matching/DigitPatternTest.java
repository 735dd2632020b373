package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DigitPatternTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /**
     * Every pattern of every region the phone normaliser may run as an automaton (number shapes, international and
     * national prefixes) decides as {@code java.util.regex} does, whole and as a prefix, on digit strings near the
     * region's own numbers (its example numbers, their prefixes, each with one digit changed, added or dropped) and
     * on random ones of every length up to 20.
     */
    @Test
    void decidesAsJavaRegexOnEveryRegionsPatterns() {
        Random random = new Random(20261128);
        int automata = 0;
        int checked = 0;
        for (String region : PHONES.getSupportedRegions()) {
            PhoneMetadata metadata = metadata(region);
            List<String> inputs = inputsNear(metadata, random);
            for (String regex : List.of(
                    metadata.getGeneralDesc().getNationalNumberPattern(),
                    metadata.getMobile().getNationalNumberPattern(),
                    metadata.getFixedLine().getNationalNumberPattern(),
                    metadata.getInternationalPrefix(),
                    metadata.getNationalPrefixForParsing())) {
                if (regex.isEmpty()) {
                    continue;
                }
                DigitPattern digits = DigitPattern.compile(regex);
                Pattern java = Pattern.compile(regex);
                automata += digits.isAutomaton() ? 1 : 0;
                for (String input : inputs) {
                    assertThat(digits.matches(input))
                            .as("%s %s matches %s", region, regex, input)
                            .isEqualTo(java.matcher(input).matches());
                    assertThat(digits.lookingAt(input))
                            .as("%s %s looking at %s", region, regex, input)
                            .isEqualTo(java.matcher(input).lookingAt());
                    checked++;
                }
            }
        }
        assertThat(automata).as("patterns run as automata").isGreaterThan(700);
        assertThat(checked).isGreaterThan(150_000);
    }

    /** The shapes the normaliser checks on every plain number are all automata, China's prefixes too. */
    @Test
    void runsEveryNumberShapeAndChinasPrefixesAsAutomata() {
        for (String region : PHONES.getSupportedRegions()) {
            PhoneMetadata metadata = metadata(region);
            assertThat(DigitPattern.compile(metadata.getGeneralDesc().getNationalNumberPattern())
                            .isAutomaton())
                    .as(region)
                    .isTrue();
        }
        PhoneMetadata china = metadata("CN");
        assertThat(DigitPattern.compile(china.getMobile().getNationalNumberPattern())
                        .isAutomaton())
                .isTrue();
        assertThat(DigitPattern.compile(china.getInternationalPrefix()).isAutomaton())
                .isTrue();
        assertThat(DigitPattern.compile(china.getNationalPrefixForParsing()).isAutomaton())
                .isTrue();
    }

    @Test
    void keepsJavaRegexForWhatTheAutomatonDoesNotReadTheSameWay() {
        DigitPattern anchored = DigitPattern.compile("(5\\d{6})$|1");

        assertThat(anchored.isAutomaton()).isFalse();
        assertThat(anchored.lookingAt("5123456")).isTrue();
        assertThat(anchored.lookingAt("51234567")).isFalse();
        assertThat(anchored.matches("1")).isTrue();
    }

    private static PhoneMetadata metadata(String region) {
        return DefaultMetadataDependenciesProvider.getInstance()
                .getPhoneNumberMetadataSource()
                .getMetadataForRegion(region);
    }

    private static List<String> inputsNear(PhoneMetadata metadata, Random random) {
        Set<String> inputs = new LinkedHashSet<>(List.of("", "0", "00", "1", "0086"));
        for (PhoneNumberDesc desc : List.of(
                metadata.getGeneralDesc(), metadata.getMobile(), metadata.getFixedLine(), metadata.getTollFree())) {
            String example = desc.getExampleNumber();
            for (int end = 0; end <= example.length(); end++) {
                inputs.add(example.substring(0, end));
            }
            for (int i = 0; i < 20 && !example.isEmpty(); i++) {
                StringBuilder changed = new StringBuilder(example);
                int at = random.nextInt(example.length());
                switch (random.nextInt(3)) {
                    case 0 -> changed.setCharAt(at, digit(random));
                    case 1 -> changed.insert(at, digit(random));
                    default -> changed.deleteCharAt(at);
                }
                inputs.add(changed.toString());
                inputs.add(metadata.getInternationalPrefix().replaceAll("[^0-9]", "") + changed);
            }
        }
        for (int i = 0; i < 60; i++) {
            StringBuilder digits = new StringBuilder();
            int length = random.nextInt(21);
            for (int d = 0; d < length; d++) {
                digits.append(digit(random));
            }
            inputs.add(digits.toString());
        }
        return new ArrayList<>(inputs);
    }

    private static char digit(Random random) {
        return (char) ('0' + random.nextInt(10));
    }
}
