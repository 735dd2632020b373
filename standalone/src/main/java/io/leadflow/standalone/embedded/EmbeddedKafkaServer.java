package io.leadflow.standalone.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent single-node Kafka cluster (one KRaft process acting as broker and controller)
 * running inside this JVM.
 *
 * <p>Guarantees: the storage under the given data directory is formatted once, on first start,
 * with a new cluster id and the latest production metadata version; every later start reuses it,
 * so topics, records, committed offsets and transactions survive restarts. When {@link #start}
 * returns, the broker accepts clients on {@link #bootstrapServers()}. The broker is ready for
 * exactly-once processing (internal topics with replication factor 1), creates new topics with
 * {@value #DEFAULT_PARTITIONS} partitions by default and never creates topics implicitly. {@link
 * #close()} stops the broker and waits until it has stopped. Two servers cannot share one data
 * directory: Kafka locks it.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_PARTITIONS = 6;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaServer.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaServer(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts a server on {@value #DEFAULT_HOST}, ports 9092 (clients) and 9093 (controller). */
    public static EmbeddedKafkaServer start(Path dataDir) {
        return start(dataDir, DEFAULT_BROKER_PORT, DEFAULT_CONTROLLER_PORT);
    }

    /** Starts a server on {@value #DEFAULT_HOST} and the given ports. */
    public static EmbeddedKafkaServer start(Path dataDir, int brokerPort, int controllerPort) {
        return start(dataDir, DEFAULT_HOST, brokerPort, controllerPort);
    }

    /**
     * Starts a server that keeps its data in {@code dataDir} (created if missing) and listens on
     * {@code host}: clients on {@code brokerPort}, the KRaft controller on {@code controllerPort}.
     *
     * @throws IllegalStateException if the storage cannot be formatted or the server does not start
     *     (for instance, a port is taken or another server holds the data directory)
     */
    public static EmbeddedKafkaServer start(Path dataDir, String host, int brokerPort, int controllerPort) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        requirePort(brokerPort, "brokerPort");
        requirePort(controllerPort, "controllerPort");
        if (brokerPort == controllerPort) {
            throw new IllegalArgumentException("brokerPort and controllerPort must differ: " + brokerPort);
        }
        Path logDir = dataDir.toAbsolutePath().normalize();
        long startedAt = System.nanoTime();
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(logDir, host, brokerPort, controllerPort));
        formatOnce(logDir);

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot open Kafka data in " + logDir, e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutDownQuietly(server);
            throw new IllegalStateException(
                    "Kafka did not start on %s:%d with data in %s".formatted(host, brokerPort, logDir), e);
        }
        String bootstrapServers = host + ":" + brokerPort;
        log.info(
                "Kafka started on {} with data in {} in {} ms",
                bootstrapServers,
                logDir,
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return new EmbeddedKafkaServer(server, bootstrapServers, logDir);
    }

    /** The {@code bootstrap.servers} value for clients of this server. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory that holds this server's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server and waits until it has stopped; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long stoppingAt = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info(
                "Kafka on {} stopped in {} ms",
                bootstrapServers,
                Duration.ofNanos(System.nanoTime() - stoppingAt).toMillis());
    }

    static Properties serverProperties(Path logDir, String host, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", "%d@%s:%d".formatted(NODE_ID, host, controllerPort));
        props.put(
                "listeners",
                "%s://%s:%d,%s://%s:%d"
                        .formatted(BROKER_LISTENER, host, brokerPort, CONTROLLER_LISTENER, host, controllerPort));
        props.put("advertised.listeners", "%s://%s:%d".formatted(BROKER_LISTENER, host, brokerPort));
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put(
                "listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Internal topics default to 3 replicas; on one node transactions and groups would hang.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private static void formatOnce(Path logDir) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + logDir, e);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream formatterOutput = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(formatterOutput)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
        }
        log.info(
                "Formatted Kafka storage in {} for cluster {} ({}): {}",
                logDir,
                clusterId,
                MetadataVersion.LATEST_PRODUCTION,
                output.toString(StandardCharsets.UTF_8).strip());
    }

    private static void shutDownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka did not shut down cleanly after a failed start", e);
        }
    }

    private static void requirePort(int port, String name) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be between 1 and 65535: " + port);
        }
    }
}
