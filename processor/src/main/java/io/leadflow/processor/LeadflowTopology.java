package io.leadflow.processor;

import io.leadflow.processor.command.CommandTopology;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.funnel.FunnelTopology;
import io.leadflow.processor.identity.IdentityTopology;
import io.leadflow.processor.pool.PoolTopology;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.AvroTrust;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The processor's whole topology, a pure function of configuration; tests build this very topology.
 *
 * <ul>
 *   <li>DSL features (the funnel) are built first on a {@link StreamsBuilder};
 *   <li>tenant rules are a global store every processor reads;
 *   <li>the customer-state sub-topology (identity, commands, pool lifecycle) is built with the
 *       Processor API on the same topology: its input topics are keyed by tenant and co-partitioned, so
 *       all of a tenant's state lives in one task and every check is atomic;
 *   <li>finally the sinks, connected to every node that writes ({@link Outputs}).
 * </ul>
 */
public final class LeadflowTopology {

    private LeadflowTopology() {}

    public static Topology build() {
        return build(FunnelSettings.DEFAULTS);
    }

    /** The whole topology with the funnel tuned by {@code funnel}. */
    public static Topology build(FunnelSettings funnel) {
        return build(funnel, StoreBacking.ROCKSDB);
    }

    /** The whole topology with the funnel tuned by {@code funnel} and identity's stores kept as {@code identityStores} says. */
    public static Topology build(FunnelSettings funnel, StoreBacking identityStores) {
        Topology topology = funnelAndRules(funnel);
        addCustomerState(topology, identityStores);
        return topology;
    }

    /**
     * The same topology without the funnel. With {@link #funnelOnly()} on an instance of its own, the funnel's
     * work runs on another stream thread: benchmarks use the pair to measure each part's cost apart.
     */
    public static Topology withoutFunnel() {
        Topology topology = funnelAndRules(null);
        addCustomerState(topology, StoreBacking.ROCKSDB);
        return topology;
    }

    /** The funnel alone, reading the customers topic that {@link #withoutFunnel()} writes. */
    public static Topology funnelOnly() {
        return funnelAndRules(FunnelSettings.DEFAULTS);
    }

    /** The funnel with {@code funnel}'s tuning, none when it is null, and the tenant rules. */
    private static Topology funnelAndRules(FunnelSettings funnel) {
        AvroTrust.trustGeneratedClasses();
        StreamsBuilder builder = new StreamsBuilder();
        if (funnel != null) {
            FunnelTopology.build(builder, funnel);
        }
        Topology topology = builder.build();
        TenantRulesStore.addTo(topology);
        return topology;
    }

    private static void addCustomerState(Topology topology, StoreBacking identityStores) {
        List<String> writers = new ArrayList<>();
        Map<Class<?>, String> commandRoutes = new HashMap<>(IdentityTopology.commandRoutes());
        commandRoutes.putAll(PoolTopology.commandRoutes());
        writers.addAll(CommandTopology.build(topology, commandRoutes));
        writers.addAll(IdentityTopology.build(topology, identityStores));
        writers.addAll(PoolTopology.build(topology));
        PoolTopology.connectPlacement(topology, IdentityTopology.LEAD_RESOLVER);
        PoolTopology.connectPlacement(topology, IdentityTopology.IDENTITY_COMMANDS);
        Outputs.addSinks(topology, writers);
    }
}
