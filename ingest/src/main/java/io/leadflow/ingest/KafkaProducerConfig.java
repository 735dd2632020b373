package io.leadflow.ingest;

import io.leadflow.avro.Lead;
import io.leadflow.schemas.TopicProvisioner;
import io.leadflow.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
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
 * The durable producer: {@code acks=all} and idempotence, so an acknowledged lead is on every in-sync
 * replica and a retried send never duplicates it. Timeouts are short enough that a request answers
 * {@code 503} within the produce timeout when the broker is gone.
 */
@Configuration(proxyBeanMethods = false)
class KafkaProducerConfig {

    private static final Logger log = LoggerFactory.getLogger(KafkaProducerConfig.class);

    @Bean
    ProducerFactory<String, Lead> leadProducerFactory(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers, IngestProperties properties) {
        Duration timeout = properties.produceTimeout();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMs / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        return new DefaultKafkaProducerFactory<>(
                config, new StringSerializer(), Topics.LEADS.valueSerde().serializer());
    }

    @Bean
    KafkaTemplate<String, Lead> leadTemplate(ProducerFactory<String, Lead> leadProducerFactory) {
        return new KafkaTemplate<>(leadProducerFactory);
    }

    @Bean
    ApplicationRunner ensureIngestTopics(
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
            @Value("${leadflow.kafka.replication-factor:1}") short replicationFactor,
            IngestProperties properties) {
        return args -> {
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

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
