package io.leadflow.bench.load;

import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Step;
import io.leadflow.bench.workload.Workload;
import io.leadflow.schemas.Topics;
import io.leadflow.standalone.LeadflowServices.Service;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run against the pipeline as separate processes: starts it, subscribes to the api's live streams,
 * offers the workload's steps at the paced rate and measures what {@link LoadDriver} reports.
 *
 * <p>Leads go to ingest in workload order as the pacer releases them (open loop: concurrently, whatever the
 * answers do). An activity or command waits until its customer is visible in the api, and the steps of one
 * company go one after the other, each after the previous one's answer (what {@link Workload} asks of a
 * driver); their latency counts from the later of the scheduled time and the moment they could be sent. The
 * leads of a tenant are not serialised, so the run does not keep {@code Reference} exact; the crash suite
 * checks the end state, this run measures.
 */
final class LoadRun implements AutoCloseable {

    static final String SECRET = "load-driver-secret-of-at-least-thirty-two-bytes";
    static final String PROCESSOR_GROUP = "leadflow-processor";
    static final String API_GROUP = "leadflow-api-projection";

    /** What one paced phase did. */
    record Phase(long steps, double seconds, long leadsVisible) {}

    private final LoadOptions options;
    private final Workload workload;
    private final ProcessPipeline pipeline;
    private final PipelineClient client;
    private final LeadVisibility leads = new LeadVisibility();
    private final FunnelProbes probes;
    private final Map<String, SseStream> streams = new LinkedHashMap<>();
    private final ResourceSampler resources;
    private final Iterator<Step> steps;
    private final Map<String, String> firstLeads = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> companies = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new LinkedHashMap<>();
    private final Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong waitingSteps = new AtomicLong();

    private LoadRun(LoadOptions options, Workload workload, ProcessPipeline pipeline) {
        this.options = options;
        this.workload = workload;
        this.pipeline = pipeline;
        this.client = new PipelineClient(pipeline);
        this.probes = new FunnelProbes(workload.tenants().get(0), options.probeCustomers());
        this.steps = workload.steps().iterator();
        for (String kind : List.of("lead", "activity", "command", "probe")) {
            latencies.put(kind, LoadReport.micros());
        }
        Map<String, ResourceSampler.Watched> watched = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        watched.put("driver", new ResourceSampler.Watched(() -> self, false));
        watched.put("kafka", new ResourceSampler.Watched(() -> pipeline.broker().pid(), false));
        for (Service service : Service.values()) {
            watched.put(
                    service.name().toLowerCase(java.util.Locale.ROOT),
                    new ResourceSampler.Watched(() -> pipeline.process(service).pid(), false));
        }
        long postmaster = ProcessStats.postmasterPid(pipeline.postgres().dataDir());
        watched.put("postgres", new ResourceSampler.Watched(() -> postmaster, true));
        this.resources = new ResourceSampler(watched);
    }

