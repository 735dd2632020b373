package io.leadflow.bench.cluster;

import io.leadflow.standalone.LeadflowServices;
import io.leadflow.standalone.LeadflowServices.Service;
import io.leadflow.standalone.ServiceMain;
import io.leadflow.standalone.embedded.EmbeddedPostgresServer;
import io.leadflow.standalone.embedded.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The whole pipeline as separate processes, the way it runs for real: one Kafka broker, the processor, the
 * api and the ingest service each in a JVM of its own ({@link ServiceMain}), and an embedded PostgreSQL
 * (itself a separate set of processes). Everything listens on loopback ports picked at start. Any
 * process can be killed with {@code kill -9} and started again on the same data; the broker keeps its log
 * and the processor its state directory across restarts.
 */
public final class ProcessPipeline implements AutoCloseable {

    /** JVM options for the services: small heaps and quick start-up, for tests on a 2-core machine. */
    public static final List<String> TEST_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /**
     * @param workDir broker log, database, state stores and the processes' logs ({@code logs/})
     * @param ingestKeys the ingest service's API keys
     * @param apiHmacSecret the secret the api verifies tokens with (at least 32 bytes)
     * @param devTokenTenant the tenant the api mints development tokens for, or {@code null}
     * @param extraProperties settings given to all three services
     * @param jvmOptions options of every service's JVM (e.g. {@link #TEST_JVM})
     */
    public record Options(
            Path workDir,
            List<LeadflowServices.Credential> ingestKeys,
            String apiHmacSecret,
            String devTokenTenant,
            Map<String, String> extraProperties,
            List<String> jvmOptions) {

        public Options {
            Objects.requireNonNull(workDir, "workDir");
            ingestKeys = List.copyOf(ingestKeys);
            Objects.requireNonNull(apiHmacSecret, "apiHmacSecret");
            extraProperties = Map.copyOf(extraProperties);
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    private final Options options;
    private volatile EmbeddedPostgresServer postgres;
    private final JvmProcess broker;
    private final String bootstrapServers;
    private final Map<Service, JvmProcess> services = new EnumMap<>(Service.class);
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProcessPipeline(Options options, EmbeddedPostgresServer postgres, JvmProcess broker, int brokerPort) {
        this.options = options;
        this.postgres = postgres;
        this.broker = broker;
        this.bootstrapServers = "localhost:" + brokerPort;
    }

    /** Starts PostgreSQL and the broker, then the processor, the api and ingest together, and waits for all. */
    public static ProcessPipeline start(Options options) {
        Path logs = options.workDir().resolve("logs");
        int brokerPort = FreePorts.next();
        JvmProcess broker = JvmProcess.of(
                "kafka",
                options.jvmOptions(),
                ServiceMain.class.getName(),
                List.of(
                        "kafka",
                        options.workDir().resolve("kafka").toString(),
                        String.valueOf(brokerPort),
                        String.valueOf(FreePorts.next())),
                logs);
        // The broker's JVM starts while PostgreSQL does.
        broker.start();
        EmbeddedPostgresServer postgres;
        try {
            postgres = EmbeddedPostgresServer.start(options.workDir().resolve("postgres"), FreePorts.next());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        ProcessPipeline pipeline = new ProcessPipeline(options, postgres, broker, brokerPort);
        try {
            awaitLogLine(broker, "READY ");
            LeadflowServices.Settings settings = pipeline.settings();
            // Started together and then awaited: their start-ups overlap (none needs another to be up).
            for (Service service : Service.values()) {
                JvmProcess process = JvmProcess.of(
                        service.name().toLowerCase(java.util.Locale.ROOT),
                        options.jvmOptions(),
                        ServiceMain.class.getName(),
                        serviceArguments(service, settings),
                        logs);
                pipeline.services.put(service, process);
                process.start();
            }
            for (Service service : Service.values()) {
                pipeline.awaitHealthy(service, pipeline.services.get(service));
            }
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** Starts the broker (again, on its log) and waits until it takes connections. */
    public void startBroker() {
        broker.start();
        awaitLogLine(broker, "READY ");
    }

    /** Starts {@code service} (again, on the same data) and waits until it is ready. */
    public void start(Service service) {
        JvmProcess process = services.get(service);
        process.start();
        awaitHealthy(service, process);
    }

    /** {@code kill -9} of one service. */
    public void kill(Service service) {
        services.get(service).kill();
    }

    /**
     * Deletes the processor's state directory, as a host replaced with an empty disk would leave it: started
     * again, the processor rebuilds every store from the changelog topics. The processor must be down.
     *
     * @return how many files and directories were deleted
     */
    public int wipeProcessorState() throws IOException {
        if (services.get(Service.PROCESSOR).isAlive()) {
            throw new IllegalStateException("the processor is running; kill it before wiping its state");
        }
        Path stateDir = processorStateDir();
        if (!Files.exists(stateDir)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            List<Path> deleted = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deleted) {
                Files.delete(path);
            }
            return deleted.size();
        }
    }

    private Path processorStateDir() {
        return options.workDir().resolve("streams");
    }

    public JvmProcess broker() {
        return broker;
    }

    public JvmProcess process(Service service) {
        return services.get(service);
    }

    public URI uri(Service service) {
        return URI.create("http://localhost:" + ports.get(service));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /**
     * Stops PostgreSQL (a fast shutdown: open sessions are cut, as in a restart or a fail-over), keeps it down
     * for {@code down} and starts it again on its data and port. The services are not told.
     */
    public synchronized void restartPostgres(Duration down) throws InterruptedException {
        EmbeddedPostgresServer stopped = postgres;
        int port = stopped.port();
        stopped.close();
        Thread.sleep(down.toMillis());
        postgres = EmbeddedPostgresServer.start(stopped.dataDir(), port);
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        List<JvmProcess> running = Stream.of(Service.INGEST, Service.API, Service.PROCESSOR)
                .map(services::get)
                .filter(Objects::nonNull)
                .toList();
        // Told together, as their start-ups overlap: none needs another to stop cleanly, only the broker and
        // the database, which stop after them (one service after another took about 9 s).
        running.forEach(JvmProcess::terminate);
        running.forEach(process -> process.stop(STOP_GRACE));
        broker.stop(STOP_GRACE);
        postgres.close();
    }

    private LeadflowServices.Settings settings() {
        for (Service service : Service.values()) {
            ports.put(service, FreePorts.next());
        }
        return new LeadflowServices.Settings(
                bootstrapServers,
                LeadflowServices.Database.of(postgres),
                processorStateDir(),
                ports.get(Service.PROCESSOR),
                ports.get(Service.API),
                ports.get(Service.INGEST),
                options.ingestKeys(),
                options.apiHmacSecret(),
                options.devTokenTenant(),
                options.extraProperties());
    }

    private static List<String> serviceArguments(Service service, LeadflowServices.Settings settings) {
        List<String> arguments = new ArrayList<>();
        arguments.add(service.name().toLowerCase(java.util.Locale.ROOT));
        arguments.addAll(LeadflowServices.arguments(service, settings));
        return arguments;
    }

    private void awaitHealthy(Service service, JvmProcess process) {
        // Readiness: the processor's is up only once its tasks are restored and processing.
        HttpRequest health = HttpRequest.newBuilder(uri(service).resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            process.requireAlive();
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + process.name(), e);
            }
            pause();
        }
        throw new IllegalStateException(
                process.name() + " not healthy within " + READY_WITHIN + "; end of its log:\n" + process.tail(40));
    }

    private static void awaitLogLine(JvmProcess process, String prefix) {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            process.requireAlive();
            List<String> lines = process.lines();
            int lastStart = lines.size() - 1;
            while (lastStart > 0 && !lines.get(lastStart).startsWith("=== start ")) {
                lastStart--;
            }
            if (lines.subList(Math.max(0, lastStart), lines.size()).stream()
                    .anyMatch(line -> line.startsWith(prefix))) {
                return;
            }
            pause();
        }
        throw new IllegalStateException(
                process.name() + " did not print '" + prefix + "' within " + READY_WITHIN + ":\n" + process.tail(40));
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
