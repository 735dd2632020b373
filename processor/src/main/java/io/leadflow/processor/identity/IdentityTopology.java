package io.leadflow.processor.identity;

import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.Merge;
import io.leadflow.matching.MatchEngine;
import io.leadflow.processor.Outputs;
import io.leadflow.processor.command.CommandTopology;
import io.leadflow.processor.deadletter.DecodingProcessor;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Identity resolution: leads in, de-duplicated customers out, with collisions, merge suggestions and
 * possible duplicates as identity events; merges and duplicate checks arrive as commands. The leads
 * topic is read as raw bytes and decoded inside the topology, so an unreadable record becomes a dead
 * letter in the same transaction.
 */
public final class IdentityTopology {

    static final String LEADS_SOURCE = "leads-source";
    static final String LEADS_DECODER = "leads-decoder";
    public static final String LEAD_RESOLVER = "lead-resolver";
    public static final String IDENTITY_COMMANDS = "identity-commands";

    /** Phone region for numbers written without a country code, until tenants can set their own. */
    public static final String DEFAULT_REGION = "CN";

    private IdentityTopology() {}

    /**
     * The command payloads identity handles (merge, duplicate check), to the node that handles them; those
     * nodes are added by {@link #build} with {@link CommandTopology#COMMAND_ROUTER} as parent.
     */
    public static Map<Class<?>, String> commandRoutes() {
        return Map.of(Merge.class, IDENTITY_COMMANDS, CheckDuplicate.class, IDENTITY_COMMANDS);
    }

    /** Adds identity resolution with the CRM matching profile; returns the nodes that write output. */
    public static List<String> build(Topology topology) {
        return build(topology, MatchEngine.crm(DEFAULT_REGION));
    }

    /** Adds identity resolution with the CRM matching profile and its stores kept as {@code backing} says. */
    public static List<String> build(Topology topology, StoreBacking backing) {
        return build(topology, MatchEngine.crm(DEFAULT_REGION), backing);
    }

    /** Adds identity resolution deciding with {@code engine}; returns the nodes that write output. */
    public static List<String> build(Topology topology, MatchEngine engine) {
        return build(topology, engine, StoreBacking.ROCKSDB);
    }

    /** As {@link #build(Topology, MatchEngine)}, with the stores kept as {@code backing} says. */
    public static List<String> build(Topology topology, MatchEngine engine, StoreBacking backing) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(backing, "backing");
        topology.addSource(
                LEADS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.LEADS.name());
        topology.addProcessor(
                LEADS_DECODER,
                () -> new DecodingProcessor<>(Topics.LEADS, LEAD_RESOLVER, Outputs.DEAD_LETTER_SINK),
                LEADS_SOURCE);
        topology.addProcessor(
                LEAD_RESOLVER,
                () -> new LeadResolver(
                        engine,
                        Outputs.CUSTOMERS_SINK,
                        Outputs.POOL_EVENTS_SINK,
                        Outputs.IDENTITY_EVENTS_SINK,
                        Outputs.DEAD_LETTER_SINK),
                LEADS_DECODER);
        topology.addProcessor(
                IDENTITY_COMMANDS,
                () -> new IdentityCommands(
                        engine,
                        Outputs.CUSTOMERS_SINK,
                        Outputs.POOL_EVENTS_SINK,
                        Outputs.IDENTITY_EVENTS_SINK,
                        Outputs.COMMAND_RESULTS_SINK,
                        Outputs.DEAD_LETTER_SINK),
                CommandTopology.COMMAND_ROUTER);
        String[] users = {LEAD_RESOLVER, IDENTITY_COMMANDS};
        topology.addStateStore(IdentityStores.identityIndex(backing), users);
        topology.addStateStore(IdentityStores.identityBlocks(backing), users);
        topology.addStateStore(IdentityStores.customers(backing), users);
        topology.addStateStore(IdentityStores.seenLeads(backing), users);
        return List.of(LEADS_DECODER, LEAD_RESOLVER, IDENTITY_COMMANDS);
    }
}
