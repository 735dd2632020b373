package io.leadflow.api.projection;

import io.leadflow.api.ApiProperties;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Projects the customers topic into PostgreSQL. Offsets are committed only after a batch is written, and
 * the writes are idempotent and version-ordered, so a crash at any point at worst replays records that
 * change nothing. The consumer is touched only from its own thread; the database writes are reactive.
 */
@Component
class CustomerProjection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CustomerProjection.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final CustomerRows rows;
    private final ApiProperties.Projection settings;
    private final String bootstrapServers;
    private Scheduler pollThread;
    private KafkaConsumer<String, CustomerSnapshot> consumer;
    private Disposable loop;
    private volatile boolean running;

    CustomerProjection(
            CustomerRows rows,
            ApiProperties properties,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        this.rows = rows;
        this.settings = properties.projection();
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public void start() {
        pollThread = Schedulers.newSingle("customer-projection");
        consumer = new KafkaConsumer<>(
                consumerConfig(),
                Topics.CUSTOMERS.keySerde().deserializer(),
                Topics.CUSTOMERS.valueSerde().deserializer());
        running = true;
        loop = Mono.fromRunnable(() -> consumer.subscribe(List.of(Topics.CUSTOMERS.name())))
                .subscribeOn(pollThread)
                .thenMany(Flux.defer(this::pollOnce).repeat(() -> running))
                .subscribe(null, error -> log.error("customer projection stopped", error));
    }

    private Mono<Void> pollOnce() {
        return Mono.fromCallable(() -> poll())
                .subscribeOn(pollThread)
                .flatMap(records -> records.isEmpty() ? Mono.empty() : write(records))
                .onErrorResume(e -> !(e instanceof WakeupException), e -> {
                    log.warn("customer projection failed, rewinding to the last committed offsets: {}", e.toString());
                    return Mono.fromRunnable(this::rewind)
                            .subscribeOn(pollThread)
                            .then(Mono.delay(RETRY_DELAY))
                            .then();
                });
    }

    private ConsumerRecords<String, CustomerSnapshot> poll() {
        try {
            return consumer.poll(settings.pollTimeout());
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        } catch (RecordDeserializationException e) {
            // The processor writes only valid snapshots; an unreadable one cannot be projected, so skip it
            // rather than stop the read model for every tenant.
            log.error(
                    "skipping unreadable customer record at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return ConsumerRecords.empty();
        }
    }

    private Mono<Void> write(ConsumerRecords<String, CustomerSnapshot> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, CustomerSnapshot>> batch = records.records(partition);
            offsets.put(
                    partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
        }
        return Flux.fromIterable(records)
                .concatMap(record -> rows.apply(record.key(), record.value()))
                .then(Mono.fromRunnable(() -> consumer.commitSync(offsets)).subscribeOn(pollThread))
                .then();
    }

    /** After a failed write, go back to the committed offsets so nothing is skipped. */
    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            loop.dispose();
        }
        if (pollThread != null) {
            Mono.fromRunnable(() -> consumer.close(Duration.ofSeconds(5)))
                    .subscribeOn(pollThread)
                    .onErrorResume(e -> Mono.empty())
                    .toFuture()
                    .join();
            pollThread.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
