package io.leadflow.ingest.kafka;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.schemas.TopicProvisioner;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The durable producer: {@code acks=all} and idempotence, so an acknowledged record is on every in-sync
 * replica and a retried send never duplicates it. Timeouts are short enough that a request answers
 * {@code 503} within the produce timeout when the broker is gone. One producer serves leads and
 * activities of every endpoint, so they share its batches and its buffer.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaProducerConfig {

    private static final Logger log = LoggerFactory.getLogger(KafkaProducerConfig.class);

    @Bean
    ProducerFactory<String, byte[]> ingestProducerFactory(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers, IngestProperties properties) {
        return new DefaultKafkaProducerFactory<>(
                producerConfig(bootstrapServers, properties.produceTimeout()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The producer settings of ingest; the benchmark uses the very same for its raw-producer ceiling. */
    public static Map<String, Object> producerConfig(String bootstrapServers, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        return config;
    }

    @Bean
    KafkaTemplate<String, byte[]> ingestTemplate(ProducerFactory<String, byte[]> ingestProducerFactory) {
        return new KafkaTemplate<>(ingestProducerFactory);
    }

    @Bean(destroyMethod = "close")
    Admin ingestAdmin(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    @Bean
    ApplicationRunner ensureIngestTopics(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${leadflow.kafka.replication-factor:1}") short replicationFactor,
            IngestProperties properties) {
        return args -> {
            if (!properties.createTopics()) {
                return;
            }
            try {
                TopicProvisioner.ensureTopics(
                        bootstrapServers,
                        List.of(Topics.LEADS, Topics.ACTIVITIES),
                        replicationFactor,
                        properties.produceTimeout());
            } catch (KafkaException e) {
                // Start anyway: while the broker is away every lead is answered 503, and upstream retries.
                log.warn("could not check the ingest topics at {}: {}", bootstrapServers, e.toString());
            }
        };
    }
}
