package io.leadflow.matching;

import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;
import java.util.regex.Pattern;

/**
 * One of libphonenumber's metadata patterns (a region's number shapes, its dialling prefixes), matched by a
 * deterministic automaton in one pass over the digits. {@code java.util.regex} backtracks through the alternatives of
 * such a pattern (China's general shape has dozens) and took 0.1 µs per check, three or four checks per phone number,
 * 13 % of the ingest's reading of a lead.
 *
 * <p>Only patterns written in the subset the automaton library reads the same way are compiled to an automaton:
 * digits, classes, {@code \d}, groups (capturing or not; a match never reads them), {@code |}, {@code ?} and counted
 * repetition. Anything else (an anchor such as {@code $}, which a few regions' prefixes use) keeps
 * {@code java.util.regex}. A test compares both on every region's patterns.
 */
final class DigitPattern {

    /** Characters of the subset; {@code \} only as {@code \d}, {@code ?:} only right after {@code (}. */
    private static final Pattern SUBSET = Pattern.compile("(?:[0-9\\[\\]|?{},()-]|\\\\d|\\(\\?:)*");

    private final String regex;
    private final RunAutomaton automaton;
    private final Pattern pattern;

    private DigitPattern(String regex, RunAutomaton automaton, Pattern pattern) {
        this.regex = regex;
        this.automaton = automaton;
        this.pattern = pattern;
    }

    static DigitPattern compile(String regex) {
        if (!SUBSET.matcher(regex).matches()) {
            return new DigitPattern(regex, null, Pattern.compile(regex));
        }
        String automatonSyntax = regex.replace("(?:", "(").replace("\\d", "[0-9]");
        RegExp parsed = new RegExp(automatonSyntax, RegExp.NONE);
        return new DigitPattern(regex, new RunAutomaton(parsed.toAutomaton(), true), null);
    }

    /** Whether an automaton, not {@code java.util.regex}, matches this pattern. */
    boolean isAutomaton() {
        return automaton != null;
    }

    /** Whether all of {@code text} matches, as {@link java.util.regex.Matcher#matches()}. */
    boolean matches(CharSequence text) {
        if (automaton == null) {
            return pattern.matcher(text).matches();
        }
        int state = automaton.getInitialState();
        for (int i = 0; i < text.length() && state >= 0; i++) {
            state = automaton.step(state, text.charAt(i));
        }
        return state >= 0 && automaton.isAccept(state);
    }

    /** Whether a prefix of {@code text} matches, as {@link java.util.regex.Matcher#lookingAt()}. */
    boolean lookingAt(CharSequence text) {
        if (automaton == null) {
            return pattern.matcher(text).lookingAt();
        }
        int state = automaton.getInitialState();
        for (int i = 0; ; i++) {
            if (automaton.isAccept(state)) {
                return true;
            }
            if (i == text.length()) {
                return false;
            }
            state = automaton.step(state, text.charAt(i));
            if (state < 0) {
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return regex;
    }
}
