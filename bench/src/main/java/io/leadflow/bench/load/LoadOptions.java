package io.leadflow.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of a load run, from system properties ({@code -Dload.rate=200}); every one has a default that
 * works on a 2-core machine. Documented in {@code bench/README.md}.
 *
 * @param rate requests offered per second (leads, activities and commands of the workload), open loop; 0 runs
 *     closed loop, as fast as possible with {@link #inFlight} requests in flight
 * @param inFlight requests in flight in closed-loop mode
 * @param seconds how long requests are offered (after the warm-up)
 * @param maxSteps stop after this many workload steps (0: no limit; the duration still applies)
 * @param warmUpSeconds offered like the run but not counted: JIT, connections, caches
 * @param tenants tenants of the workload (each has its own ingest key, pool stream and salespeople)
 * @param seed the workload's seed
 * @param probeRate funnel probe stage changes per second (on top of {@link #rate})
 * @param probeCustomers customers the probes move, each alone in its campaign
 * @param drainSeconds how long to wait after the run for leads and probes still in flight
 * @param baselines whether to run the baselines (plain SQL vs api; exactly-once copy vs processor replay)
 * @param baselineReads timed reads per question in the plain-SQL comparison
 * @param copyRuns runs of the exactly-once copy (the median is used)
 * @param jvmOptions options of every service's JVM
 * @param workDir the pipeline's data and logs
 */
record LoadOptions(
        double rate,
        int inFlight,
        int seconds,
        long maxSteps,
        int warmUpSeconds,
        int tenants,
        long seed,
        double probeRate,
        int probeCustomers,
        int drainSeconds,
        boolean baselines,
        int baselineReads,
        int copyRuns,
        List<String> jvmOptions,
        Path workDir) {

    static LoadOptions fromSystemProperties() {
        return new LoadOptions(
                Double.parseDouble(System.getProperty("load.rate", "100")),
                Integer.getInteger("load.inFlight", 32),
                Integer.getInteger("load.seconds", 120),
                Long.getLong("load.steps", 0L),
                Integer.getInteger("load.warmUpSeconds", 20),
                Integer.getInteger("load.tenants", 3),
                Long.getLong("load.seed", 42L),
                Double.parseDouble(System.getProperty("load.probeRate", "5")),
                Integer.getInteger("load.probeCustomers", 20),
                Integer.getInteger("load.drainSeconds", 60),
                Boolean.parseBoolean(System.getProperty("load.baselines", "true")),
                Integer.getInteger("load.baselineReads", 50),
                Integer.getInteger("load.copyRuns", 3),
                Arrays.asList(System.getProperty("load.jvm", "-Xmx1g").trim().split("\\s+")),
                Path.of(System.getProperty(
                        "load.workDir",
                        targetDir()
                                .resolve("load-" + Instant.now().toString().replace(':', '-'))
                                .toString())));
    }

    /** {@code bench/target} when run from the repository root, else {@code target} (run from {@code bench/}). */
    static Path targetDir() {
        return Files.isDirectory(Path.of("bench", "target")) ? Path.of("bench", "target") : Path.of("target");
    }

    boolean openLoop() {
        return rate > 0;
    }

    /** Requests offered in the warm-up and the run, at the rate (open loop) or a generous guess (closed loop). */
    long expectedSteps() {
        double perSecond = openLoop() ? rate : 2_000;
        long bySeconds = (long) Math.ceil(perSecond * (seconds + warmUpSeconds));
        return maxSteps > 0 ? Math.min(maxSteps + (long) (perSecond * warmUpSeconds), bySeconds) : bySeconds;
    }

    /** The options with another rate, duration and warm-up (the soak's). */
    LoadOptions withRun(double rate, int seconds, int warmUpSeconds) {
        return new LoadOptions(
                rate,
                inFlight,
                seconds,
                maxSteps,
                warmUpSeconds,
                tenants,
                seed,
                probeRate,
                probeCustomers,
                drainSeconds,
                baselines,
                baselineReads,
                copyRuns,
                jvmOptions,
                workDir);
    }
}
