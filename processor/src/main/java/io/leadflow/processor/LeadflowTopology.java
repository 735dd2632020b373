package io.leadflow.processor;

import io.leadflow.processor.identity.IdentityTopology;
import io.leadflow.schemas.AvroTrust;
import org.apache.kafka.streams.Topology;

/** The processor's whole topology, a pure function of configuration; tests build this very topology. */
public final class LeadflowTopology {

    private LeadflowTopology() {}

    public static Topology build() {
        AvroTrust.trustGeneratedClasses();
        Topology topology = new Topology();
        IdentityTopology.build(topology);
        return topology;
    }
}
