package io.leadflow.ingest.support;

import io.leadflow.ingest.kafka.EventPublisher;
import io.leadflow.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.TimeoutException;
import reactor.core.publisher.Mono;

/** A publisher without a broker: it records what it was given, or fails like an unreachable broker. */
public final class RecordingPublisher implements EventPublisher {

    /** One record as handed to the producer. */
    public record Sent(String topic, String key, Object value) {}

    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean brokerDown;

    public void brokerDown(boolean down) {
        brokerDown = down;
    }

    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    public void clear() {
        sent.clear();
    }

    @Override
    public <V> CompletableFuture<Void> send(TopicSpec<String, V> topic, String key, V value) {
        if (brokerDown) {
            return CompletableFuture.failedFuture(new TimeoutException("broker unreachable (test)"));
        }
        // Encode as the real publisher does, so a value the serde refuses fails here too.
        topic.valueSerde().serializer().serialize(topic.name(), value);
        sent.add(new Sent(topic.name(), key, value));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public <V> Mono<Void> publish(TopicSpec<String, V> topic, String key, V value) {
        return Mono.fromFuture(() -> send(topic, key, value));
    }

    @Override
    public <V> Mono<List<Throwable>> publishAll(TopicSpec<String, V> topic, String key, List<V> values) {
        List<Throwable> failures = new ArrayList<>();
        for (V value : values) {
            failures.add(send(topic, key, value).handle((ok, e) -> e).join());
        }
        return Mono.just(failures);
    }
}
