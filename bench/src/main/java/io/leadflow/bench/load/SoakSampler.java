package io.leadflow.bench.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * One row of figures per interval while the soak runs, written to a CSV as it goes and kept for the trend
 * verdicts: per JVM (broker, processor, api, ingest) heap in use, heap after the last collection, the live set
 * after a full collection (when asked for), resident memory, open files and CPU; the processor's RocksDB memory
 * (Kafka Streams' gauges over JMX); PostgreSQL's process tree (proportional set size summed over its
 * processes, so shared buffers count once); consumer lag of the processor and the api's projection; the
 * driver's own CPU; and the latencies in the interval of lead visibility and of the funnel probes (to the
 * committed figure on the topic, to the projected row and to the SSE stream).
 */
final class SoakSampler implements AutoCloseable {

    static final List<String> JVMS = List.of("kafka", "processor", "api", "ingest");
    private static final double MIB = 1024.0 * 1024.0;

    private final LoadRun run;
    private final ConsumerLag lag;
    private final boolean fullGc;
    private final BufferedWriter csv;
    private final Map<String, JvmProbe> probes = new LinkedHashMap<>();
    private final Map<String, Long> lastCpu = new LinkedHashMap<>();
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    private long lastAt = start;
    private List<String> header;

    SoakSampler(LoadRun run, ConsumerLag lag, boolean fullGc, Path csvFile) throws IOException {
        this.run = run;
        this.lag = lag;
        this.fullGc = fullGc;
        Files.createDirectories(csvFile.toAbsolutePath().getParent());
        this.csv = Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
        for (String jvm : JVMS) {
            long pid = run.resources().processes().get(jvm).pid().getAsLong();
            probes.put(jvm, new JvmProbe(pid));
        }
    }

    /** Takes one row of figures; returns it. */
    Map<String, Double> sample() throws IOException {
        long now = System.nanoTime();
        double elapsed = (now - start) / 1e9;
        double interval = (now - lastAt) / 1e9;
        lastAt = now;
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("elapsed_s", round(elapsed));
        row.put("load_1m", Double.parseDouble(LoadReport.loadAverage().split(" ")[0]));
        Histogram visible = run.leads().intervalLatency();
        row.put("leads_visible_total", (double) run.leads().seen());
        row.put(
                "visible_p50_ms",
                visible.getTotalCount() == 0 ? Double.NaN : visible.getValueAtPercentile(50) / 1000.0);
        row.put(
                "visible_p99_ms",
                visible.getTotalCount() == 0 ? Double.NaN : visible.getValueAtPercentile(99) / 1000.0);
        try {
            run.lags(lag).forEach((group, records) -> row.put(group + "_lag", (double) records));
        } catch (Exception e) {
            row.put("processor_lag", Double.NaN);
            row.put("api_lag", Double.NaN);
        }
        for (String jvm : JVMS) {
            jvmFigures(jvm, row, interval);
        }
        processFigures("postgres", row, interval);
        processFigures("driver", row, interval);
        write(row);
        row.forEach((column, value) -> {
            if (!Double.isNaN(value)) {
                series.computeIfAbsent(column, c -> new ArrayList<>()).add(new double[] {elapsed, value});
            }
        });
        return row;
    }

    /** The samples of one column as {@code (elapsed seconds, value)}. */
    List<double[]> series(String column) {
        return series.getOrDefault(column, List.of());
    }

    private void jvmFigures(String jvm, Map<String, Double> row, double interval) {
        JvmProbe probe = probes.get(jvm);
        double heapUsed = Double.NaN;
        double afterGc = Double.NaN;
        double live = Double.NaN;
        double rocksDb = Double.NaN;
        try {
            heapUsed = probe.heapUsed() / MIB;
            OptionalLong last = probe.heapAfterLastGc();
            afterGc = last.isPresent() ? last.getAsLong() / MIB : Double.NaN;
            if (fullGc) {
                live = probe.liveHeapAfterFullGc() / MIB;
            }
            if (jvm.equals("processor")) {
                OptionalLong rocks = probe.rocksDbMemory();
                rocksDb = rocks.isPresent() ? rocks.getAsLong() / MIB : Double.NaN;
            }
        } catch (IOException | RuntimeException e) {
            probe.close();
        }
        row.put(jvm + "_heap_used_mib", round(heapUsed));
        row.put(jvm + "_heap_after_gc_mib", round(afterGc));
        row.put(jvm + "_live_heap_mib", round(live));
        if (jvm.equals("processor")) {
            row.put("processor_rocksdb_mib", round(rocksDb));
        }
        processFigures(jvm, row, interval);
    }

    private void processFigures(String name, Map<String, Double> row, double interval) {
        Optional<ProcessStats.Sample> sample =
                ResourceSampler.sample(run.resources().processes().get(name));
        String memory = run.resources().processes().get(name).tree() ? "_pss_mib" : "_rss_mib";
        row.put(name + memory, sample.map(s -> round(s.rssBytes() / MIB)).orElse(Double.NaN));
        row.put(name + "_fds", sample.map(s -> (double) s.openFiles()).orElse(Double.NaN));
        Double cores = Double.NaN;
        if (sample.isPresent()) {
            Long before = lastCpu.put(name, sample.get().cpuNanos());
            if (before != null) {
                cores = round((sample.get().cpuNanos() - before) / 1e9 / interval);
            }
        }
        row.put(name + "_cpu_cores", cores);
        if (name.equals("postgres")) {
            row.put(
                    "postgres_processes",
                    sample.map(s -> (double) s.processes()).orElse(Double.NaN));
        }
    }

    private void write(Map<String, Double> row) throws IOException {
        if (header == null) {
            header = List.copyOf(row.keySet());
            csv.write(String.join(",", header));
            csv.newLine();
        }
        List<String> cells = new ArrayList<>();
        for (String column : header) {
            Double value = row.get(column);
            cells.add(value == null || value.isNaN() ? "" : format(value));
        }
        csv.write(String.join(",", cells));
        csv.newLine();
        csv.flush();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }

    @Override
    public void close() throws IOException {
        probes.values().forEach(JvmProbe::close);
        csv.close();
    }
}
