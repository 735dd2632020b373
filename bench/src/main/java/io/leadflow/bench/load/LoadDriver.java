package io.leadflow.bench.load;

import io.leadflow.bench.BenchMain;
import io.leadflow.bench.workload.Workload;
import io.leadflow.bench.workload.WorkloadSpec;
import io.leadflow.schemas.Topics;
import io.leadflow.standalone.LeadflowServices.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end load: the seeded workload through ingest into the pipeline running as separate processes (one
 * broker, processor, api, ingest, one PostgreSQL), with three latencies (ingest accept; lead → customer visible
 * on the api's pool stream; stage change → funnel figure on the api's funnel stream), throughput, CPU and memory
 * per process, and two baselines in the same run: the same funnel and pool questions against a plain table, and
 * an exactly-once consume → produce copy of the same input records next to the processor replaying them.
 *
 * <p>Run from the repository root (options are {@code -Dload.*} system properties, see {@code bench/README.md}):
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadflow.avro -cp bench/target/classes:$(cat bench/target/cp.txt) \
 *     -Dload.rate=100 -Dload.seconds=120 io.leadflow.bench.load.LoadDriver
 * </pre>
 */
public final class LoadDriver {

    private static final LoadReport REPORT = new LoadReport("load");

    private LoadDriver() {}

    public static void main(String[] args) {
        BenchMain.exitAfter(() -> run(LoadOptions.fromSystemProperties()));
    }

    static void run(LoadOptions options) throws Exception {
        Workload workload = workload(options);
        REPORT.line("date", Instant.now());
        REPORT.line(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, load average " + LoadReport.loadAverage()
                        + " before start");
        REPORT.line("services' JVM options", String.join(" ", options.jvmOptions()));
        REPORT.line(
                "workload",
                "seed " + options.seed() + ", tenants " + workload.tenants() + ", steps " + workload.counts());
        try (LoadRun run = LoadRun.start(options, workload);
                ConsumerLag lag = new ConsumerLag(run.pipeline().bootstrapServers())) {
            REPORT.line("warm-up", options.warmUpSeconds() + " s, same pacing, not counted");
            run.warmUp(REPORT);
            REPORT.line(
                    "pacing",
                    (options.openLoop() ? Pacer.openLoop(options.rate()) : Pacer.closedLoop(options.inFlight()))
                                    .describe()
                            + ", probes " + options.probeRate() + "/s over " + options.probeCustomers()
                            + " customers");
            run.resources().begin();
            long inputsBefore = LoadRun.processorInputsCommitted(lag);
            LoadRun.Phase phase = run.run(options.seconds(), true);
            run.resources().report(REPORT, "load phase");
            REPORT.line(
                    "processor during the load phase",
                    LoadReport.format(
                            "%.1f input records/s committed",
                            (LoadRun.processorInputsCommitted(lag) - inputsBefore) / phase.seconds()));
            REPORT.line("consumer lag at the end of the load phase (records)", run.lags(lag));
            REPORT.line("load average at the end of the load phase", LoadReport.loadAverage());
            Duration drained = run.drain(Duration.ofSeconds(options.drainSeconds()));
            REPORT.line("drain after the load phase", LoadReport.format("%.1f s", drained.toMillis() / 1000.0));
            run.report(REPORT, phase);
            if (options.baselines()) {
                baselines(options, run, lag);
            }
        }
    }

    /**
     * A workload with enough steps for the run at its rate, spread over the tenants. The share of commands
     * falls as a workload grows (each salesperson has a claim budget), so the size is guessed, checked and, if
     * short, guessed again from what came out.
     */
    static Workload workload(LoadOptions options) {
        long wanted = options.expectedSteps();
        long leads = (long) Math.ceil(wanted / 1.6 * 1.05);
        Workload workload = Workload.generate(spec(options, leads));
        if (workload.steps().size() < wanted) {
            leads = (long) Math.ceil(leads * 1.05 * wanted / workload.steps().size());
            workload = Workload.generate(spec(options, leads));
        }
        return workload;
    }

    private static WorkloadSpec spec(LoadOptions options, long leads) {
        int perTenant = (int) Math.max(100, Math.min(Integer.MAX_VALUE, leads / options.tenants() + 1));
        return WorkloadSpec.of(options.seed(), options.tenants(), perTenant);
    }

    private static void baselines(LoadOptions options, LoadRun run, ConsumerLag lag) throws Exception {
        String tenant = run.workload().tenants().get(0);
        REPORT.line("consumer lag before the baselines (records)", run.lags(lag));
        long copied = CrmBaseline.load(run.pipeline());
        REPORT.line(
                "plain CRM table",
                copied + " customers copied from the api's projection; questions for tenant " + tenant + ", "
                        + options.baselineReads() + " timed reads each after 10 untimed");
        for (CrmBaseline.Comparison comparison :
                CrmBaseline.compare(run.pipeline(), run.client(), tenant, options.baselineReads())) {
            REPORT.line("plain SQL vs api: " + comparison.question(), comparison.line());
        }

        // The processor's ceiling: nothing else runs while the copy and the replay work.
        for (Service service : List.of(Service.INGEST, Service.API, Service.PROCESSOR)) {
            run.pipeline().process(service).stop(Duration.ofSeconds(30));
        }
        List<String> inputs = List.of(Topics.LEADS.name(), Topics.ACTIVITIES.name(), Topics.COMMANDS.name());
        String bootstrap = run.pipeline().bootstrapServers();
        Duration commit = Duration.ofMillis(100);
        List<Double> copies = new ArrayList<>();
        ExactlyOnceCopy.Result first = ExactlyOnceCopy.run(bootstrap, inputs, commit, "1");
        copies.add(first.perSecond());
        REPORT.line("exactly-once copy run 1", copyLine(first));
        ProcessorReplay.Result replay = ProcessorReplay.run(run.pipeline(), inputs, "1", options.workDir());
        REPORT.line(
                "processor replay of the same records",
                LoadReport.format(
                        "%d input records; %.0f records/s (%d records in %.1f s from its first commit until no lag)",
                        replay.total(), replay.perSecond(), replay.records(), replay.seconds()));
        for (int i = 2; i <= options.copyRuns(); i++) {
            ExactlyOnceCopy.Result again = ExactlyOnceCopy.run(bootstrap, inputs, commit, Integer.toString(i));
            copies.add(again.perSecond());
            REPORT.line("exactly-once copy run " + i, copyLine(again));
        }
        double copyMedian = CrmBaseline.percentile(copies, 50);
        REPORT.line(
                "processor / exactly-once copy",
                LoadReport.format(
                        "%.0f / %.0f records/s = %.3f (copy: median of %d runs)",
                        replay.perSecond(), copyMedian, replay.perSecond() / copyMedian, copies.size()));
        REPORT.line("load average after the baselines", LoadReport.loadAverage());
    }

    private static String copyLine(ExactlyOnceCopy.Result result) {
        return LoadReport.format(
                "%.0f records/s (%d records in %.1f s from the first commit), commit every 100 ms, read_committed",
                result.perSecond(), result.records(), result.seconds());
    }
}
