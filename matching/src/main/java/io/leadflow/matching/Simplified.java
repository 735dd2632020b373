package io.leadflow.matching;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Traditional → Simplified Chinese with opencc4j, skipped for text in which opencc4j would change nothing. Most
 * names arrive in Simplified characters, and the conversion (segmenting the text and looking up each segment in its
 * phrase and character dictionaries) was 4–6 % of the identity stream thread.
 *
 * <p>opencc4j ({@link ZhConverterUtil#toSimple}) reads two dictionaries, {@code TSCharacters.txt} and {@code
 * TSPhrases.txt} in its jar, and replaces a segment that is a key with the key's first value. A text changes only if
 * it holds a character whose first value is another character, or a phrase whose first value is another phrase; a
 * key that maps to itself ({@code 云}, {@code 有}, {@code 乾隆}) changes nothing wherever segmentation puts it. So
 * the conversion runs only for texts holding one of those characters (both halves of a surrogate pair) or phrases;
 * tests check every key of both dictionaries, and generated texts, against opencc4j itself.
 */
final class Simplified {

    private static final String CHARACTERS = "/data/dictionary/TSCharacters.txt";
    private static final String PHRASES = "/data/dictionary/TSPhrases.txt";

    /** Characters of the keys of {@link #CHARACTERS} that opencc4j turns into another character. */
    private static final BitSet CONVERTED = new BitSet(Character.MAX_VALUE + 1);

    /** The phrases of {@link #PHRASES} that opencc4j turns into another phrase, by their first character. */
    private static final Map<Character, List<String>> CONVERTED_PHRASES = new HashMap<>();

    static {
        for (String[] entry : entries(CHARACTERS)) {
            if (!entry[0].equals(entry[1])) {
                entry[0].chars().forEach(CONVERTED::set);
            }
        }
        for (String[] entry : entries(PHRASES)) {
            if (!entry[0].equals(entry[1])) {
                CONVERTED_PHRASES
                        .computeIfAbsent(entry[0].charAt(0), first -> new ArrayList<>())
                        .add(entry[0]);
            }
        }
        if (CONVERTED.cardinality() < 1_000 || CONVERTED_PHRASES.isEmpty()) {
            throw new IllegalStateException("opencc4j's dictionaries convert " + CONVERTED.cardinality()
                    + " characters and phrases starting with " + CONVERTED_PHRASES.size() + " characters");
        }
    }

    private Simplified() {}

    /** {@code text} in Simplified characters, as {@link ZhConverterUtil#toSimple} makes it. */
    static String of(String text) {
        return mayConvert(text) ? ZhConverterUtil.toSimple(text) : text;
    }

    /** Whether opencc4j may change {@code text}: false only when it certainly would not. */
    static boolean mayConvert(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (CONVERTED.get(c)) {
                return true;
            }
            List<String> phrases = CONVERTED_PHRASES.get(c);
            if (phrases != null) {
                for (String phrase : phrases) {
                    if (text.startsWith(phrase, i)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Every key of the dictionary with its first value: {@code [key, value]}. */
    static List<String[]> entries(String dictionary) {
        List<String[]> entries = new ArrayList<>();
        try (InputStream in = ZhConverterUtil.class.getResourceAsStream(dictionary)) {
            if (in == null) {
                throw new IllegalStateException("opencc4j's dictionary " + dictionary + " is not on the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int tab = line.indexOf('\t');
                String key = (tab < 0 ? line : line.substring(0, tab)).strip();
                if (key.isEmpty()) {
                    continue;
                }
                String values = tab < 0 ? "" : line.substring(tab + 1).strip();
                int space = values.indexOf(' ');
                entries.add(new String[] {key, space < 0 ? values : values.substring(0, space)});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** The dictionaries {@link #of} reasons about, for tests. */
    static List<String> dictionaries() {
        return List.of(CHARACTERS, PHRASES);
    }
}
