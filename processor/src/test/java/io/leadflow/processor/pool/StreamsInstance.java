package io.leadflow.processor.pool;

import io.leadflow.processor.LeadflowTopology;
import io.leadflow.testsupport.SharedKafka;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One processor instance in a JVM of its own, for tests that kill it with {@code kill -9}: runs the real
 * topology with exactly-once v2 until the process dies. Arguments: bootstrap servers, application id,
 * state directory.
 */
public final class StreamsInstance {

    private StreamsInstance() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(LeadflowTopology.build(), config(args[0], args[1], args[2]));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        running.await();
        System.out.println("RUNNING");
        System.out.flush();
        Thread.currentThread().join();
    }

    public static Properties config(String bootstrapServers, String applicationId, String stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(
                StreamsConfig.consumerPrefix("session.timeout.ms"), (int) SharedKafka.TEST_SESSION_TIMEOUT.toMillis());
        config.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), (int)
                SharedKafka.TEST_HEARTBEAT_INTERVAL.toMillis());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return config;
    }
}
