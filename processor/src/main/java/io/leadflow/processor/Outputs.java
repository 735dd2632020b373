package io.leadflow.processor;

import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.util.Collection;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;

/**
 * The sinks of the processor's customer-state sub-topology. Every processor that writes output names
 * these sinks as children by these names; {@link #addSinks} connects them to all writers at once, because
 * a sink's parents must be known when it is added.
 *
 * <p>A writer forwards the record (the sink encodes it with the topic's serde) or, when it has encoded it
 * already with that serde (e.g. to store the same bytes), those bytes, which the sink writes as they are.
 */
public final class Outputs {

    public static final String CUSTOMERS_SINK = "customers-sink";
    public static final String POOL_EVENTS_SINK = "pool-events-sink";
    public static final String IDENTITY_EVENTS_SINK = "identity-events-sink";
    public static final String OWNER_FIGURES_SINK = "owner-figures-sink";
    public static final String COMMAND_RESULTS_SINK = "command-results-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private Outputs() {}

    public static void addSinks(Topology topology, Collection<String> writers) {
        String[] parents = writers.toArray(String[]::new);
        addSink(topology, CUSTOMERS_SINK, Topics.CUSTOMERS, parents);
        addSink(topology, POOL_EVENTS_SINK, Topics.POOL_EVENTS, parents);
        addSink(topology, IDENTITY_EVENTS_SINK, Topics.IDENTITY_EVENTS, parents);
        addSink(topology, OWNER_FIGURES_SINK, Topics.OWNER_FIGURES, parents);
        addSink(topology, COMMAND_RESULTS_SINK, Topics.COMMAND_RESULTS, parents);
        addSink(topology, DEAD_LETTER_SINK, Topics.DEAD_LETTER, parents);
    }

    private static <V> void addSink(Topology topology, String name, TopicSpec<String, V> topic, String... parents) {
        topology.addSink(
                name,
                topic.name(),
                topic.keySerde().serializer(),
                encodedOnce(topic.valueSerde().serializer()),
                parents);
    }

    @SuppressWarnings("unchecked")
    private static <V> Serializer<Object> encodedOnce(Serializer<V> serializer) {
        return (topic, value) -> value instanceof byte[] encoded ? encoded : serializer.serialize(topic, (V) value);
    }
}
