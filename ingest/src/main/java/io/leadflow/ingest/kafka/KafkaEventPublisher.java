package io.leadflow.ingest.kafka;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.schemas.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The publisher on one shared idempotent producer ({@code KafkaTemplate<String, byte[]>}): values are
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
                .timeout(timeout);
    }

    @Override
    public <V> Mono<List<Throwable>> publishAll(TopicSpec<String, V> topic, String key, List<V> values) {
        if (values.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.fromCallable(() -> {
                    List<CompletableFuture<Throwable>> sent = new ArrayList<>(values.size());
                    for (V value : values) {
                        sent.add(send(topic, key, value).handle((ok, failure) -> failure));
                    }
                    return sent;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sent -> Mono.fromFuture(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)))
                        .timeout(timeout)
                        .then(Mono.fromSupplier(
                                () -> sent.stream().map(CompletableFuture::join).toList()))
                        .onErrorResume(
                                TimeoutException.class,
                                e -> Mono.just(sent.stream()
                                        .map(future -> future.getNow(e))
                                        .toList())))
                .onErrorResume(e -> Mono.just(allFailed(values.size(), e)));
    }

    static List<Throwable> allFailed(int size, Throwable failure) {
        Throwable[] failures = new Throwable[size];
        Arrays.fill(failures, failure);
        return Arrays.asList(failures);
    }
}
