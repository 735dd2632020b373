package io.leadflow.processor.pool;

import io.leadflow.avro.CommandResult;
import io.leadflow.avro.PoolCommand;
import io.leadflow.schemas.AvroSerde;
import io.leadflow.schemas.Topics;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The outcomes of the commands decided in the last day or two, by UTC day of issue, tenant and command id: a
 * command whose id was seen before (a client's retry, a re-sent record) is answered with its first outcome and
 * not applied again. The deadline clock forgets outcomes older than two days. Use it from a processor connected
 * to the pool stores ({@link PoolTopology#connectPlacement}).
 */
public final class CommandOutcomes {

    /** Encodes as the command-results topic ({@link Topics#COMMAND_RESULTS}) does, and can copy in parts. */
    private static final AvroSerde<CommandResult> RESULTS = AvroSerde.of(CommandResult.class);

    private final KeyValueStore<String, byte[]> store;
    private PoolCommand keyedCommand;
    private String key;

    private CommandOutcomes(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    public static CommandOutcomes in(ProcessorContext<?, ?> context) {
        return new CommandOutcomes(context.getStateStore(PoolStores.COMMAND_OUTCOMES));
    }

    /** The outcome this command's id was given before, if it was decided already. */
    public Optional<CommandResult> earlier(PoolCommand command) {
        return earlierEncoded(command).map(CommandOutcomes::decode);
    }

    /** The same, as encoded for the command-results topic (sinks pass the bytes through). */
    public Optional<byte[]> earlierEncoded(PoolCommand command) {
        return Optional.ofNullable(store.get(key(command)));
    }

    /**
     * Remembers the outcome of a decided command, so a repetition of it gets the same answer; returns the
     * outcome encoded once, for the store and the command-results topic alike.
     */
    public byte[] remember(PoolCommand command, CommandResult result) {
        return remember(
                command,
                Topics.COMMAND_RESULTS.valueSerde().serializer().serialize(Topics.COMMAND_RESULTS.name(), result));
    }

    /**
     * The same for a result whose snapshot was encoded already ({@code snapshotEncoded}, as sent on the customers
     * topic; null if it was not): those bytes are copied in, not encoded again.
     */
    byte[] remember(PoolCommand command, CommandResult result, byte[] snapshotEncoded) {
        return snapshotEncoded == null
                ? remember(command, result)
                : remember(command, RESULTS.serializeWith(result, result.getSnapshot(), snapshotEncoded));
    }

    private byte[] remember(PoolCommand command, byte[] encodedResult) {
        store.put(key(command), encodedResult);
        return encodedResult;
    }

    private static CommandResult decode(byte[] encoded) {
        return Topics.COMMAND_RESULTS.valueSerde().deserializer().deserialize(Topics.COMMAND_RESULTS.name(), encoded);
    }

    /** The command's key, built once for the look-up and the write of the same command. */
    private String key(PoolCommand command) {
        if (command != keyedCommand) {
            LocalDate day = command.getIssuedAt().atZone(ZoneOffset.UTC).toLocalDate();
            keyedCommand = command;
            key = PoolStores.key(day.toString(), command.getTenant(), command.getCommandId());
        }
        return key;
    }
}
