package io.leadflow.processor.identity;

import io.leadflow.processor.Outputs;
import io.leadflow.processor.deadletter.DecodingProcessor;
import io.leadflow.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Identity resolution: leads in, de-duplicated customers out. The leads topic is read as raw bytes and
 * decoded inside the topology, so an unreadable record becomes a dead letter in the same transaction.
 */
public final class IdentityTopology {

    static final String LEADS_SOURCE = "leads-source";
    static final String LEADS_DECODER = "leads-decoder";
    public static final String LEAD_RESOLVER = "lead-resolver";

    private IdentityTopology() {}

    /**
     * The command payloads identity handles (merge, duplicate check), to the node that handles them; those
     * nodes are added by {@link #build} with {@link io.leadflow.processor.command.CommandTopology#COMMAND_ROUTER}
     * as parent.
     */
    public static Map<Class<?>, String> commandRoutes() {
        return Map.of();
    }

    /** Adds identity resolution; returns the nodes that write output, for {@link Outputs}. */
    public static List<String> build(Topology topology) {
        topology.addSource(
                LEADS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.LEADS.name());
        topology.addProcessor(
                LEADS_DECODER,
                () -> new DecodingProcessor<>(Topics.LEADS, LEAD_RESOLVER, Outputs.DEAD_LETTER_SINK),
                LEADS_SOURCE);
        topology.addProcessor(
                LEAD_RESOLVER,
                () -> new LeadResolver(Outputs.CUSTOMERS_SINK, Outputs.POOL_EVENTS_SINK, Outputs.DEAD_LETTER_SINK),
                LEADS_DECODER);
        topology.addStateStore(IdentityStores.identityIndex(), LEAD_RESOLVER);
        topology.addStateStore(IdentityStores.customers(), LEAD_RESOLVER);
        topology.addStateStore(IdentityStores.seenLeads(), LEAD_RESOLVER);
        return List.of(LEADS_DECODER, LEAD_RESOLVER);
    }
}
