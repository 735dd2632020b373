package io.leadflow.ingest.kafka;

import io.leadflow.schemas.TopicSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Writes records to a topic of the catalogue and tells, for each, whether the broker acknowledged it
 * ({@code acks=all}, idempotent producer). Nothing here ever reports a record as stored that the broker did
 * not acknowledge; a record reported as not stored may still have been stored (the acknowledgement was
 * lost), which is why every record carries an id that makes its retry harmless.
 */
public interface EventPublisher {

    /**
     * Sends one record; may block while the producer waits for metadata or buffer space, so call it only
     * off the event loop (an import worker). The future completes when the broker acknowledged the record.
     */
    <V> CompletableFuture<Void> send(TopicSpec<String, V> topic, String key, V value);

    /** Sends one record off the event loop; completes on acknowledgement, fails within the produce timeout. */
    <V> Mono<Void> publish(TopicSpec<String, V> topic, String key, V value);

    /**
     * Sends the records in order, off the event loop, in one hand-over to the producer; the answer has one
     * entry per record, in the same order: {@code null} when acknowledged, the failure otherwise. The
     * {@code Mono} itself does not fail.
     */
    <V> Mono<List<Throwable>> publishAll(TopicSpec<String, V> topic, String key, List<V> values);
}
