package io.leadflow.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads a tab-separated case table from the test classpath: a header line, then one case a line,
 * cells exactly as written (no quoting, no trimming, an empty cell is ""). Plain TSV because the
 * inputs contain commas, quotes and significant spaces.
 */
final class TsvCases {

    private TsvCases() {}

    static Stream<Arguments> read(String resource, int columns) {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = TsvCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            if (header == null || header.split("\t", -1).length != columns) {
                throw new IllegalStateException(resource + ": header must have " + columns + " columns");
            }
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != columns) {
                    throw new IllegalStateException(resource + ":" + number + ": expected " + columns + " cells");
                }
                cases.add(Arguments.of((Object[]) cells));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException(resource + " has no cases");
        }
        return cases.stream();
    }
}
