package io.leadflow.api.projection;

import io.leadflow.schemas.TopicSpec;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Projects one topic into its table. Implementations are idempotent and ordered (a replayed or older record
 * changes nothing), so the consumer may replay any record after a crash.
 */
interface Projector<V> {

    TopicSpec<String, V> topic();

    /**
     * Applies one record ({@code value == null} for a tombstone).
     *
     * @param offset the record's offset in its partition; a key always lives in one partition, so it orders a
     *     key's records
     * @return the change to announce to live streams, empty when the record changed nothing
     */
    Mono<Optional<Change>> apply(String key, V value, long offset);
}
