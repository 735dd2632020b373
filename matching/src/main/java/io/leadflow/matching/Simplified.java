package io.leadflow.matching;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * Traditional → Simplified Chinese with opencc4j, skipped for text that holds no character opencc4j converts. Most
 * names arrive in Simplified characters, and the conversion (segmenting the text and looking up each segment in its
 * phrase and character dictionaries) was 6 % of the identity stream thread.
 *
 * <p>The characters are those of every key of the two dictionaries {@link ZhConverterUtil#toSimple} reads
 * ({@code TSCharacters.txt}, {@code TSPhrases.txt} in opencc4j's jar; both halves of a surrogate pair). A text with
 * none of them matches no key, so opencc4j would return it unchanged; a test checks that on every character of the
 * Basic Multilingual Plane outside the set and on generated texts.
 */
final class Simplified {

    private static final String[] DICTIONARIES = {"/data/dictionary/TSCharacters.txt", "/data/dictionary/TSPhrases.txt"
    };

    private static final BitSet CONVERTED = convertedCharacters();

    private Simplified() {}

    /** {@code text} in Simplified characters, as {@link ZhConverterUtil#toSimple} makes it. */
    static String of(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (CONVERTED.get(text.charAt(i))) {
                return ZhConverterUtil.toSimple(text);
            }
        }
        return text;
    }

    /** Whether opencc4j has a dictionary key with {@code c} in it. */
    static boolean mayConvert(char c) {
        return CONVERTED.get(c);
    }

    private static BitSet convertedCharacters() {
        BitSet characters = new BitSet(Character.MAX_VALUE + 1);
        for (String dictionary : DICTIONARIES) {
            try (InputStream in = ZhConverterUtil.class.getResourceAsStream(dictionary)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "opencc4j's dictionary " + dictionary + " is not on the class path");
                }
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    int tab = line.indexOf('\t');
                    String key = tab < 0 ? line.strip() : line.substring(0, tab);
                    key.chars().forEach(characters::set);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (characters.cardinality() < 1_000) {
            throw new IllegalStateException("opencc4j's dictionaries hold " + characters.cardinality() + " characters");
        }
        return characters;
    }
}
