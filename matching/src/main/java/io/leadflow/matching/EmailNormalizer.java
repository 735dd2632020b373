package io.leadflow.matching;

import java.net.IDN;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a raw e-mail address into its match-key form, or nothing when it is not a plausible
 * address (a blank or broken address must never match another one).
 *
 * <p>Rule: trimmed, NFKC-folded (full-width {@code ＠} and letters become ASCII), case-folded with
 * {@link java.util.Locale#ROOT}, an optional {@code mailto:} and surrounding angle brackets removed;
 * then exactly one {@code @}, a non-empty local part without spaces, and a domain of at least two
 * non-empty labels with an alphabetic top-level label. An internationalised domain is converted to
 * its ASCII (punycode) form so that both spellings match. The local part is kept as written, except at
 * the providers of {@code mail-aliasing.txt} that document aliasing: there a {@code +tag} is dropped and,
 * at Gmail, dots too ({@code Wang.Wei+crm@googlemail.com} → {@code wangwei@gmail.com}). Elsewhere aliasing is
 * not universal ({@code +} and {@code .} may be part of another person's address), so it is not undone.
 *
 * <p>The syntax is checked character by character rather than with regular expressions, which cost a
 * third of the ingest's e-mail check (a matcher and its state per part); the test states each rule as the
 * regular expression it stands for and compares both on generated inputs.
 */
public final class EmailNormalizer {

    private static final int MAX_LABEL = 63;

    private static final Map<String, Aliasing> ALIASING = aliasing();

    private EmailNormalizer() {}

    /** What a provider ignores in the local part, and its canonical domain. */
    private record Aliasing(boolean dots, boolean plus, String domain) {

        String local(String local) {
            String kept = local;
            int tag = kept.indexOf('+');
            if (plus && tag > 0) {
                kept = kept.substring(0, tag);
            }
            return dots ? kept.replace(".", "") : kept;
        }
    }

    /** The case-folded address, or empty when blank or implausible. */
    public static Optional<String> normalize(String raw) {
        if (Text.isBlank(raw)) {
            return Optional.empty();
        }
        String folded = Text.fold(raw);
        if (folded.startsWith("mailto:")) {
            folded = folded.substring("mailto:".length()).strip();
        }
        if (folded.startsWith("<") && folded.endsWith(">")) {
            folded = folded.substring(1, folded.length() - 1).strip();
        }
        int at = folded.indexOf('@');
        if (at <= 0 || at != folded.lastIndexOf('@')) {
            return Optional.empty();
        }
        String local = folded.substring(0, at);
        if (!isLocalPart(local) || local.startsWith(".") || local.endsWith(".")) {
            return Optional.empty();
        }
        return asciiDomain(folded.substring(at + 1)).map(domain -> unaliased(local, domain));
    }

    private static String unaliased(String local, String domain) {
        Aliasing aliasing = ALIASING.get(domain);
        if (aliasing == null) {
            return local + "@" + domain;
        }
        String kept = aliasing.local(local);
        return (kept.isEmpty() ? local : kept) + "@" + aliasing.domain();
    }

    private static Map<String, Aliasing> aliasing() {
        Map<String, Aliasing> providers = new HashMap<>();
        for (String line : Text.readList("mail-aliasing.txt")) {
            List<String> cells = List.of(line.split(" "));
            String domain = cells.get(0);
            String canonical = cells.size() > 1 && cells.get(cells.size() - 1).contains(".")
                    ? cells.get(cells.size() - 1)
                    : domain;
            providers.put(domain, new Aliasing(cells.contains("dots"), cells.contains("plus"), canonical));
        }
        return Map.copyOf(providers);
    }

    /** The domain of a plausible address (ASCII form, lower case), or empty. */
    public static Optional<String> domain(String raw) {
        return normalize(raw).map(address -> address.substring(address.indexOf('@') + 1));
    }

    private static Optional<String> asciiDomain(String domain) {
        String dotted = domain.replace('。', '.').replace('｡', '.');
        if (dotted.endsWith(".")) {
            dotted = dotted.substring(0, dotted.length() - 1);
        }
        String ascii;
        if (isLowerCaseLdh(dotted)) {
            // What IDN.toASCII returns for such a domain, when it returns (the labels are checked below as strictly).
            ascii = dotted;
        } else {
            try {
                ascii = IDN.toASCII(dotted, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return hasValidLabels(ascii) ? Optional.of(ascii) : Optional.empty();
    }

    /**
     * At least one character, none of them white space ({@code \s}: space, tab, line feed, vertical tab, form feed,
     * carriage return), {@code @ " ( ) , : ; < > [ ]} or a backslash.
     */
    static boolean isLocalPart(String local) {
        if (local.isEmpty()) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            switch (local.charAt(i)) {
                case ' ',
                        '\t',
                        '\n',
                        '\u000B',
                        '\f',
                        '\r',
                        '@',
                        '"',
                        '(',
                        ')',
                        ',',
                        ':',
                        ';',
                        '<',
                        '>',
                        '[',
                        ']',
                        '\\' -> {
                    return false;
                }
                default -> {}
            }
        }
        return true;
    }

    /**
     * Two labels or more, separated by dots; each of 1 to 63 lower-case letters, digits and hyphens, neither starting
     * nor ending with a hyphen; the last one of letters only (at least two), or an ASCII-encoded {@code xn--} label.
     */
    static boolean hasValidLabels(String domain) {
        int labels = 0;
        int start = 0;
        while (true) {
            int dot = domain.indexOf('.', start);
            int end = dot < 0 ? domain.length() : dot;
            if (!isLabel(domain, start, end)) {
                return false;
            }
            labels++;
            if (dot < 0) {
                return labels >= 2 && isTopLabel(domain, start, end);
            }
            start = dot + 1;
        }
    }

    private static boolean isLabel(String domain, int from, int to) {
        int length = to - from;
        if (length < 1 || length > MAX_LABEL) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = domain.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!letterOrDigit && (c != '-' || i == from || i == to - 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTopLabel(String domain, int from, int to) {
        if (domain.startsWith("xn--", from)) {
            return to - from > "xn--".length();
        }
        if (to - from < 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = domain.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    /** Only lower-case ASCII letters, digits, hyphens and dots: nearly every domain, and nothing for IDN to convert. */
    static boolean isLowerCaseLdh(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
