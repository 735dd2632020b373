package io.leadflow.processor.pool;

import io.leadflow.avro.Assign;
import io.leadflow.avro.Claim;
import io.leadflow.avro.Lock;
import io.leadflow.avro.Release;
import io.leadflow.avro.Transfer;
import io.leadflow.avro.Unlock;
import io.leadflow.processor.Outputs;
import io.leadflow.processor.command.CommandTopology;
import io.leadflow.processor.deadletter.DecodingProcessor;
import io.leadflow.processor.identity.IdentityStores;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The pool lifecycle: commands (claim, release, assign, transfer, lock, unlock), activities (follow-ups,
 * stage changes, won, lost) and the deadline clock, all on the tenant's customers in one task.
 */
public final class PoolTopology {

    public static final String POOL_COMMANDS = "pool-commands";
    static final String ACTIVITIES_SOURCE = "activities-source";
    static final String ACTIVITIES_DECODER = "activities-decoder";
    static final String ACTIVITY_HANDLER = "activity-handler";

    /** How often the deadline clock looks for due returns and warnings. */
    public static final Duration CLOCK_INTERVAL = Duration.ofSeconds(1);

    private static final String[] POOL_STORES = {
        PoolStores.DEADLINES,
        PoolStores.SCHEDULES,
        PoolStores.OWNER_LOAD,
        PoolStores.DAILY_CLAIMS,
        PoolStores.COOLDOWNS,
        PoolStores.ROUND_ROBIN,
        PoolStores.APPLIED_RULES,
        PoolStores.COMMAND_OUTCOMES,
        PoolStores.OWNER_FIGURES,
        PoolStores.SEEN_ACTIVITIES
    };

    private PoolTopology() {}

    public static Map<Class<?>, String> commandRoutes() {
        return Map.of(
                Claim.class, POOL_COMMANDS,
                Release.class, POOL_COMMANDS,
                Assign.class, POOL_COMMANDS,
                Transfer.class, POOL_COMMANDS,
                Lock.class, POOL_COMMANDS,
                Unlock.class, POOL_COMMANDS);
    }

    /**
     * Adds the pool lifecycle. Needs the command router and identity's customer stores to exist already;
     * returns the nodes that write output.
     */
    public static List<String> build(Topology topology) {
        topology.addProcessor(POOL_COMMANDS, PoolCommandHandler::new, CommandTopology.COMMAND_ROUTER);
        topology.addSource(
                ACTIVITIES_SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                Topics.ACTIVITIES.name());
        topology.addProcessor(
                ACTIVITIES_DECODER,
                () -> new DecodingProcessor<>(Topics.ACTIVITIES, ACTIVITY_HANDLER, Outputs.DEAD_LETTER_SINK),
                ACTIVITIES_SOURCE);
        topology.addProcessor(ACTIVITY_HANDLER, ActivityHandler::new, ACTIVITIES_DECODER);

        topology.addStateStore(PoolStores.strings(PoolStores.DEADLINES), POOL_COMMANDS);
        topology.addStateStore(PoolStores.strings(PoolStores.SCHEDULES), POOL_COMMANDS);
        topology.addStateStore(PoolStores.strings(PoolStores.OWNER_LOAD), POOL_COMMANDS);
        topology.addStateStore(PoolStores.longs(PoolStores.DAILY_CLAIMS), POOL_COMMANDS);
        topology.addStateStore(PoolStores.longs(PoolStores.COOLDOWNS), POOL_COMMANDS);
        topology.addStateStore(PoolStores.longs(PoolStores.ROUND_ROBIN), POOL_COMMANDS);
        topology.addStateStore(PoolStores.strings(PoolStores.APPLIED_RULES), POOL_COMMANDS);
        topology.addStateStore(PoolStores.commandOutcomes(), POOL_COMMANDS);
        topology.addStateStore(PoolStores.ownerFigures(), POOL_COMMANDS);
        topology.addStateStore(PoolStores.longs(PoolStores.SEEN_ACTIVITIES), POOL_COMMANDS);
        topology.connectProcessorAndStateStores(POOL_COMMANDS, IdentityStores.CUSTOMERS, IdentityStores.SEEN_LEADS);
        connectPlacement(topology, ACTIVITY_HANDLER);
        topology.connectProcessorAndStateStores(ACTIVITY_HANDLER, IdentityStores.CUSTOMERS, IdentityStores.SEEN_LEADS);
        return List.of(POOL_COMMANDS, ACTIVITIES_DECODER, ACTIVITY_HANDLER);
    }

    /** Connects a processor (e.g. the lead resolver) to the stores that {@link Placement} and the ledger use. */
    public static void connectPlacement(Topology topology, String processorName) {
        topology.connectProcessorAndStateStores(processorName, POOL_STORES);
    }
}
