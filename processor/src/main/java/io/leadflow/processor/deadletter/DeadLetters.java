package io.leadflow.processor.deadletter;

import io.leadflow.avro.DeadLetter;
import io.leadflow.processor.Outputs;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the dead-letter record for an input record that could not be read or processed: where it came
 * from (topic, partition, offset), why it was refused, and its original bytes, so an operator can repair
 * and replay it.
 */
public final class DeadLetters {

    /** Name of the component that writes dead letters from the processor. */
    public static final String COMPONENT = "processor";

    private DeadLetters() {}

    /**
     * Sends a decoded record that cannot be processed to the dead-letter sink, re-encoded with its topic's
     * serde so the letter carries the record's bytes.
     */
    public static <V> void reject(
            ProcessorContext<String, Object> context,
            Record<String, V> record,
            TopicSpec<String, V> topic,
            String reason,
            Throwable cause) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = topic.valueSerde().serializer().serialize(source.topic(), record.value());
        DeadLetter letter = of(source, key, value, reason, cause, Instant.ofEpochMilli(record.timestamp()));
        context.forward(new Record<String, Object>(key(source), letter, record.timestamp()), Outputs.DEAD_LETTER_SINK);
    }

    public static String key(RecordMetadata source) {
        return Keys.deadLetter(source.topic(), source.partition(), source.offset());
    }

    public static DeadLetter of(
            RecordMetadata source, byte[] key, byte[] value, String reason, Throwable cause, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setSourceTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason)
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setComponent(COMPONENT)
                .setFailedAt(failedAt)
                .build();
    }
}
