package io.leadflow.processor.command;

import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.RefusalReason;
import io.leadflow.processor.Outputs;
import io.leadflow.schemas.Keys;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Hands each command to the feature that owns its kind (identity takes merges and duplicate checks, the
 * pool lifecycle the rest). A command of a kind nobody owns is answered {@code REFUSED/INVALID} at once,
 * so a caller never waits for an answer that will not come.
 */
final class CommandRouter implements Processor<String, PoolCommand, String, Object> {

    private final Map<Class<?>, String> routes;
    private ProcessorContext<String, Object> context;

    CommandRouter(Map<Class<?>, String> routes) {
        this.routes = Map.copyOf(Objects.requireNonNull(routes, "routes"));
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, PoolCommand> record) {
        Object payload = record.value().getPayload();
        String route = payload == null ? null : routes.get(payload.getClass());
        if (route != null) {
            context.forward(record, route);
            return;
        }
        PoolCommand command = record.value();
        CommandResult refusal = CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenant(command.getTenant())
                .setCustomerId(command.getCustomerId())
                .setOutcome(CommandOutcome.REFUSED)
                .setReason(RefusalReason.INVALID)
                .setMessage("unsupported command "
                        + (payload == null
                                ? "without payload"
                                : payload.getClass().getSimpleName()))
                .setDecidedAt(Instant.ofEpochMilli(record.timestamp()))
                .build();
        context.forward(
                new Record<String, Object>(
                        Keys.commandResult(command.getTenant(), command.getCommandId()), refusal, record.timestamp()),
                Outputs.COMMAND_RESULTS_SINK);
    }
}
