package io.leadflow.bench.load;

import io.leadflow.bench.BenchMain;
import io.leadflow.bench.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long run of the load driver's workload at a steady rate, sampling every process at a fixed interval
 * ({@link SoakSampler}; a CSV under {@code target/}), ending with a growth verdict per resource ({@link
 * Trend}): a memory, file or lag series that grows through the second half of the run beyond its threshold
 * is reported as {@code GROWING}.
 *
 * <p>Thresholds (per hour, over the second half): heap live set, resident memory and RocksDB memory 20 MiB
 * (a service with a 1 GiB heap has roughly 500 MiB of headroom above its live set, which such a leak would use
 * up within a day); open files 10 (a descriptor leak of one every few minutes); consumer lag one minute of input
 * (a consumer that falls behind by that much each hour never catches up); lead visibility p99 100 ms. RocksDB
 * keeps every SST file open and the state grows with every new customer, so the processor's open files and
 * RocksDB memory are expected to grow with the data until its caches are full; their verdicts are read against
 * that.
 *
 * <p>Options: {@code -Dsoak.minutes=30} (the run after a 20 s warm-up), {@code -Dsoak.short=true} (3 minutes,
 * samples every 10 s: a smoke run), {@code -Dsoak.rate=50} (requests/s, open loop), {@code
 * -Dsoak.sampleSeconds=30}, {@code -Dsoak.fullGc=true} (measure the live heap after a forced full collection at
 * each sample), and the load driver's {@code -Dload.*} options for the workload and the services.
 */
public final class Soak {

    private static final LoadReport REPORT = new LoadReport("soak");
    private static final double MIB_PER_HOUR = 20;
    private static final int MIN_HALF_MINUTES = 10;

    private Soak() {}

    public static void main(String[] args) {
        BenchMain.exitAfter(Soak::run);
    }

    private static void run() throws Exception {
        boolean quick = Boolean.parseBoolean(System.getProperty("soak.short", "false"));
        int minutes = Integer.getInteger("soak.minutes", quick ? 3 : 30);
        int sampleSeconds = Integer.getInteger("soak.sampleSeconds", quick ? 10 : 30);
        double rate = Double.parseDouble(System.getProperty("soak.rate", "50"));
        boolean fullGc = Boolean.parseBoolean(System.getProperty("soak.fullGc", "true"));
        LoadOptions options = LoadOptions.fromSystemProperties().withRun(rate, minutes * 60, 20);
        Workload workload = LoadDriver.workload(options);
        Path csv = LoadOptions.targetDir()
                .resolve("soak-" + Instant.now().toString().replace(':', '-') + ".csv");
        REPORT.line("date", Instant.now());
        REPORT.line(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, load average " + LoadReport.loadAverage()
                        + " before start");
        REPORT.line(
                "run",
                minutes + " min at " + rate + " requests/s open loop (+ " + options.probeRate()
                        + " probe changes/s), a sample every " + sampleSeconds + " s"
                        + (fullGc ? ", live heap after a" + " forced full GC" : "") + "; services' JVM options "
                        + String.join(" ", options.jvmOptions()));
        REPORT.line(
                "workload",
                "seed " + options.seed() + ", tenants " + workload.tenants() + ", steps " + workload.counts());
        REPORT.line("samples", csv.toAbsolutePath());
        try (LoadRun run = LoadRun.start(options, workload);
                ConsumerLag lag = new ConsumerLag(run.pipeline().bootstrapServers());
                SoakSampler sampler = new SoakSampler(run, lag, fullGc, csv)) {
            run.warmUp(REPORT);
            run.resources().begin();
            AtomicReference<LoadRun.Phase> phase = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread load = new Thread(
                    () -> {
                        try {
                            phase.set(run.run(options.seconds(), true));
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    },
                    "soak-load");
            load.start();
            sampler.sample();
            while (load.isAlive()) {
                load.join(Duration.ofSeconds(sampleSeconds).toMillis());
                Map<String, Double> row = sampler.sample();
                REPORT.line("sample", brief(row));
            }
            if (failure.get() != null) {
                throw new IllegalStateException("the load failed", failure.get());
            }
            run.resources().report(REPORT, "soak");
            run.drain(Duration.ofSeconds(options.drainSeconds()));
            run.report(REPORT, phase.get());
            verdicts(sampler, rate, minutes);
        }
    }

    private static void verdicts(SoakSampler sampler, double rate, int minutes) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String jvm : SoakSampler.JVMS) {
            thresholds.put(jvm + "_live_heap_mib", MIB_PER_HOUR);
            thresholds.put(jvm + "_heap_after_gc_mib", MIB_PER_HOUR);
            thresholds.put(jvm + "_rss_mib", MIB_PER_HOUR);
            thresholds.put(jvm + "_fds", 10.0);
        }
        thresholds.put("processor_rocksdb_mib", MIB_PER_HOUR);
        thresholds.put("postgres_pss_mib", MIB_PER_HOUR);
        thresholds.put("postgres_fds", 10.0);
        thresholds.put("processor_lag", rate * 60);
        thresholds.put("api_lag", rate * 60);
        thresholds.put("visible_p99_ms", 100.0);
        int growing = 0;
        for (Map.Entry<String, Double> entry : thresholds.entrySet()) {
            Trend trend = Trend.ofSecondHalf(sampler.series(entry.getKey()));
            Trend.Verdict verdict = trend.verdict(entry.getValue());
            if (verdict == Trend.Verdict.GROWING) {
                growing++;
            }
            REPORT.line(
                    "trend " + entry.getKey(),
                    LoadReport.format(
                            "%s: slope %+.1f/h (± %.1f), threshold %.0f/h, second half %.1f → %.1f over %d samples",
                            verdict,
                            trend.slopePerHour(),
                            trend.standardErrorPerHour(),
                            entry.getValue(),
                            trend.first(),
                            trend.last(),
                            trend.points()));
        }
        String verdict = growing == 0 ? "no growth trend" : growing + " series growing (see above)";
        if (minutes < 2 * MIN_HALF_MINUTES) {
            // Over a few minutes caches, JIT and pools still fill: a slope per hour says little.
            verdict += "; a " + minutes + "-minute run is a smoke run, too short for a trend (a second half of at"
                    + " least " + MIN_HALF_MINUTES + " minutes is needed)";
        }
        REPORT.line("verdict", verdict);
    }

    private static String brief(Map<String, Double> row) {
        return LoadReport.format(
                "t=%.0fs load %.1f visible p99 %.0f ms lag p/a %.0f/%.0f live heap MiB k/p/a/i %.0f/%.0f/%.0f/%.0f"
                        + " rocksdb %.0f MiB fds p %.0f",
                row.get("elapsed_s"),
                row.get("load_1m"),
                row.get("visible_p99_ms"),
                row.get("processor_lag"),
                row.get("api_lag"),
                row.get("kafka_live_heap_mib"),
                row.get("processor_live_heap_mib"),
                row.get("api_live_heap_mib"),
                row.get("ingest_live_heap_mib"),
                row.get("processor_rocksdb_mib"),
                row.get("processor_fds"));
    }
}
