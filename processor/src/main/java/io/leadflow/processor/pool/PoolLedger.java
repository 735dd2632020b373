package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.Outputs;
import io.leadflow.processor.identity.CustomerStore;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.schemas.Keys;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The one write path of the pool lifecycle: every change of a customer's placement, stage or follow-up
 * goes through {@link #save}, which bumps the version, recomputes the return deadline, keeps the deadline
 * index and the owners' loads in step with the snapshot, stores it and emits it, and emits the figures of the
 * owners it touched ({@link OwnerFiguresPublisher}). Keeping this in one place is what makes "no owner over
 * capacity", "every customer in exactly one place" and "each owner's latest figures are a recount of what they
 * hold" hold after any mix of commands, activities and returns.
 */
final class PoolLedger {

    static final String RETURN = "RETURN";
    static final String WARNING = "WARNING";

    private final ProcessorContext<String, Object> context;
    private final CustomerStore customers;
    private final KeyValueStore<String, String> schedules;
    private final KeyValueStore<String, String> deadlines;
    private final ReadOnlyKeyValueStore<String, TenantRules> rules;
    private final Map<String, RulesInForce> rulesByTenant = new HashMap<>();
    private final OwnerFiguresPublisher figures;
    private CustomerSnapshot lastSaved;
    private byte[] lastSavedEncoded;

    PoolLedger(ProcessorContext<String, Object> context) {
        this.context = context;
        this.customers = CustomerStore.in(context);
        this.schedules = context.getStateStore(PoolStores.SCHEDULES);
        this.deadlines = context.getStateStore(PoolStores.DEADLINES);
        this.rules = context.getStateStore(TenantRulesStore.NAME);
        this.figures = new OwnerFiguresPublisher(context);
    }

    /**
     * The tenant's rules as of now. Built again only when the stored rules change: the store hands out the same
     * instance while a tenant's rules record stays the same ({@link TenantRulesStore}).
     */
    PoolRules rules(String tenant) {
        TenantRules stored = rules.get(tenant);
        RulesInForce known = rulesByTenant.get(tenant);
        if (known == null || known.stored() != stored) {
            known = new RulesInForce(
                    stored, new PoolRules(stored != null ? stored : TenantRulesDefaults.forTenant(tenant)));
            rulesByTenant.put(tenant, known);
        }
        return known.rules();
    }

    CustomerSnapshot customer(String tenant, String customerId) {
        return customerId == null ? null : customers.get(tenant, customerId);
    }

    OwnerLoad load(String tenant, String owner) {
        return figures.load(tenant, owner);
    }

    /** {@link #save(CustomerSnapshot, CustomerSnapshot, Instant)} for a snapshot still being built. */
    CustomerSnapshot save(CustomerSnapshot before, CustomerSnapshot.Builder changed, Instant at) {
        return save(before, changed.build(), at);
    }

    /**
     * Saves {@code changed} as the successor of {@code before} ({@code null} for a new customer): version +1,
     * {@code updatedAt}, return deadline and rule (set on {@code changed}, a new instance that is the ledger's from now
     * on), deadline index and owner loads. Emits the snapshot, and the figures of its owner before and after when
     * they changed.
     */
    CustomerSnapshot save(CustomerSnapshot before, CustomerSnapshot changed, Instant at) {
        return save(before, changed, rules(changed.getTenant()), at);
    }

    /**
     * The same under the tenant's rules as the caller read them ({@link #rules}) to decide the change: one read of
     * the rules store per command, and the change is saved under the rules it was decided with.
     */
    CustomerSnapshot save(CustomerSnapshot before, CustomerSnapshot changed, PoolRules tenantRules, Instant at) {
        changed.setVersion(before == null ? 1 : before.getVersion() + 1);
        changed.setUpdatedAt(at);
        String key = Keys.customer(changed.getTenant(), changed.getCustomerId());
        Scheduled previous = scheduleOf(key, before);
        Schedule next = Deadlines.of(changed, tenantRules).rememberingWarningOf(previous.schedule());
        changed.setReturnDeadline(next.returnAt());
        changed.setReturnRule(next.rule());
        reschedule(changed, previous, next);
        byte[] encoded = customers.save(changed);
        context.forward(new Record<String, Object>(key, encoded, at.toEpochMilli()), Outputs.CUSTOMERS_SINK);
        lastSaved = changed;
        lastSavedEncoded = encoded;
        moveOwners(before, changed, tenantRules, at);
        return changed;
    }

    /**
     * A successor of {@code customer} to change with its setters and {@link #save}: a copy sharing its field values
     * (lists included: a snapshot's lists are never changed in place). A builder made from a snapshot copies every
     * field deeply, nested records and lists included: about 4 % of an assign's CPU in the pool benchmark.
     */
    static CustomerSnapshot successorOf(CustomerSnapshot customer) {
        CustomerSnapshot successor = new CustomerSnapshot();
        for (int field = 0;
                field < CustomerSnapshot.getClassSchema().getFields().size();
                field++) {
            successor.put(field, customer.get(field));
        }
        return successor;
    }

    /**
     * The bytes the customers topic got for {@code snapshot} when it is the snapshot this ledger saved last, else
     * null: a command's result carries the snapshot it saved, and copying these bytes in saves encoding it again.
     */
    byte[] sentEncoding(CustomerSnapshot snapshot) {
        return snapshot == lastSaved ? lastSavedEncoded : null;
    }

    /** Marks the warning of the customer's current deadline as sent and drops its index entry. */
    void warned(CustomerSnapshot customer) {
        String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
        Schedule schedule = scheduleOf(key, customer).schedule();
        if (schedule.warnAt() != null) {
            deadlines.delete(indexKey(schedule.warnAt(), customer, WARNING));
        }
        schedules.put(key, schedule.warned().encode());
    }

    /**
     * Forgets everything the pool lifecycle keeps about a customer that no longer exists (merged away); its owner's
     * figures follow.
     */
    void forget(CustomerSnapshot customer, Instant at) {
        String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
        reschedule(customer, scheduleOf(key, customer), Schedule.NONE);
        moveOwners(customer, null, rules(customer.getTenant()), at);
    }

    /** After a change of the tenant's rules: re-emits every owner's figures that the new capacity or limit moved. */
    void refreshTenantFigures(String tenant, Instant at) {
        figures.refreshTenant(rules(tenant), tenant, at);
    }

    /** Emits first figures for owners whose load predates the owner-figures topic. */
    void publishMissingFigures(Instant at) {
        figures.publishMissing(this::rules, at);
    }

    void emit(
            CustomerSnapshot customer,
            PoolEventType type,
            String actor,
            String fromOwner,
            String rule,
            String reason,
            Instant at) {
        PoolEvent event = PoolEvent.newBuilder()
                .setEventId(customer.getCustomerId() + "#" + customer.getVersion() + "#" + type)
                .setTenant(customer.getTenant())
                .setCustomerId(customer.getCustomerId())
                .setType(type)
                .setActor(actor)
                .setFromOwner(fromOwner)
                .setToOwner(customer.getOwner())
                .setPoolId(customer.getPoolId())
                .setRule(rule)
                .setReason(reason)
                .setDeadline(customer.getReturnDeadline())
                .setOccurredAt(at)
                .build();
        emit(event);
    }

    void emit(PoolEvent event) {
        context.forward(
                new Record<String, Object>(
                        Keys.customer(event.getTenant(), event.getCustomerId()),
                        event,
                        event.getOccurredAt().toEpochMilli()),
                Outputs.POOL_EVENTS_SINK);
    }

    /**
     * Takes the customer out of the load of {@code before}'s owner and into {@code after}'s ({@code null}: none), and
     * emits the figures of either owner when they changed.
     */
    private void moveOwners(CustomerSnapshot before, CustomerSnapshot after, PoolRules rules, Instant at) {
        String previousOwner = before == null ? null : before.getOwner();
        String owner = after == null ? null : after.getOwner();
        UnaryOperator<OwnerLoad> leaving = previousOwner == null
                ? UnaryOperator.identity()
                : load -> load.plus(-1, rules.isWon(before.getStage()) ? -1 : 0);
        if (previousOwner != null && !previousOwner.equals(owner)) {
            figures.update(rules, before.getTenant(), previousOwner, before.getTeam(), leaving, at);
        }
        if (owner != null) {
            long won = rules.isWon(after.getStage()) ? 1 : 0;
            UnaryOperator<OwnerLoad> staying = owner.equals(previousOwner) ? leaving : UnaryOperator.identity();
            figures.update(
                    rules,
                    after.getTenant(),
                    owner,
                    after.getTeam(),
                    load -> staying.apply(load).plus(1, won),
                    at);
        }
    }

    /**
     * A customer's schedule: as stored when it has a warning to send or remember; else the snapshot's own return
     * deadline and rule, which the ledger saved with it ({@code null}: a customer not saved yet has none). Before
     * schedules without a warning were left out of the store, every schedule was stored: those are read as they are.
     */
    private Scheduled scheduleOf(String key, CustomerSnapshot customer) {
        String stored = schedules.get(key);
        if (stored != null) {
            return new Scheduled(Schedule.decode(stored), true);
        }
        return new Scheduled(customer == null ? Schedule.NONE : Schedule.of(customer), false);
    }

    private void reschedule(CustomerSnapshot customer, Scheduled previous, Schedule next) {
        boolean changed = !previous.schedule().equals(next);
        if (changed) {
            reindex(customer, previous.schedule(), next);
        }
        String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
        if (next.hasWarning()) {
            if (changed || !previous.stored()) {
                schedules.put(key, next.encode());
            }
        } else if (previous.stored()) {
            schedules.delete(key);
        }
    }

    private void reindex(CustomerSnapshot customer, Schedule previous, Schedule next) {
        if (previous.returnAt() != null) {
            deadlines.delete(indexKey(previous.returnAt(), customer, RETURN));
        }
        if (previous.warnAt() != null) {
            deadlines.delete(indexKey(previous.warnAt(), customer, WARNING));
        }
        if (next.returns()) {
            deadlines.put(indexKey(next.returnAt(), customer, RETURN), "");
        }
        if (next.warns()) {
            deadlines.put(indexKey(next.warnAt(), customer, WARNING), "");
        }
    }

    /** A customer's schedule, and whether the schedules store holds it (or it was read from the snapshot). */
    private record Scheduled(Schedule schedule, boolean stored) {}

    /** A tenant's stored rules record (null: none, the defaults apply) and the rules built from it. */
    private record RulesInForce(TenantRules stored, PoolRules rules) {}

    static String indexKey(Instant at, CustomerSnapshot customer, String kind) {
        return PoolStores.key(PoolStores.sortable(at), customer.getTenant(), kind, customer.getCustomerId());
    }
}
