package io.leadflow.ingest.kafka;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.schemas.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The publisher on one shared idempotent producer (that of {@code KafkaTemplate<String, byte[]>}): values are
 * encoded with their topic's serde on the sending thread, which is never an event-loop thread, because
 * {@code send} blocks while the producer waits for metadata or for buffer space.
 */
@Component
class KafkaEventPublisher implements EventPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final Duration timeout;
    private final Timer produceLatency;

    KafkaEventPublisher(KafkaTemplate<String, byte[]> template, IngestProperties properties, MeterRegistry registry) {
        this.template = template;
        this.timeout = properties.produceTimeout();
        this.produceLatency = Timer.builder("leadflow.ingest.produce")
                .description("time from hand-over to the producer until the broker acknowledged: one lead, or the"
                        + " last lead of a chunk of a batch or a stream")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    @Override
    public <V> CompletableFuture<Void> send(TopicSpec<String, V> topic, String key, V value) {
        long startedAt = System.nanoTime();
        try {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            return template.send(new ProducerRecord<>(topic.name(), key, bytes))
                    .thenAccept(result -> produceLatency.record(System.nanoTime() - startedAt, TimeUnit.NANOSECONDS));
        } catch (RuntimeException e) {
            // send() fails synchronously when it gave up waiting for metadata or buffer space.
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public <V> Mono<Void> publish(TopicSpec<String, V> topic, String key, V value) {
        return Mono.fromFuture(() -> send(topic, key, value))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout);
    }

    /**
     * Hands the records to the producer itself, one callback each into one {@link Chunk}, rather than through {@code
     * KafkaTemplate}, which adds a future, a listener call, an observation and a timer of its own to every record.
     * A send that fails at once (no metadata or no buffer space within the producer's wait) fails the
     * rest of the chunk with it instead of waiting that long again for each record. The produce latency is recorded
     * once per chunk, when its last record is acknowledged: per record, the timer's percentile histograms cost a
     * third of the producer's network thread, and a chunk's records go out in the same few batches.
     */
    @Override
    public <V> Mono<List<Throwable>> publishAll(TopicSpec<String, V> topic, String key, List<V> values) {
        if (values.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.fromCallable(() -> sendAll(topic, key, values))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(chunk -> Mono.fromFuture(chunk.acknowledged)
                        .timeout(timeout)
                        .onErrorResume(TimeoutException.class, e -> Mono.just(chunk.outcomes(e))))
                .onErrorResume(e -> Mono.just(allFailed(values.size(), e)));
    }

    private <V> Chunk sendAll(TopicSpec<String, V> topic, String key, List<V> values) {
        Chunk chunk = new Chunk(values.size(), produceLatency);
        // The factory's shared producer; closing it after use, as KafkaTemplate does, closes it only when a send
        // failed fatally, so that the factory makes a new one.
        try (Producer<String, byte[]> producer = template.getProducerFactory().createProducer()) {
            for (int i = 0; i < values.size(); i++) {
                int index = i;
                byte[] bytes;
                try {
                    bytes = topic.valueSerde().serializer().serialize(topic.name(), values.get(i));
                } catch (RuntimeException e) {
                    chunk.settle(index, e);
                    continue;
                }
                try {
                    producer.send(
                            new ProducerRecord<>(topic.name(), key, bytes),
                            (metadata, failure) -> chunk.settle(index, failure));
                } catch (RuntimeException e) {
                    for (int rest = i; rest < values.size(); rest++) {
                        chunk.settle(rest, e);
                    }
                    break;
                }
            }
        }
        return chunk;
    }

    /** The outcomes of one hand-over: each record's failure, or {@link #STORED}, as the callbacks come in. */
    private static final class Chunk {

        private static final Object STORED = new Object();

        private final AtomicReferenceArray<Object> outcomes;
        private final AtomicInteger unsettled;
        private final AtomicInteger failed = new AtomicInteger();
        private final CompletableFuture<List<Throwable>> acknowledged = new CompletableFuture<>();
        private final Timer latency;
        private final long startedAt = System.nanoTime();

        Chunk(int size, Timer latency) {
            this.outcomes = new AtomicReferenceArray<>(size);
            this.unsettled = new AtomicInteger(size);
            this.latency = latency;
        }

        void settle(int index, Throwable failure) {
            if (!outcomes.compareAndSet(index, null, failure == null ? STORED : failure)) {
                return;
            }
            if (failure != null) {
                failed.incrementAndGet();
            }
            if (unsettled.decrementAndGet() == 0) {
                if (failed.get() == 0) {
                    latency.record(System.nanoTime() - startedAt, TimeUnit.NANOSECONDS);
                }
                acknowledged.complete(outcomes(null));
            }
        }

        /** Each record's failure, null when stored, and {@code unsettled} for those not settled yet. */
        List<Throwable> outcomes(Throwable unsettled) {
            Throwable[] failures = new Throwable[outcomes.length()];
            for (int i = 0; i < failures.length; i++) {
                Object outcome = outcomes.get(i);
                failures[i] = outcome == STORED ? null : outcome == null ? unsettled : (Throwable) outcome;
            }
            return Arrays.asList(failures);
        }
    }

    static List<Throwable> allFailed(int size, Throwable failure) {
        Throwable[] failures = new Throwable[size];
        Arrays.fill(failures, failure);
        return Arrays.asList(failures);
    }
}
