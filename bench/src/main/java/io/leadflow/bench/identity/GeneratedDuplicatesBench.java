package io.leadflow.bench.identity;

import io.leadflow.matching.MatchingProfile;
import io.leadflow.matching.batch.BatchReport;
import io.leadflow.matching.batch.PairwiseScore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairwise precision, recall and F1 of the CRM engine's automatic joins on the seeded B2B duplicate
 * generator, plus how many of the true pairs it did not join were at least flagged for review. Scored twice:
 * against the companies (every pair of leads of one company is a true pair), and against what the data can
 * tell ({@link B2bLeadGenerator#evidenceLabels}: a pair of leads that shares no evidence, not even through
 * other leads of its company, is not counted as a duplicate to find).
 *
 * <pre>./mvnw -q -pl bench exec:java -Dexec.mainClass=io.leadflow.bench.identity.GeneratedDuplicatesBench
 * -Dexec.args="20000 42"</pre>
 */
public final class GeneratedDuplicatesBench {

    private GeneratedDuplicatesBench() {}

    /** The clusters after a reviewer accepts every merge suggestion (union-find over cluster ids). */
    static Map<String, String> withSuggestionsAccepted(List<BatchReport.Row> rows) {
        Map<String, String> parent = new HashMap<>();
        for (BatchReport.Row row : rows) {
            row.detail().mergeSuggestions().forEach(match -> union(parent, row.clusterId(), match.customerId()));
        }
        return resolve(rows, parent);
    }

    private static Map<String, String> resolve(List<BatchReport.Row> rows, Map<String, String> parent) {
        Map<String, String> clusters = new HashMap<>();
        rows.forEach(row -> clusters.put(row.recordId(), find(parent, row.clusterId())));
        return clusters;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }

    private static String find(Map<String, String> parent, String id) {
        String root = id;
        while (parent.containsKey(root) && !parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    public static void main(String[] args) {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        List<Map<String, String>> leads = new B2bLeadGenerator(seed).leads(entities);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        List<BatchReport.Row> rows = new BatchReport(MatchingProfile.crm("CN"), B2bLeadGenerator.ID).run(leads);
        long cpuNanos = threads.getCurrentThreadCpuTime() - startCpu;
        long millis = (System.nanoTime() - start) / 1_000_000;

        Map<String, String> labels = new HashMap<>();
        leads.forEach(lead -> labels.put(lead.get(B2bLeadGenerator.ID), lead.get(B2bLeadGenerator.ENTITY)));
        PairwiseScore score = PairwiseScore.of(BatchReport.clusters(rows), labels);
        long flagged = rows.stream()
                .filter(row -> !row.detail().possibleDuplicates().isEmpty())
                .count();
        // A cluster id is the id of the lead that founded the customer, so its company is that lead's.
        long flaggedRight = rows.stream()
                .filter(row -> row.detail().possibleDuplicates().stream()
                        .anyMatch(match -> labels.get(match.customerId()).equals(labels.get(row.recordId()))))
                .count();
        long suggestions = rows.stream()
                .mapToLong(row -> row.detail().mergeSuggestions().size())
                .sum();
        Report.print(
                "generated B2B duplicates, seed " + seed + ": " + entities + " companies, " + leads.size() + " leads");
        Report.print("auto-join " + score);
        Report.print("auto-join, over pairs that carry shared evidence "
                + PairwiseScore.of(BatchReport.clusters(rows), B2bLeadGenerator.evidenceLabels(leads)));
        Report.print("leads flagged as possible duplicates: " + flagged + " (" + flaggedRight
                + " naming a customer of the same company); merge suggestions: " + suggestions);
        Report.print(
                "if every merge suggestion is accepted: " + PairwiseScore.of(withSuggestionsAccepted(rows), labels));
        Report.print("engine time " + millis + " ms (" + (leads.size() * 1000L / Math.max(1, millis))
                + " leads/s, in-memory index); CPU "
                + String.format(Locale.ROOT, "%.1f", cpuNanos / 1000.0 / leads.size())
                + " µs per lead (the resolving thread, ThreadMXBean)");
    }
}
