package io.leadflow.processor.identity;

import io.leadflow.processor.deadletter.DecodingProcessor;
import io.leadflow.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * Identity resolution: leads in, de-duplicated customers out. The leads topic is read as raw bytes and
 * decoded inside the topology, so an unreadable record becomes a dead letter in the same transaction.
 */
public final class IdentityTopology {

    static final String LEADS_SOURCE = "leads-source";
    static final String LEADS_DECODER = "leads-decoder";
    static final String LEAD_RESOLVER = "lead-resolver";
    static final String CUSTOMERS_SINK = "customers-sink";
    static final String POOL_EVENTS_SINK = "identity-pool-events-sink";
    static final String DEAD_LETTER_SINK = "identity-dead-letter-sink";

    private IdentityTopology() {}

    public static void build(Topology topology) {
        topology.addSource(
                LEADS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.LEADS.name());
        topology.addProcessor(
                LEADS_DECODER,
                () -> new DecodingProcessor<>(Topics.LEADS, LEAD_RESOLVER, DEAD_LETTER_SINK),
                LEADS_SOURCE);
        topology.addProcessor(
                LEAD_RESOLVER,
                () -> new LeadResolver(CUSTOMERS_SINK, POOL_EVENTS_SINK, DEAD_LETTER_SINK),
                LEADS_DECODER);
        topology.addStateStore(IdentityStores.identityIndex(), LEAD_RESOLVER);
        topology.addStateStore(IdentityStores.customers(), LEAD_RESOLVER);
        topology.addStateStore(IdentityStores.seenLeads(), LEAD_RESOLVER);
        topology.addSink(
                CUSTOMERS_SINK,
                Topics.CUSTOMERS.name(),
                Topics.CUSTOMERS.keySerde().serializer(),
                Topics.CUSTOMERS.valueSerde().serializer(),
                LEAD_RESOLVER);
        topology.addSink(
                POOL_EVENTS_SINK,
                Topics.POOL_EVENTS.name(),
                Topics.POOL_EVENTS.keySerde().serializer(),
                Topics.POOL_EVENTS.valueSerde().serializer(),
                LEAD_RESOLVER);
        topology.addSink(
                DEAD_LETTER_SINK,
                Topics.DEAD_LETTER.name(),
                Topics.DEAD_LETTER.keySerde().serializer(),
                Topics.DEAD_LETTER.valueSerde().serializer(),
                LEADS_DECODER,
                LEAD_RESOLVER);
    }
}
