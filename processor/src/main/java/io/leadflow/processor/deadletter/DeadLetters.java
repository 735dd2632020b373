package io.leadflow.processor.deadletter;

import io.leadflow.avro.DeadLetter;
import io.leadflow.schemas.Keys;
import java.nio.ByteBuffer;
import java.time.Instant;
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