    /** Starts the pipeline and the live streams, and founds the funnel probes' customers. */
    static LoadRun start(LoadOptions options, Workload workload) throws Exception {
        ProcessPipeline pipeline = ProcessPipeline.start(new ProcessPipeline.Options(
                options.workDir(),
                PipelineClient.credentials(workload.tenants()),
                SECRET,
                null,
                Map.of(
                        // The driver is the only client: one key per tenant must not be throttled.
                        "leadflow.ingest.rate-limit.per-second", "1000000",
                        "leadflow.ingest.rate-limit.burst", "1000000"),
                options.jvmOptions()));
        LoadRun run;
        try {
            run = new LoadRun(options, workload, pipeline);
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        try {
            run.subscribe();
            run.foundProbes();
            return run;
        } catch (Exception | Error e) {
            run.close();
            throw e;
        }
    }

    ProcessPipeline pipeline() {
        return pipeline;
    }

    PipelineClient client() {
        return client;
    }

    Workload workload() {
        return workload;
    }

    ResourceSampler resources() {
        return resources;
    }

    LeadVisibility leads() {
        return leads;
    }

    FunnelProbes probes() {
        return probes;
    }

    /**
     * Offers steps for {@code seconds} (or until the workload or {@link LoadOptions#maxSteps()} runs out), with
     * funnel probes alongside. {@code counted}: whether what is sent now goes into the figures.
     */
    Phase run(int seconds, boolean counted) throws InterruptedException {
        Pacer pacer = options.openLoop() ? Pacer.openLoop(options.rate()) : Pacer.closedLoop(options.inFlight());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long visibleBefore = leads.seen();
        Thread probeLoop = new Thread(() -> probe(end, counted), "funnel-probes");
        probeLoop.setDaemon(true);
        probeLoop.start();
        long sent = 0;
        while (steps.hasNext() && (options.maxSteps() == 0 || sent < options.maxSteps())) {
            long due = pacer.next();
            if (due >= end) {
                pacer.done();
                break;
            }
            dispatch(steps.next(), due, pacer, counted);
            sent++;
        }
        long stop = Math.max(end, System.nanoTime());
        if (!steps.hasNext()) {
            stop = System.nanoTime();
        }
        probeLoop.join();
        return new Phase(sent, (stop - start) / 1e9, leads.seen() - visibleBefore);
    }

    /**
     * The warm-up: {@link LoadOptions#warmUpSeconds()} of the same pacing, not counted, then a drain of what the
     * cold start left queued, so that the measured run starts from steady state.
     */
    void warmUp(LoadReport report) throws InterruptedException {
        run(options.warmUpSeconds(), false);
        Duration settled = drain(Duration.ofSeconds(options.drainSeconds()));
        report.line(
                "after the warm-up",
                LoadReport.format(
                        "waited %.1f s for what it left in flight; load average %s",
                        settled.toMillis() / 1000.0, LoadReport.loadAverage()));
    }

    /** Waits until every lead and probe sent is visible, or {@code within} has passed; returns the wait. */
    Duration drain(Duration within) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline
                && (leads.pendingCount() > 0 || probes.pendingCount() > 0 || waitingSteps.get() > 0)) {
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Prints what the counted phase measured. */
    void report(LoadReport report, Phase phase) {
        double seconds = phase.seconds();
        report.latency("(a) ingest accept, leads (POST /ingest/v1/leads → 202)", latencies.get("lead"), seconds);
        report.latency("(a) ingest accept, workload activities", latencies.get("activity"), seconds);
        report.latency("(a) ingest accept, probe stage changes", latencies.get("probe"), seconds);
        report.latency("(b) lead → visible on the pool stream", leads.latency(), seconds);
        report.latency(
                "(c) stage change → funnel figure on the SSE stream", probes.latency(FunnelProbes.STREAM), seconds);
        report.latency(
                "(c) of which: stage change → figure committed on leadflow.funnel.v1",
                probes.latency(FunnelProbes.TOPIC),
                seconds);
        report.latency(
                "(c) of which: stage change → figure row in the api's PostgreSQL projection",
                probes.latency(FunnelProbes.PROJECTION),
                seconds);
        report.latency("(d) api command answered (claim/release)", latencies.get("command"), seconds);
        report.line("outcomes by kind (HTTP status)", new TreeMap<>(outcomesAsCounts()));
        report.line(
                "throughput",
                LoadReport.format(
                        "%d steps in %.1f s = %.1f steps/s offered (%s); leads answered 202: %.1f/s; leads visible"
                                + " during the run: %.1f/s; probe changes sent: %d",
                        phase.steps(),
                        seconds,
                        phase.steps() / seconds,
                        options.openLoop() ? "open loop" : "closed loop",
                        count("lead", "202") / seconds,
                        phase.leadsVisible() / seconds,
                        probes.sentCount()));
        Map<String, Long> received = new LinkedHashMap<>();
        streams.forEach((name, stream) -> received.put(name, stream.events()));
        report.line("events received per live stream (since start)", received);
        report.line(
                "left after the drain",
                LoadReport.format(
                        "leads not visible %d, probe changes not seen %d, activities/commands still waiting %d",
                        leads.pendingCount(), probes.pendingCount(), waitingSteps.get()));
    }

    /** What each live stream received, how often it connected, and its last failure, by stream. */
    Map<String, String> streamHealth() {
        Map<String, String> health = new LinkedHashMap<>();
        streams.forEach((name, stream) -> health.put(name, stream.health()));
        return health;
    }

    /** Records each consumer group is behind now: {@code processor}, {@code api}. */
    Map<String, Long> lags(ConsumerLag lag) throws Exception {
        Map<String, Long> lags = new LinkedHashMap<>();
        lags.put("processor", lag.lag(PROCESSOR_GROUP));
        lags.put("api", lag.lag(API_GROUP));
        return lags;
    }

    /**
     * Input records (leads, activities, commands) the processor has committed so far: the offsets sum to a
     * count of records because ingest and the api write those topics without transactions.
     */
    static long processorInputsCommitted(ConsumerLag lag) throws Exception {
        List<String> inputs = List.of(Topics.LEADS.name(), Topics.ACTIVITIES.name(), Topics.COMMANDS.name());
        return lag.committed(PROCESSOR_GROUP).entrySet().stream()
                .filter(entry -> inputs.contains(entry.getKey().topic()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private void subscribe() throws InterruptedException {
        for (String tenant : workload.tenants()) {
            streams.put(
                    tenant + " pools/public",
                    client.stream(tenant, "/api/v1/streams/pools/public", leads.listenerFor(tenant)));
        }
        streams.put(
                probes.tenant() + " funnel?dimension=CAMPAIGN",
                client.stream(probes.tenant(), "/api/v1/streams/funnel?dimension=CAMPAIGN", probes.listener()));
        probes.watchTopic(pipeline.bootstrapServers());
        probes.watchProjection(
                pipeline.postgres().jdbcUrl(),
                pipeline.postgres().username(),
                pipeline.postgres().password());
    }

    private void foundProbes() throws Exception {
        CountDownLatch visible = new CountDownLatch(probes.customers());
        for (int customer = 0; customer < probes.customers(); customer++) {
            String leadId = FunnelProbes.leadId(customer);
            leads.expect(probes.tenant(), leadId, System.nanoTime(), false);
            int status = client.postLead(probes.tenant(), FunnelProbes.leadJson(customer))
                    .get(60, TimeUnit.SECONDS)
                    .statusCode();
            if (status != 202) {
                throw new IllegalStateException("probe lead " + leadId + " answered " + status);
            }
            leads.whenVisible(probes.tenant(), leadId, customerId -> visible.countDown());
        }
        if (!visible.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the probe customers were not visible within 120 s");
        }
    }

    private void probe(long end, boolean counted) {
        if (!(options.probeRate() > 0)) {
            return;
        }
        Pacer pacer = Pacer.openLoop(options.probeRate());
        try {
            while (true) {
                long due = pacer.next();
                if (due >= end) {
                    return;
                }
                String change = probes.nextChange(due, counted);
                client.postActivity(probes.tenant(), change)
                        .whenComplete((answer, error) -> finished("probe", due, answer, counted));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(Step step, long due, Pacer pacer, boolean counted) {
        if (step instanceof Step.Lead lead) {
            if (lead.first()) {
                firstLeads.putIfAbsent(company(lead), lead.leadId());
            }
            leads.expect(lead.tenant(), lead.leadId(), due, counted);
            client.postLead(lead.tenant(), lead.json()).whenComplete((answer, error) -> {
                finished("lead", due, answer, counted);
                if (answer == null || answer.statusCode() != 202) {
                    leads.refused(lead.tenant(), lead.leadId());
                }
                pacer.done();
            });
            return;
        }
        // Dependent steps wait for their customer, not for a slot of the pacer.
        pacer.done();
        waitingSteps.incrementAndGet();
        companies.compute(
                company(step),
                (key, previous) -> (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                        .thenCompose(ignored -> sendWhenReady(step, due, counted))
                        .handle((ignored, error) -> {
                            waitingSteps.decrementAndGet();
                            if (error != null) {
                                outcome(
                                        kindOf(step),
                                        "error " + error.getClass().getSimpleName());
                            }
                            return null;
                        }));
    }

    private CompletableFuture<Void> sendWhenReady(Step step, long due, boolean counted) {
        String leadId = step instanceof Step.Activity activity ? activity.leadId() : firstLeads.get(company(step));
        if (leadId == null) {
            outcome(kindOf(step), "skipped: no lead of the company sent");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<String> customer = new CompletableFuture<>();
        leads.whenVisible(step.tenant(), leadId, customer::complete);
        return customer.thenCompose(customerId -> {
            if (customerId == null) {
                outcome(kindOf(step), "skipped: lead refused");
                return CompletableFuture.completedFuture(null);
            }
            long ready = Math.max(due, System.nanoTime());
            CompletableFuture<HttpResponse<String>> answer;
            if (step instanceof Step.Activity activity) {
                answer = client.postActivity(activity.tenant(), activity.json());
            } else {
                Step.Command command = (Step.Command) step;
                answer = client.command(
                        command.tenant(), command.actor(), customerId, command.verb(), command.json(), command.key());
            }
            return answer.handle((response, error) -> {
                finished(kindOf(step), ready, response, counted);
                return null;
            });
        });
    }

    private void finished(String kind, long from, HttpResponse<String> answer, boolean counted) {
        if (!counted) {
            return;
        }
        LoadReport.record(latencies.get(kind), (System.nanoTime() - from) / 1_000);
        outcome(kind, answer == null ? "no answer" : Integer.toString(answer.statusCode()));
    }

    private void outcome(String kind, String outcome) {
        outcomes.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new LongAdder())
                .increment();
    }

    private long count(String kind, String outcome) {
        LongAdder adder = outcomes.getOrDefault(kind, Map.of()).get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    private Map<String, Map<String, Long>> outcomesAsCounts() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        outcomes.forEach((kind, byOutcome) -> {
            Map<String, Long> sorted = new TreeMap<>();
            byOutcome.forEach((outcome, adder) -> sorted.put(outcome, adder.sum()));
            counts.put(kind, sorted);
        });
        return counts;
    }

    private static String kindOf(Step step) {
        return step instanceof Step.Activity ? "activity" : step instanceof Step.Command ? "command" : "lead";
    }

    private static String company(Step step) {
        return step.tenant() + "\u0000" + step.company();
    }

    @Override
    public void close() {
        probes.stop();
        streams.values().forEach(SseStream::close);
        resources.close();
        pipeline.close();
    }
}
