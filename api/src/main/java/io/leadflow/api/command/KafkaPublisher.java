package io.leadflow.api.command;

import io.leadflow.schemas.TopicSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends commands, activities and tenant rules to Kafka ({@code acks=all}, idempotent) and completes only when
 * Kafka acknowledged the record. {@code send} may block for up to {@code max.block.ms} (metadata, a full
 * buffer), so it runs on threads of its own: neither on the event loop nor on Reactor's shared
 * {@code boundedElastic} scheduler, where a Kafka outage would hold every thread and stall unrelated requests.
 */
@Component
class KafkaPublisher implements DisposableBean {

    /** Sends blocked at once before further ones queue; each blocks at most {@code max.block.ms}. */
    static final int SEND_THREADS = 8;

    private final KafkaProducer<String, byte[]> producer;
    private final Scheduler sends = Schedulers.newBoundedElastic(SEND_THREADS, 10_000, "kafka-send");

    KafkaPublisher(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    <V> Mono<RecordMetadata> send(TopicSpec<String, V> topic, String key, V value) {
        return Mono.fromFuture(() -> {
                    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
                    CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
                    producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, error) -> {
                        if (error != null) {
                            acked.completeExceptionally(error);
                        } else {
                            acked.complete(metadata);
                        }
                    });
                    return acked;
                })
                .subscribeOn(sends);
    }

    @Override
    public void destroy() {
        producer.close(java.time.Duration.ofSeconds(5));
        sends.dispose();
    }
}
