package io.leadflow.matching.batch;

import io.leadflow.matching.Decision;
import io.leadflow.matching.InMemoryMatchIndex;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchingProfile;
import io.leadflow.matching.PreparedRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Runs the stream's matching engine over a CSV file (a legacy customer list, or a labelled data set
 * to score the engine), record by record in file order, against an in-memory index: the same {@link
 * MatchEngine#decide} and {@link MatchEngine#remember} the processor calls for each lead. The columns
 * mean what the profile's fields say ({@code field.<column>=ROLE[,weight[,penalty]]}).
 *
 * <p>Output, one row per record: record id, cluster id (the id of the record that founded the
 * cluster), decision ({@code NEW}, {@code SAME} on an exact key, {@code LIKELY} on fuzzy evidence),
 * evidence, merge suggestions and possible duplicates.
 *
 * <pre>
 * java -cp … io.leadflow.matching.batch.BatchReport --input customers.csv --profile profile.properties \
 *     --id customer_no --output clusters.csv
 * </pre>
 */
public final class BatchReport {

    private final MatchEngine engine;
    private final String idColumn;

    public BatchReport(MatchingProfile profile, String idColumn) {
        this.engine = new MatchEngine(Objects.requireNonNull(profile, "profile"));
        this.idColumn = Objects.requireNonNull(idColumn, "idColumn");
    }

    /** One record's outcome. */
    public record Row(String recordId, String clusterId, String decision, Decision detail) {}

    /** Resolves every record of {@code csv} (header line first; surrounding spaces ignored). */
    public List<Row> run(Reader csv) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .get();
        List<Map<String, String>> records = new ArrayList<>();
        for (CSVRecord record : format.parse(csv)) {
            records.add(record.toMap());
        }
        return run(records);
    }

    /** Resolves every record, in order; each must have the id column. */
    public List<Row> run(Iterable<Map<String, String>> records) {
        InMemoryMatchIndex index = new InMemoryMatchIndex();
        List<Row> rows = new ArrayList<>();
        for (Map<String, String> fields : records) {
            String id = fields.get(idColumn);
            if (id == null) {
                throw new IllegalArgumentException("a record has no " + idColumn + ": " + fields.keySet());
            }
            rows.add(resolve(id, fields, index));
        }
        return rows;
    }

    private Row resolve(String id, Map<String, String> fields, InMemoryMatchIndex index) {
        PreparedRecord prepared = engine.prepare(fields);
        Decision decision = engine.decide(prepared, index);
        String clusterId = decision.joined().map(Match::customerId).orElse(id);
        engine.remember(prepared, clusterId, index);
        String verdict = decision.joined().map(match -> match.verdict().name()).orElse("NEW");
        return new Row(id, clusterId, verdict, decision);
    }

    /** Writes the rows as CSV. */
    public static void write(List<Row> rows, Writer out) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(
                out,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader(
                                "record_id",
                                "cluster_id",
                                "decision",
                                "evidence",
                                "merge_suggestions",
                                "possible_duplicates")
                        .get())) {
            for (Row row : rows) {
                printer.printRecord(
                        row.recordId(),
                        row.clusterId(),
                        row.decision(),
                        row.detail()
                                .joined()
                                .map(match -> match.evidence().toString())
                                .orElse(""),
                        ids(row.detail().mergeSuggestions()),
                        ids(row.detail().possibleDuplicates()));
            }
        }
    }

    private static String ids(List<Match> matches) {
        return matches.stream()
                .map(match -> match.customerId() + String.format(java.util.Locale.ROOT, "(%.2f)", match.score()))
                .collect(Collectors.joining(" "));
    }

    /** Record id → cluster id. */
    public static Map<String, String> clusters(List<Row> rows) {
        Map<String, String> clusters = new HashMap<>();
        rows.forEach(row -> clusters.put(row.recordId(), row.clusterId()));
        return clusters;
    }

    public static MatchingProfile loadProfile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return MatchingProfile.fromProperties(properties);
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        BatchReport report =
                new BatchReport(loadProfile(Path.of(require(options, "--profile"))), require(options, "--id"));
        List<Row> rows;
        try (Reader in = Files.newBufferedReader(Path.of(require(options, "--input")), StandardCharsets.UTF_8)) {
            rows = report.run(in);
        }
        try (Writer out = Files.newBufferedWriter(Path.of(require(options, "--output")), StandardCharsets.UTF_8)) {
            write(rows, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "usage: BatchReport --input file.csv --profile profile.properties --id column --output clusters.csv"
                            + " (missing " + name + ")");
        }
        return value;
    }
}
