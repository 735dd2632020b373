package io.leadflow.processor.deadletter;

import io.leadflow.schemas.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads the raw bytes of an input topic inside the topology, so that a record that cannot be decoded
 * becomes a dead letter in the same exactly-once transaction as everything else, instead of stopping the
 * stream (or being dropped with a log line). Decoded records go to {@code nextNode}; dead letters to
 * {@code deadLetterNode}.
 */
public final class DecodingProcessor<V> implements Processor<String, byte[], String, Object> {

    private final TopicSpec<String, V> topic;
    private final String nextNode;
    private final String deadLetterNode;
    private Deserializer<V> deserializer;
    private ProcessorContext<String, Object> context;

    public DecodingProcessor(TopicSpec<String, V> topic, String nextNode, String deadLetterNode) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.nextNode = Objects.requireNonNull(nextNode, "nextNode");
        this.deadLetterNode = Objects.requireNonNull(deadLetterNode, "deadLetterNode");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deserializer = topic.valueSerde().deserializer();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.key().isBlank()) {
            deadLetter(record, "record has no key: input topics are keyed by tenant", null);
            return;
        }
        if (record.value() == null) {
            deadLetter(record, "record has no value", null);
            return;
        }
        V value;
        try {
            value = deserializer.deserialize(topic.name(), record.headers(), record.value());
        } catch (SerializationException | org.apache.avro.AvroRuntimeException e) {
            deadLetter(record, "cannot decode " + topic.name() + " record: " + e.getMessage(), e);
            return;
        }
        context.forward(record.withValue(value), nextNode);
    }

    private void deadLetter(Record<String, byte[]> record, String reason, Throwable cause) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        context.forward(
                new Record<String, Object>(
                        DeadLetters.key(source),
                        DeadLetters.of(
                                source, key, record.value(), reason, cause, Instant.ofEpochMilli(record.timestamp())),
                        record.timestamp()),
                deadLetterNode);
    }
}
