package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * What other features must tell the pool lifecycle, so that owners' loads and the deadline index stay in
 * step with every customer: identity resolution places the customers it founds here, and books merges
 * here. Use it from a processor connected to the pool stores ({@link PoolTopology#connectPlacement}).
 */
public final class PoolBook {

    private final PoolLedger ledger;
    private final Placement placement;

    private PoolBook(PoolLedger ledger, Placement placement) {
        this.ledger = ledger;
        this.placement = placement;
    }

    public static PoolBook in(ProcessorContext<String, Object> context) {
        PoolLedger ledger = new PoolLedger(context);
        return new PoolBook(ledger, new Placement(ledger, context.getStateStore(PoolStores.ROUND_ROBIN)));
    }

    /**
     * Places a customer a lead just founded (intended owner, round robin or the default public pool), saves
     * it as version 1 and emits it with its {@code CREATED} (and {@code ASSIGNED}) events.
     */
    public CustomerSnapshot placeNew(CustomerSnapshot.Builder customer, Lead lead, Instant at) {
        return placement.placeNew(customer, lead, at);
    }

    /**
     * Books a merge: the merged-away customer leaves its owner's load (and figures) and the deadline index; the
     * survivor is saved (and emitted) through the ledger, so its deadline and its owner's figures follow the owner
     * it kept.
     */
    public CustomerSnapshot merged(
            CustomerSnapshot survivorBefore,
            CustomerSnapshot survivorAfter,
            CustomerSnapshot mergedBefore,
            Instant at) {
        ledger.forget(mergedBefore, at);
        return ledger.save(survivorBefore, CustomerSnapshot.newBuilder(survivorAfter), at);
    }
}
