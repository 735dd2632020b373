package io.leadflow.processor.funnel;

import org.apache.kafka.streams.StreamsBuilder;

/** The live sales funnel, built with the Kafka Streams DSL from the customers topic. */
public final class FunnelTopology {

    private FunnelTopology() {}

    public static void build(StreamsBuilder builder) {
        // The funnel aggregation is added here (issue 6).
    }
}
