package io.leadflow.processor.pool;

import io.leadflow.avro.CommandResult;
import io.leadflow.avro.PoolCommand;
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

    private final KeyValueStore<String, CommandResult> store;

    private CommandOutcomes(KeyValueStore<String, CommandResult> store) {
        this.store = store;
    }

    public static CommandOutcomes in(ProcessorContext<?, ?> context) {
        return new CommandOutcomes(context.getStateStore(PoolStores.COMMAND_OUTCOMES));
    }

    /** The outcome this command's id was given before, if it was decided already. */
    public Optional<CommandResult> earlier(PoolCommand command) {
        return Optional.ofNullable(store.get(key(command)));
    }

    /** Remembers the outcome of a decided command, so a repetition of it gets the same answer. */
    public void remember(PoolCommand command, CommandResult result) {
        store.put(key(command), result);
    }

    private static String key(PoolCommand command) {
        LocalDate day = command.getIssuedAt().atZone(ZoneOffset.UTC).toLocalDate();
        return PoolStores.key(day.toString(), command.getTenant(), command.getCommandId());
    }
}
