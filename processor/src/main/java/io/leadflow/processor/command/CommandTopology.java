package io.leadflow.processor.command;

import io.leadflow.processor.Outputs;
import io.leadflow.processor.deadletter.DecodingProcessor;
import io.leadflow.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The commands topic: decoded in the topology (unreadable commands become dead letters) and routed by
 * payload type to the processor that owns that kind of command.
 */
public final class CommandTopology {

    static final String COMMANDS_SOURCE = "commands-source";
    static final String COMMANDS_DECODER = "commands-decoder";
    public static final String COMMAND_ROUTER = "command-router";

    private CommandTopology() {}

    /**
     * @param routes payload class (e.g. {@code Claim.class}) to the name of the processor node that handles it;
     *     every route target must be added to the topology with {@link #COMMAND_ROUTER} as its parent
     * @return the nodes that write output, for {@link Outputs}
     */
    public static List<String> build(Topology topology, Map<Class<?>, String> routes) {
        topology.addSource(
                COMMANDS_SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                Topics.COMMANDS.name());
        topology.addProcessor(
                COMMANDS_DECODER,
                () -> new DecodingProcessor<>(Topics.COMMANDS, COMMAND_ROUTER, Outputs.DEAD_LETTER_SINK),
                COMMANDS_SOURCE);
        topology.addProcessor(COMMAND_ROUTER, () -> new CommandRouter(routes), COMMANDS_DECODER);
        return List.of(COMMANDS_DECODER, COMMAND_ROUTER);
    }
}
