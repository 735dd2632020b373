package io.leadflow.bench.ingest;

import io.leadflow.avro.Lead;
import io.leadflow.bench.BenchMain;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.lead.LeadParser;
import io.leadflow.matching.EmailNormalizer;
import io.leadflow.matching.PhoneNormalizer;
import io.leadflow.schemas.Topics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CPU per lead of ingest's own steps, one thread, on {@link IngestBenchmark}'s leads: reading the JSON tree,
 * validating ({@link LeadParser}, of which the mobile and the e-mail checks), Avro encoding. Thread CPU time, so a
 * busy machine changes these figures far less than the end-to-end ones; the median of five rounds is printed.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/cp.txt)
 * io.leadflow.bench.ingest.LeadValidationCost} (system property {@code leads}, default 100,000).
 */
public final class LeadValidationCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    public static void main(String[] args) {
        BenchMain.exitAfter(LeadValidationCost::run);
    }

    private static void run() {
        int count = Integer.getInteger("leads", 100_000);
        JsonMapper json = JsonMapper.builder().build();
        List<String> lines = new ArrayList<>(count);
        List<JsonNode> trees = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(IngestBenchmark.json("cost-" + i, i));
            trees.add(json.readTree(lines.get(i)));
        }
        LeadParser parser = new LeadParser();
        Caller caller = new Caller("bench", "bench");
        Instant now = Instant.now();
        List<Lead> leads = new ArrayList<>(count);
        for (JsonNode tree : trees) {
            leads.add(parser.parse(tree, caller, now).lead());
        }
        PhoneNormalizer phones = new PhoneNormalizer("CN");
        String[] mobiles = new String[count];
        for (int i = 0; i < count; i++) {
            mobiles[i] = String.format("+86 13%d %04d %04d", i % 10, i % 10_000, (i * 7919) % 10_000);
        }
        measure("JSON tree of a line", count, i -> json.readTree(lines.get(i)).size());
        measure(
                "LeadParser.parse (whole validation)",
                count,
                i -> parser.parse(trees.get(i), caller, now).errors().size());
        measure(
                "mobile check, varied numbers",
                count,
                i -> phones.toE164(mobiles[i]).orElse("").length());
        measure(
                "e-mail check",
                count,
                i -> EmailNormalizer.normalize("buyer" + i + "@example.cn")
                        .orElse("")
                        .length());
        measure(
                "Avro encoding",
                count,
                i -> Topics.LEADS.valueSerde().serializer().serialize(Topics.LEADS.name(), leads.get(i)).length);
        System.out.println("lead-cost | (checksum " + sink + ")");
    }

    private static void measure(String step, int count, IntToLongFunction body) {
        List<Double> rounds = new ArrayList<>();
        for (int round = 0; round < 7; round++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                sink += body.applyAsLong(i);
            }
            // The first two rounds are warm-up (JIT).
            if (round >= 2) {
                rounds.add((THREADS.getCurrentThreadCpuTime() - start) / 1e3 / count);
            }
        }
        rounds.sort(null);
        System.out.printf("lead-cost | %s | %.2f µs CPU per lead%n", step, rounds.get(rounds.size() / 2));
    }
}
