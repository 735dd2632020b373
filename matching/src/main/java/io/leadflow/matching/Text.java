package io.leadflow.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Folding and resource helpers shared by the normalisers. */
final class Text {

    private Text() {}

    static boolean isBlank(String raw) {
        return raw == null || raw.isBlank();
    }

    /** NFKC (full-width to half-width, compatibility forms) then case-folded with Locale.ROOT. */
    static String fold(String raw) {
        return Normalizer.normalize(raw, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .strip();
    }

    /** Reads a UTF-8 list resource: one entry a line, '#' starts a comment line, blank lines ignored. */
    static Set<String> readList(String resource) {
        try (InputStream in = Text.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Set<String> entries = new LinkedHashSet<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String entry = fold(line);
                    if (!entry.isEmpty() && !entry.startsWith("#")) {
                        entries.add(entry);
                    }
                }
            }
            return Set.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
