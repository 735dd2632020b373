package io.leadflow.bench.ingest;

import io.leadflow.api.ApiApplication;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.bench.BenchMain;
import io.leadflow.bench.load.Pacer;
import io.leadflow.ingest.IngestApplication;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.kafka.KafkaProducerConfig;
import io.leadflow.ingest.lead.LeadParser;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ingest figures in one run on the shared in-process broker: the raw {@code KafkaProducer} ceiling for the
 * very records (same settings: acks=all, idempotent, same batching), the NDJSON stream's leads/s, single-lead
 * POST latency at a fixed offered load, and heap during a 1,000,000-row CSV import. Prints its figures.
 *
 * <p>Run: {@code ./mvnw -q -pl bench exec:java -Dexec.mainClass=io.leadflow.bench.ingest.IngestBenchmark}
 * (system properties {@code leads}, {@code rate}, {@code seconds}, {@code warmSeconds}, {@code rows}, {@code runs},
 * {@code warmRounds}
 * change the sizes;
 * {@code parts}, e.g. {@code stream,post}, runs only some of {@code stream}, {@code post} and {@code csv}, for a
 * profile of one of them).
 */
public final class IngestBenchmark {

    private static final String KEY = "bench-key";
    private static final String TENANT = "bench";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) {
        BenchMain.exitAfter(IngestBenchmark::run);
    }

    private static void run() throws Exception {
        int leads = Integer.getInteger("leads", 300_000);
        int rate = Integer.getInteger("rate", 2_000);
        int seconds = Integer.getInteger("seconds", 10);
        int rows = Integer.getInteger("rows", 1_000_000);
        int runs = Integer.getInteger("runs", 9);
        List<String> parts =
                List.of(System.getProperty("parts", "stream,post,csv").split(","));

        SharedKafka.createTopics(List.of(Topics.LEADS, Topics.ACTIVITIES));
        String bootstrap = SharedKafka.bootstrapServers();
        ConfigurableApplicationContext ingest = IngestApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + bootstrap,
                        "--logging.level.root=WARN",
                        ApiApplication.NOT_IN_OTHER_SERVICES,
                        "--leadflow.ingest.rate-limit.per-second=1000000",
                        "--leadflow.ingest.rate-limit.burst=1000000",
                        "--leadflow.ingest.api-keys[0].sha256=" + ApiKeyAuthenticator.sha256(KEY),
                        "--leadflow.ingest.api-keys[0].tenant=" + TENANT,
                        "--leadflow.ingest.api-keys[0].source=bench");
        // Enough connections for the offered load: the client must not be what queues the requests.
        reactor.netty.resources.ConnectionProvider connections = reactor.netty.resources.ConnectionProvider.builder(
                        "bench")
                .maxConnections(512)
                .pendingAcquireMaxCount(-1)
                .build();
        WebClient client = WebClient.builder()
                .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(connections)))
                .baseUrl("http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"))
                .defaultHeader("X-Api-Key", KEY)
                .build();
        report("date", Instant.now());
        report("cores", Runtime.getRuntime().availableProcessors());
        report("max heap MiB", Runtime.getRuntime().maxMemory() >> 20);

        if (parts.contains("stream")) {
            streamRuns(client, bootstrap, leads, runs);
        }
        if (parts.contains("post")) {
            // Warm-up at the offered rate until the JIT is done with the single-POST path (client and service): with
            // 5 s, or 20 s, the compiler threads still took 0.4-0.5 of the two cores during the timed run, and that
            // run measured compilation, not the service (the JIT time of the run is printed, to check).
            singlePosts(client, rate, Integer.getInteger("warmSeconds", 60), "warm");
            singlePosts(client, rate, seconds, "post");
        }
        if (parts.contains("csv")) {
            csvImport(client, rows);
        }
        ingest.close();
    }

    private static void streamRuns(WebClient client, String bootstrap, int leads, int runs) throws Exception {
        // Warm-up: JIT, connections, metadata. Full-size rounds of each (-DwarmRounds, 8 by default): with one round
        // of 20,000 the first timed run still paid for compiling the service's code (it was the slowest of the three
        // every time); with three rounds of 300,000 the compilers still ran for 0.4-1.3 s inside each NDJSON run's
        // 1.1 s on these two cores (4.3 s over five runs, 2026-11-28), taking the CPU the stream is bound by. The
        // JIT's time inside each run's clock is printed, to check.
        for (int round = 1; round <= Integer.getInteger("warmRounds", 8); round++) {
            rawProducer(bootstrap, leads, "warm-raw" + round);
            rawProducer(bootstrap, leanLeads(leads, "warm-lean" + round));
            ndjson(client, leads, "warm-nd" + round);
        }

        List<Run> raw = new ArrayList<>();
        List<Run> lean = new ArrayList<>();
        List<Run> stream = new ArrayList<>();
        long startJit = jitMillis();
        for (int run = 1; run <= runs; run++) {
            raw.add(rawProducer(bootstrap, leads, "raw" + run));
            lean.add(rawProducer(bootstrap, leanLeads(leads, "lean" + run)));
            stream.add(ndjson(client, leads, "nd" + run));
            report("run " + run + " raw producer records/s, CPU µs/record, JIT", raw.get(run - 1));
            report("run " + run + " raw producer, lean records, records/s, CPU µs/record, JIT", lean.get(run - 1));
            report("run " + run + " NDJSON stream leads/s, CPU µs/lead, JIT", stream.get(run - 1));
        }
        double rawPerSecond = median(raw.stream().map(Run::perSecond).toList());
        double streamPerSecond = median(stream.stream().map(Run::perSecond).toList());
        double leanPerSecond = median(lean.stream().map(Run::perSecond).toList());
        report(
                "median raw producer records/s with the lean records of the earlier runs (no normalised fields)",
                Math.round(leanPerSecond));
        report("NDJSON / raw with the lean records", String.format("%.2f", streamPerSecond / leanPerSecond));
        report("median raw producer records/s (" + leads + " records)", Math.round(rawPerSecond));
        report("median NDJSON stream leads/s (" + leads + " lines)", Math.round(streamPerSecond));
        report(
                "JIT compiler ms from the first timed run to the last (preparing runs included)",
                jitMillis() - startJit);
        report(
                "JIT compiler ms inside the raw / NDJSON runs' clocks",
                raw.stream().mapToLong(Run::jitMillis).sum() + " / "
                        + stream.stream().mapToLong(Run::jitMillis).sum());
        report("NDJSON / raw", String.format("%.2f", streamPerSecond / rawPerSecond));
        double rawCpu = median(raw.stream().map(Run::cpuMicros).toList());
        double streamCpu = median(stream.stream().map(Run::cpuMicros).toList());
        report("median process CPU µs per record / per lead", String.format("%.1f / %.1f", rawCpu, streamCpu));
        report("raw / NDJSON CPU per item", String.format("%.2f", rawCpu / streamCpu));
    }

    /**
     * One timed run: items per second, and the whole process's CPU time per item (broker, client and service
     * together), which a busy machine inflates far less than the wall-clock rate; and the JIT compilers' time during
     * the run, which a run still compiling takes from the two cores.
     */
    record Run(double perSecond, double cpuMicros, long jitMillis) {
        static Run of(int count, long startNanos, long startCpuNanos, long startJitMillis) {
            return new Run(
                    count / seconds(System.nanoTime() - startNanos),
                    (processCpuNanos() - startCpuNanos) / 1e3 / count,
                    IngestBenchmark.jitMillis() - startJitMillis);
        }

        @Override
        public String toString() {
            return Math.round(perSecond) + ", " + String.format("%.1f", cpuMicros) + ", JIT " + jitMillis + " ms";
        }
    }

    /**
     * Time the JIT compilers spent so far, summed over the compiler threads (elapsed time while compiling, so it may
     * exceed their CPU time on a busy machine); their CPU time counts in the process CPU per item.
     */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The raw producer's run on the very records the service produces for the stream's lines: each line read and
     * validated by the service's own {@link LeadParser} before the clock starts, so both sides send the same bytes.
     */
    static Run rawProducer(String bootstrap, int count, String prefix) throws Exception {
        LeadParser parser = new LeadParser();
        Caller caller = new Caller(TENANT, "bench");
        Instant receivedAt = Instant.now();
        List<Lead> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LeadParser.Result parsed = parser.parse(JSON.readTree(json(prefix + "-" + i, i)), caller, receivedAt);
            if (!parsed.isValid()) {
                throw new IllegalStateException("the benchmark's lead is refused: " + parsed.errors());
            }
            records.add(parsed.lead());
        }
        return rawProducer(bootstrap, records);
    }

    /**
     * The records the raw producer sent before 2026-11-27 23:50: the line's fields only, without the normalised forms
     * and raw values the service adds, so fewer bytes to encode and store than the stream's leads.
     */
    private static List<Lead> leanLeads(int count, String prefix) {
        List<Lead> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(lead(prefix + "-" + i, i));
        }
        return records;
    }

    private static Run rawProducer(String bootstrap, List<Lead> records) throws Exception {
        int count = records.size();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaProducerConfig.producerConfig(bootstrap, Duration.ofSeconds(30)),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(Topics.LEADS.name());
            long startCpu = processCpuNanos();
            long startJit = jitMillis();
            long start = System.nanoTime();
            // One latch for all the acknowledgements, not a future per record kept to the end of the run.
            CountDownLatch acknowledged = new CountDownLatch(count);
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (Lead lead : records) {
                byte[] value = Topics.LEADS.valueSerde().serializer().serialize(Topics.LEADS.name(), lead);
                producer.send(new ProducerRecord<>(Topics.LEADS.name(), TENANT, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    acknowledged.countDown();
                });
            }
            acknowledged.await();
            if (failure.get() != null) {
                throw new IllegalStateException("the raw producer lost a record", failure.get());
            }
            return Run.of(count, start, startCpu, startJit);
        }
    }

    /**
     * The stream's leads/s as the service delivers them: the body is made before the clock starts and the
     * answer's bytes are searched for accepted outcomes, not decoded into lines or parsed, so the client's
     * own work on these two cores stays out of the figure as far as it can (the raw producer's records are
     * made before its clock starts too).
     */
    static Run ndjson(WebClient client, int count, String prefix) {
        List<byte[]> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add((json(prefix + "-" + i, i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Flux<byte[]> body = Flux.fromIterable(lines).buffer(256).map(IngestBenchmark::concat);
        // One matcher over the whole answer: an outcome may be split between two buffers.
        DataBufferUtils.Matcher acceptedOutcome =
                DataBufferUtils.matcher("\"status\":\"accepted\"".getBytes(StandardCharsets.UTF_8));
        long startCpu = processCpuNanos();
        long startJit = jitMillis();
        long start = System.nanoTime();
        Long accepted = client.post()
                .uri("/ingest/v1/leads/stream")
                .contentType(MediaType.APPLICATION_NDJSON)
                .body(body, byte[].class)
                .retrieve()
                .bodyToFlux(DataBuffer.class)
                .reduce(0L, (found, buffer) -> found + occurrences(acceptedOutcome, buffer))
                .block();
        Run run = Run.of(count, start, startCpu, startJit);
        if (accepted == null || accepted != count) {
            throw new IllegalStateException("stream accepted " + accepted + " of " + count);
        }
        return run;
    }

    private static byte[] concat(List<byte[]> parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static long occurrences(DataBufferUtils.Matcher matcher, DataBuffer buffer) {
        try {
            long found = 0;
            for (int end = matcher.match(buffer); end >= 0; end = matcher.match(buffer)) {
                found++;
                buffer.readPosition(end + 1);
            }
            return found;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /**
     * Open loop: requests start on schedule whatever the answers do; latency counts from the scheduled start.
     * The pacer parks between requests: a spinning one took one of the two cores from the service it measures.
     */
    static void singlePosts(WebClient client, int perSecond, int seconds, String prefix) throws InterruptedException {
        Recorder latencies = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        int total = perSecond * seconds;
        Pacer schedule = Pacer.openLoop(perSecond);
        long startCpu = processCpuNanos();
        long startJit = jitMillis();
        long start = System.nanoTime();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        Thread pacer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                long due;
                try {
                    due = schedule.next();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                String body = json(prefix + "-" + i, i);
                client.post()
                        .uri("/ingest/v1/leads")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchangeToMono(response -> response.releaseBody()
                                .thenReturn(response.statusCode().value()))
                        .onErrorResume(e -> Mono.just(-1))
                        .subscribe(status -> {
                            latencies.recordValue((System.nanoTime() - due) / 1_000);
                            (status == 202 ? ok : failed).incrementAndGet();
                            if (status != 202) {
                                statuses.merge(status, 1, Integer::sum);
                            }
                            done.countDown();
                        });
            }
        });
        pacer.start();
        done.await();
        Run run = Run.of(total, start, startCpu, startJit);
        var histogram = latencies.getIntervalHistogram();
        if (!prefix.equals("warm")) {
            report("single POST offered req/s", perSecond);
            report("single POST achieved req/s", Math.round(run.perSecond()));
            report("single POST process CPU µs per request", String.format("%.1f", run.cpuMicros()));
            report("single POST JIT compiler ms during the run", jitMillis() - startJit);
            report("single POST 202 / other", ok.get() + " / " + failed.get() + " " + statuses);
            report("single POST p50 ms", histogram.getValueAtPercentile(50) / 1000.0);
            report("single POST p99 ms", histogram.getValueAtPercentile(99) / 1000.0);
            report("single POST max ms", histogram.getMaxValue() / 1000.0);
        }
    }

    static void csvImport(WebClient client, int rows) throws IOException, InterruptedException {
        Path file = Files.createTempFile("bench-import-", ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("leadId,公司名称,手机,邮箱,城市\n");
            for (int i = 0; i < rows; i++) {
                out.write("imp-" + i + ",导入公司" + i + "有限公司,1390013" + String.format("%04d", i % 10_000) + ",buyer" + i
                        + "@example.cn,上海\n");
            }
        }
        report("CSV file MiB", Files.size(file) >> 20);
        System.gc();
        long baseline = heapUsed();
        report("heap used before import MiB", baseline >> 20);
        long start = System.nanoTime();
        Map<?, ?> created = client.post()
                .uri(uriBuilder -> uriBuilder
                        .path("/ingest/v1/imports")
                        .queryParam("mapping", "{mapping}")
                        .build("{\"公司名称\":\"company.name\",\"手机\":\"contact.mobile\",\"邮箱\":\"contact.email\"}"))
                .contentType(MediaType.parseMediaType("text/csv; charset=UTF-8"))
                .body(BodyInserters.fromResource(new FileSystemResource(file)))
                .retrieve()
                .bodyToMono(Map.class)
                .block();
        String id = (String) created.get("id");
        long peak = 0;
        List<Long> afterGc = new ArrayList<>();
        Map<?, ?> progress;
        do {
            Mono.delay(Duration.ofMillis(500), Schedulers.parallel()).block();
            peak = Math.max(peak, heapUsed());
            afterGc.add(oldGenAfterLastGc());
            progress = client.get()
                    .uri("/ingest/v1/imports/" + id)
                    .retrieve()
                    .bodyToMono(Map.class)
                    .block();
        } while (!"COMPLETED".equals(progress.get("status")) && !"FAILED".equals(progress.get("status")));
        double elapsed = seconds(System.nanoTime() - start);
        Files.deleteIfExists(file);
        report(
                "CSV import status",
                progress.get("status") + " " + progress.get("accepted") + " accepted, " + progress.get("refused")
                        + " refused");
        report("CSV import rows/s", Math.round(rows / elapsed));
        report("heap used peak during import MiB", peak >> 20);
        Collections.sort(afterGc);
        report("old gen after GC, max during import MiB", afterGc.get(afterGc.size() - 1) >> 20);
        System.gc();
        report("heap used after import MiB", heapUsed() >> 20);
    }

    private static Lead lead(String id, int i) {
        return Lead.newBuilder()
                .setLeadId(id)
                .setTenant(TENANT)
                .setSourceSystem("bench")
                .setSource("web-form")
                .setCompany(Company.newBuilder().setName("基准科技有限公司" + i).build())
                .setContact(Contact.newBuilder()
                        .setName("王伟")
                        .setMobile("+86 138 0013 8000")
                        .setEmail("buyer" + i + "@example.cn")
                        .build())
                .setReceivedAt(Instant.now())
                .build();
    }

    /** One of the benchmark's leads as JSON, the same for the stream, the single POSTs and {@link LeadValidationCost}. */
    static String json(String id, int i) {
        return "{\"leadId\":\"" + id + "\",\"source\":\"web-form\",\"company\":{\"name\":\"基准科技有限公司" + i
                + "\"},\"contact\":{\"name\":\"王伟\",\"mobile\":\"+86 138 0013 8000\",\"email\":\"buyer" + i
                + "@example.cn\"}}";
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long oldGenAfterLastGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP
                    && pool.getCollectionUsage() != null
                    && pool.getName().toLowerCase(java.util.Locale.ROOT).contains("old")) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void report(String figure, Object value) {
        System.out.println("ingest-bench | " + figure + " | " + value);
    }
}
