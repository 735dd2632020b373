package io.leadflow.schemas;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic, described once for every module: its name, how its keys and values are
 * serialized, its partition count and how old records go away.
 *
 * <p>A deleting topic has a finite, positive retention; a compacted topic keeps the latest value per
 * key forever ({@link #FOREVER}), so its state can always be rebuilt from it.
 *
 * @param name topic name
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 * @param partitions partition count; topics read together must have the same one
 * @param cleanup cleanup policy
 * @param retention how long records are kept, {@link #FOREVER} for compacted topics
 */
public record TopicSpec<K, V>(
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        int partitions,
        CleanupPolicy cleanup,
        Duration retention) {

    /** Retention of a compacted topic: records are never deleted for age. */
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    // Kafka's own rule for topic names.
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (!LEGAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Illegal topic name '" + name + "'");
        }
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + ": partitions must be positive, was " + partitions);
        }
        if (cleanup == CleanupPolicy.COMPACT && !retention.equals(FOREVER)) {
            throw new IllegalArgumentException(
                    "Topic " + name + ": a compacted topic keeps its records forever, retention was " + retention);
        }
        if (cleanup == CleanupPolicy.DELETE
                && (retention.isNegative() || retention.isZero() || retention.equals(FOREVER))) {
            throw new IllegalArgumentException(
                    "Topic " + name + ": a deleting topic needs a finite positive retention, was " + retention);
        }
    }

    /** A topic whose records are deleted after {@code retention}. */
    public static <K, V> TopicSpec<K, V> deleting(
            String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Duration retention) {
        return new TopicSpec<>(name, keySerde, valueSerde, partitions, CleanupPolicy.DELETE, retention);
    }

    /** A compacted topic: the latest value per key is kept forever. */
    public static <K, V> TopicSpec<K, V> compacted(
            String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions) {
        return new TopicSpec<>(name, keySerde, valueSerde, partitions, CleanupPolicy.COMPACT, FOREVER);
    }

    /** The {@code retention.ms} topic config: {@code -1} for {@link #FOREVER}. */
    public long retentionMs() {
        return retention.equals(FOREVER) ? -1L : retention.toMillis();
    }

    /** The topic configs that carry this spec's cleanup policy and retention. */
    public Map<String, String> topicConfigs() {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.configValue(),
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs()));
    }

    /** A request to create this topic with {@code replicationFactor} replicas per partition. */
    public NewTopic toNewTopic(short replicationFactor) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "Topic " + name + ": replication factor must be positive, was " + replicationFactor);
        }
        return new NewTopic(name, partitions, replicationFactor).configs(topicConfigs());
    }
}
