package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.processor.state.StoreWalk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which dimensions' cohort figures the customers of one funnel task are counted in, and the recount that moves
 * them to the configured ones when those change.
 *
 * <p>A recount goes through the task's customers in key order, a chunk at a time between records, each
 * customer as one change from its facts in the old dimensions' cohorts to the same facts in the new ones'.
 * Meanwhile a customer up to the last one recounted is counted in the new dimensions and one after it in the
 * old, so a change to either during the recount takes back exactly what it added. Where the recount stands is
 * kept in {@link FunnelStores#COUNTED_COHORTS} with the records it forwarded, in the same transaction, so a
 * restart goes on from there; no transaction holds more than a chunk of it.
 */
final class CountedCohorts {

    private static final Deserializer<CustomerFacts> FACTS =
            FunnelSerdes.facts().deserializer();

    /** The dimensions every customer not yet recounted is counted in. */
    static final String COUNTED = "cohort-dimensions";

    /** During a recount: the dimensions it moves customers to. */
    static final String RECOUNTING_TO = "recounting-to";

    /** During a recount: the key of the last customer recounted. */
    static final String RECOUNTED_THROUGH = "recounted-through";

    private final KeyValueStore<String, String> store;
    private Set<FunnelDimension> counted;
    /** Null when no recount runs. */
    private Set<FunnelDimension> recountingTo;
    /** The last customer recounted, as the store orders keys (UTF-8, unsigned bytes); null: none yet. */
    private byte[] recountedThrough;

    /**
     * Reads where the task stands and starts a recount to {@code configured} if its customers are counted in
     * other dimensions. A task holding customers without a record of it was counted by a version that counted
     * every dimension; a task holding none is counted in {@code configured}.
     */
    CountedCohorts(KeyValueStore<String, String> store, Set<FunnelDimension> configured, boolean holdsCustomers) {
        this.store = Objects.requireNonNull(store, "store");
        String written = store.get(COUNTED);
        if (written != null) {
            counted = parse(written);
        } else {
            counted = holdsCustomers ? FactsChange.EVERY_DIMENSION : configured;
        }
        String target = store.get(RECOUNTING_TO);
        if (target != null) {
            recountingTo = parse(target);
            String through = store.get(RECOUNTED_THROUGH);
            recountedThrough = through == null ? null : through.getBytes(StandardCharsets.UTF_8);
        } else if (!counted.equals(configured)) {
            start(configured);
        } else if (written == null) {
            store.put(COUNTED, format(counted));
        }
    }

    boolean recounting() {
        return recountingTo != null;
    }

    /** The dimensions whose cohorts the customer stored under {@code key} is counted in now. */
    Set<FunnelDimension> of(String key) {
        if (recountingTo != null
                && recountedThrough != null
                && Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8), recountedThrough) <= 0) {
            return recountingTo;
        }
        return counted;
    }

    /**
     * Recounts up to {@code chunk} more customers of {@code facts}, handing each change to {@code forward}.
     *
     * @return how many were recounted; the recount is over when {@link #recounting()} turns false (then, if
     *     {@code configured} differs from what it recounted to, the next recount has started)
     */
    long recountNext(
            KeyValueStore<String, byte[]> facts,
            int chunk,
            Set<FunnelDimension> configured,
            Consumer<FactsChange> forward) {
        String from = recountedThrough == null ? null : new String(recountedThrough, StandardCharsets.UTF_8);
        StoreWalk.Step step = StoreWalk.next(facts, from, chunk, (key, encoded) -> {
            CustomerFacts held = FACTS.deserialize(FunnelStores.CUSTOMER_FACTS, encoded);
            forward.accept(new FactsChange(held, held, counted, recountingTo));
        });
        String last = step.last();
        boolean finished = step.finished();
        if (finished) {
            counted = recountingTo;
            recountingTo = null;
            recountedThrough = null;
            store.put(COUNTED, format(counted));
            store.delete(RECOUNTING_TO);
            store.delete(RECOUNTED_THROUGH);
            if (!counted.equals(configured)) {
                start(configured);
            }
        } else if (last != null) {
            recountedThrough = last.getBytes(StandardCharsets.UTF_8);
            store.put(RECOUNTED_THROUGH, last);
        }
        return step.walked();
    }

    /** The dimensions customers are moved from, during a recount; otherwise those they are counted in. */
    Set<FunnelDimension> counted() {
        return counted;
    }

    /** The dimensions a running recount moves customers to; null when none runs. */
    Set<FunnelDimension> recountingTo() {
        return recountingTo;
    }

    private void start(Set<FunnelDimension> to) {
        recountingTo = to;
        recountedThrough = null;
        store.put(COUNTED, format(counted));
        store.put(RECOUNTING_TO, format(to));
        store.delete(RECOUNTED_THROUGH);
    }

    private static Set<FunnelDimension> parse(String dimensions) {
        EnumSet<FunnelDimension> parsed = EnumSet.noneOf(FunnelDimension.class);
        for (String name : dimensions.split(",")) {
            if (!name.isEmpty()) {
                parsed.add(FunnelDimension.valueOf(name));
            }
        }
        return FactsChange.dimensionsOf(FactsChange.bitsOf(parsed));
    }

    private static String format(Set<FunnelDimension> dimensions) {
        return dimensions.stream().map(Enum::name).collect(Collectors.joining(","));
    }
}
