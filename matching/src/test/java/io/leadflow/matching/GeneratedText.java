package io.leadflow.matching;

import java.util.Random;

/** Seeded random texts for the tests that compare a hand-written check with what it replaced. */
final class GeneratedText {

    private GeneratedText() {}

    /** Characters of {@code alphabet}: mostly short (up to 12 beyond {@code minLength}), one in ten up to {@code longest}. */
    static String of(Random random, String alphabet, int minLength, int longest) {
        StringBuilder text = new StringBuilder();
        int length = minLength + random.nextInt(random.nextInt(10) == 0 ? longest : 12);
        for (int c = 0; c < length; c++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
