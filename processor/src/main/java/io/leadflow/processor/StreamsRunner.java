package io.leadflow.processor;

import io.leadflow.schemas.TopicProvisioner;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the topology with exactly-once v2: every input record's state changes and outputs commit in one
 * transaction, so a crash neither loses nor doubles anything. Creates the catalogue's topics first when
 * they are missing.
 */
@Component
public class StreamsRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessorProperties properties;
    private final String bootstrapServers;
    private volatile KafkaStreams streams;

    StreamsRunner(ProcessorProperties properties, @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public void start() {
        TopicProvisioner.ensureTopics(
                bootstrapServers, Topics.all(), properties.replicationFactor(), Duration.ofSeconds(30));
        KafkaStreams started = new KafkaStreams(
                LeadflowTopology.build(
                        properties.funnel().settings(), properties.identity().stores()),
                streamsConfig());
        started.setUncaughtExceptionHandler(exception -> {
            log.error("stream thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        started.start();
        streams = started;
    }

    Properties streamsConfig() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                properties.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) properties.replicationFactor());
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A killed instance's tasks wait this long before they run again; heartbeats three times within it.
        long session = properties.sessionTimeout().toMillis();
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) session);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                Math.min(3_000, session / 3));
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        config.put(BoundedRocksDb.TOTAL_BYTES_CONFIG, properties.rocksdbMemory().toBytes());
        return config;
    }

    /** The running Kafka Streams instance, or {@code null} before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void stop() {
        KafkaStreams running = streams;
        if (running != null) {
            // Leave the group on a planned stop: otherwise the partitions wait out the session timeout
            // before another instance (or this one, restarted) may take them.
            running.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }
}
