package io.leadflow.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per process CPU and resident memory, sampled every second from {@code /proc} while a phase runs: average
 * cores used over the phase (CPU time used ÷ wall time) and the largest resident set seen.
 */
final class ResourceSampler implements AutoCloseable {

    /** A process to watch: its pid (asked at every sample: a restarted process has a new one) and tree or not. */
    record Watched(LongSupplier pid, boolean tree) {}

    private record Mark(long wallNanos, Map<String, Long> cpuNanos) {}

    private final Map<String, Watched> processes;
    private final Map<String, Long> maxRss = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resource-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private Mark mark;

    ResourceSampler(Map<String, Watched> processes) {
        this.processes = new LinkedHashMap<>(processes);
        timer.scheduleAtFixedRate(this::sampleRss, 0, 1, TimeUnit.SECONDS);
    }

    static Optional<ProcessStats.Sample> sample(Watched process) {
        try {
            long pid = process.pid().getAsLong();
            return process.tree() ? ProcessStats.ofTree(pid) : ProcessStats.of(pid);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Map<String, Watched> processes() {
        return processes;
    }

    /** Starts a phase: CPU is counted from now, the largest resident sets are forgotten. */
    synchronized void begin() {
        maxRss.clear();
        mark = new Mark(System.nanoTime(), cpuNow());
    }

    /** Ends the phase: one line per process, {@code cores avg, max RSS MiB}. */
    synchronized void report(LoadReport report, String phase) {
        sampleRss();
        long wall = System.nanoTime() - mark.wallNanos();
        Map<String, Long> cpu = cpuNow();
        double total = 0;
        StringBuilder line = new StringBuilder();
        for (String name : processes.keySet()) {
            long used = cpu.getOrDefault(name, 0L) - mark.cpuNanos().getOrDefault(name, 0L);
            double cores = used / (double) wall;
            total += cores;
            line.append(
                    LoadReport.format("%s %.2f cores / %d MiB; ", name, cores, maxRss.getOrDefault(name, 0L) >> 20));
        }
        line.append(LoadReport.format("all %.2f cores", total));
        report.line(phase + ": CPU (average cores) / max RSS per process (postgres: PSS of its tree)", line);
    }

    private Map<String, Long> cpuNow() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, process) -> sample(process).ifPresent(s -> cpu.put(name, s.cpuNanos())));
        return cpu;
    }

    private synchronized void sampleRss() {
        processes.forEach(
                (name, process) -> sample(process).ifPresent(s -> maxRss.merge(name, s.rssBytes(), Math::max)));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
