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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The publisher on one shared idempotent producer ({@code KafkaTemplate<String, byte[]>}): values are
 * encoded with their topic's serde on the sending thread, which is never an event-loop thread, because
 * {@code send} blocks while the producer waits for metadata or for buffer space. Acknowledgements arrive on
 * the producer's one I/O thread; the {@code Mono}s signal them on the parallel scheduler instead, so that
 * what a caller does next (answering, reading the next lines of a stream) never holds up the sending of
 * further batches.
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
                .description("time from hand-over to the producer until the broker acknowledged")
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
                .timeout(timeout)
                .publishOn(Schedulers.parallel());
    }

    @Override
    public <V> Mono<List<Throwable>> publishAll(TopicSpec<String, V> topic, String key, List<V> values) {
        if (values.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.fromCallable(() -> {
                    Acknowledgements acknowledgements = new Acknowledgements(values.size());
                    for (int i = 0; i < values.size(); i++) {
                        int position = i;
                        send(topic, key, values.get(i))
                                .whenComplete((ok, failure) -> acknowledgements.arrived(position, failure));
                    }
                    return acknowledgements;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(acknowledgements -> Mono.fromFuture(acknowledgements.all)
                        .timeout(timeout)
                        .onErrorResume(TimeoutException.class, e -> Mono.just(acknowledgements.soFar(e))))
                .onErrorResume(e -> Mono.just(allFailed(values.size(), e)))
                .publishOn(Schedulers.parallel());
    }

    /**
     * The outcomes of one hand-over, filled in as the acknowledgements arrive: one array and one counter for
     * the lot rather than a chain of futures per record.
     */
    private static final class Acknowledgements {

        private final Throwable[] failures;
        private final boolean[] arrived;
        private final AtomicInteger pending;
        final CompletableFuture<List<Throwable>> all = new CompletableFuture<>();

        Acknowledgements(int size) {
            this.failures = new Throwable[size];
            this.arrived = new boolean[size];
            this.pending = new AtomicInteger(size);
        }

        void arrived(int position, Throwable failure) {
            synchronized (this) {
                failures[position] = failure;
                arrived[position] = true;
            }
            if (pending.decrementAndGet() == 0) {
                all.complete(Arrays.asList(failures));
            }
        }

        /** The outcomes when the wait ran out: {@code timeout} for every record not acknowledged yet. */
        synchronized List<Throwable> soFar(TimeoutException timeout) {
            Throwable[] outcomes = new Throwable[failures.length];
            for (int i = 0; i < outcomes.length; i++) {
                outcomes[i] = arrived[i] ? failures[i] : timeout;
            }
            return Arrays.asList(outcomes);
        }
    }

    static List<Throwable> allFailed(int size, Throwable failure) {
        Throwable[] failures = new Throwable[size];
        Arrays.fill(failures, failure);
        return Arrays.asList(failures);
    }
}
