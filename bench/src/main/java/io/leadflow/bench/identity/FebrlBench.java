package io.leadflow.bench.identity;

import io.leadflow.matching.MatchingProfile;
import io.leadflow.matching.batch.BatchReport;
import io.leadflow.matching.batch.PairwiseScore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Pairwise F1 of the batch report (the stream's engine, in-memory index) on a Febrl file, with the
 * profile {@code identity/febrl.properties} (tuned on dataset1-2 only). Labels come from {@code rec_id}.
 *
 * <pre>… FebrlBench bench/src/main/resources/identity/febrl/dataset3.csv</pre>
 */
public final class FebrlBench {

    private static final int RUNS = 3;

    private FebrlBench() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/er/febrl/dataset3.csv");
        Properties properties = new Properties();
        try (InputStream in = FebrlBench.class.getResourceAsStream("/identity/febrl.properties")) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        BatchReport report = new BatchReport(MatchingProfile.fromProperties(properties), "rec_id");
        List<Long> millis = new ArrayList<>();
        List<BatchReport.Row> rows = List.of();
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            try (Reader csv = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows = report.run(csv);
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Map<String, String> labels = new HashMap<>();
        rows.forEach(row -> labels.put(row.recordId(), row.recordId().replaceAll("^rec-(\\d+)-.*$", "$1")));
        millis.sort(Long::compare);
        Report.print(file.getFileName() + ": " + rows.size() + " records; "
                + PairwiseScore.of(BatchReport.clusters(rows), labels));
        Report.print("median of " + RUNS + " runs: " + millis.get(RUNS / 2) + " ms");
    }
}
