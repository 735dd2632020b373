package io.leadflow.api.projection;

import io.leadflow.api.ApiProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Projects the processor's output topics (customers, pool events, identity events, funnel figures, owner figures,
 * command results) and the tenant rules into PostgreSQL, with one consumer in one group shared by all api instances.
 * Offsets are committed only after a batch is written, and every write is idempotent and ordered, so a crash
 * at any point at worst replays records that change nothing. The records of one poll are written in one
 * transaction: one commit (one WAL flush) per batch, not per record, which is what bounded the projection's
 * throughput. After each batch it notifies every api instance
 * ({@code pg_notify}) of the tenants and streams that changed. The consumer is touched only from its own
 * thread; the database writes are reactive.
 */
@Component
class ProjectionConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConsumer.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final Map<String, Projector<?>> projectors;
    private final DatabaseClient db;
    private final TransactionalOperator inOneTransaction;
    private final ApiProperties.Projection settings;
    private final String bootstrapServers;
    private final Clock clock;
    private final Map<String, Long> lagByTopic = new ConcurrentHashMap<>();
    private volatile Instant lastPollAt;
    private volatile Throwable lastFailure;
    private Scheduler pollThread;
    private KafkaConsumer<String, byte[]> consumer;
    private Disposable loop;
    private volatile boolean running;

    ProjectionConsumer(
            List<Projector<?>> projectors,
            DatabaseClient db,
            ReactiveTransactionManager transactions,
            ApiProperties properties,
            MeterRegistry meters,
            @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        this.projectors = projectors.stream()
                .collect(Collectors.toUnmodifiableMap(
                        projector -> projector.topic().name(), Function.identity()));
        this.db = db;
        this.inOneTransaction = TransactionalOperator.create(transactions);
        this.settings = properties.projection();
        this.bootstrapServers = bootstrapServers;
        this.clock = Clock.systemUTC();
        for (String topic : this.projectors.keySet()) {
            lagByTopic.put(topic, 0L);
            Gauge.builder("leadflow.api.projection.lag", lagByTopic, lags -> lags.getOrDefault(topic, 0L))
                    .description("Records of the topic not yet projected into PostgreSQL")
                    .tag("topic", topic)
                    .register(meters);
        }
    }

    /** What health reports: lag per topic, when the consumer last polled, and whether it is stalled. */
    ProjectionStatus status() {
        Instant polled = lastPollAt;
        boolean stalled = !running
                || polled == null && lastFailure != null
                || polled != null && polled.plus(settings.stalledAfter()).isBefore(clock.instant());
        return new ProjectionStatus(Map.copyOf(lagByTopic), polled, stalled, lastFailure);
    }

    @Override
    public void start() {
        pollThread = Schedulers.newSingle("projection");
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        loop = Mono.fromRunnable(() -> consumer.subscribe(List.copyOf(projectors.keySet())))
                .subscribeOn(pollThread)
                .thenMany(Flux.defer(this::pollOnce).repeat(() -> running))
                .subscribe(null, error -> {
                    lastFailure = error;
                    log.error("projection stopped", error);
                });
    }

    private Mono<Void> pollOnce() {
        return Mono.fromCallable(this::poll)
                .subscribeOn(pollThread)
                .flatMap(records -> records.isEmpty() ? Mono.empty() : write(records))
                .onErrorResume(e -> !(e instanceof WakeupException), e -> {
                    lastFailure = e;
                    log.warn("projection failed, rewinding to the last committed offsets: {}", e.toString());
                    return Mono.fromRunnable(this::rewind)
                            .subscribeOn(pollThread)
                            .then(Mono.delay(RETRY_DELAY))
                            .then();
                });
    }

    private ConsumerRecords<String, byte[]> poll() {
        try {
            ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
            lastPollAt = clock.instant();
            recordLag();
            return records;
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        }
    }

    private void recordLag() {
        Map<String, Long> lag = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            lag.merge(partition.topic(), behind.orElse(0L), Long::sum);
        }
        for (String topic : projectors.keySet()) {
            lagByTopic.put(topic, lag.getOrDefault(topic, 0L));
        }
    }

    private Mono<Void> write(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
            offsets.put(
                    partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
        }
        Set<Change> changes = new LinkedHashSet<>();
        return Flux.fromIterable(records)
                .concatMap(this::apply)
                .doOnNext(change -> change.ifPresent(changes::add))
                .then()
                .as(inOneTransaction::transactional)
                .then(Mono.fromRunnable(() -> consumer.commitSync(offsets)).subscribeOn(pollThread))
                .then(Flux.defer(() -> Flux.fromIterable(changes))
                        .concatMap(this::notify)
                        .then())
                .doOnSuccess(done -> lastFailure = null);
    }

    private Mono<Optional<Change>> apply(ConsumerRecord<String, byte[]> record) {
        return applyTo(projectors.get(record.topic()), record);
    }

    private <V> Mono<Optional<Change>> applyTo(Projector<V> projector, ConsumerRecord<String, byte[]> record) {
        V value;
        try {
            value = record.value() == null
                    ? null
                    : projector
                            .topic()
                            .valueSerde()
                            .deserializer()
                            .deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            // The processor writes only valid records; an unreadable one cannot be projected, so skip it rather
            // than stop the read model for every tenant.
            log.error(
                    "skipping unreadable record at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return Mono.just(Optional.empty());
        }
        if (record.key() == null) {
            log.error("skipping record without key at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return Mono.just(Optional.empty());
        }
        return projector.apply(record.key(), value, record.offset());
    }

    private Mono<Void> notify(Change change) {
        return db.sql("SELECT pg_notify(:channel, :payload)")
                .bind("channel", Change.CHANNEL)
                .bind("payload", change.payload())
                .fetch()
                .rowsUpdated()
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
        // A killed instance's partitions wait this long before anyone reads them again; heartbeats three times
        // within it, as Kafka advises.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                settings.sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                Math.min(3_000, settings.sessionTimeout().toMillis() / 3));
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
