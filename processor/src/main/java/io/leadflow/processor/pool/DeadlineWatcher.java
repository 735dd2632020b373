package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.identity.CustomerStore;
import io.leadflow.processor.rules.TenantRulesStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The pool lifecycle's clock, run by a wall-clock punctuator: returns the customers whose deadline has
 * passed to their pool (with the rule that fired, and a cooldown for the previous owner), sends each
 * return warning once, and re-times every held customer of a tenant whose rules changed (and re-emits its
 * owners' figures that the rules moved). It reads only the due part of the deadline index, so its cost grows
 * with what is due, not with what is held. Once a day per task (and at its first run) it also emits the
 * figures of the task's owners who have none yet.
 */
final class DeadlineWatcher {

    /** At most this many due entries per run, so one transaction stays small; the rest follow next run. */
    static final int MAX_DUE_PER_RUN = 20_000;

    private final PoolLedger ledger;
    private final KeyValueStore<String, String> deadlines;
    private final KeyValueStore<String, String> appliedRules;
    private final KeyValueStore<String, Long> cooldowns;
    private final KeyValueStore<String, Long> dailyClaims;
    private final KeyValueStore<String, ?> outcomes;
    private final KeyValueStore<String, ?> seenActivities;
    private final CustomerStore customers;
    private final ReadOnlyKeyValueStore<String, TenantRules> rules;
    private LocalDate lastHousekeeping;

    DeadlineWatcher(ProcessorContext<String, Object> context, PoolLedger ledger) {
        this.ledger = ledger;
        this.deadlines = context.getStateStore(PoolStores.DEADLINES);
        this.appliedRules = context.getStateStore(PoolStores.APPLIED_RULES);
        this.cooldowns = context.getStateStore(PoolStores.COOLDOWNS);
        this.dailyClaims = context.getStateStore(PoolStores.DAILY_CLAIMS);
        this.outcomes = context.getStateStore(PoolStores.COMMAND_OUTCOMES);
        this.seenActivities = context.getStateStore(PoolStores.SEEN_ACTIVITIES);
        this.customers = CustomerStore.in(context);
        this.rules = context.getStateStore(TenantRulesStore.NAME);
    }

    void run(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        retimeTenantsWithNewRules(now);
        for (String entry : dueEntries(now)) {
            handleDue(entry, now);
        }
        dailyHousekeeping(now);
    }

    private List<String> dueEntries(Instant now) {
        List<String> due = new ArrayList<>();
        String upTo = PoolStores.sortable(now) + PoolStores.SEPARATOR + Character.MAX_VALUE;
        try (KeyValueIterator<String, String> entries = deadlines.range(null, upTo)) {
            while (entries.hasNext() && due.size() < MAX_DUE_PER_RUN) {
                due.add(entries.next().key);
            }
        }
        return due;
    }

    private void handleDue(String entry, Instant now) {
        String[] parts = entry.split("\\|", 4);
        Instant deadline = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        String tenant = parts[1];
        String kind = parts[2];
        CustomerSnapshot customer = ledger.customer(tenant, parts[3]);
        if (customer == null || customer.getOwner() == null) {
            deadlines.delete(entry);
            return;
        }
        if (PoolLedger.RETURN.equals(kind) && deadline.equals(customer.getReturnDeadline())) {
            returnToPool(customer, now);
        } else if (PoolLedger.WARNING.equals(kind)) {
            ledger.emit(customer, PoolEventType.RETURN_WARNING, null, null, customer.getReturnRule(), null, now);
            ledger.warned(customer);
        } else {
            deadlines.delete(entry);
        }
    }

    private void returnToPool(CustomerSnapshot customer, Instant now) {
        PoolRules tenantRules = ledger.rules(customer.getTenant());
        String previousOwner = customer.getOwner();
        String rule = customer.getReturnRule();
        tenantRules
                .reclaimCooldown()
                .ifPresent(cooldown -> cooldowns.put(
                        PoolCommandHandler.cooldownKey(customer, previousOwner),
                        now.plus(cooldown).toEpochMilli()));
        CustomerSnapshot saved = ledger.save(
                customer, PoolCommandHandler.toPool(customer, tenantRules).build(), tenantRules, now);
        ledger.emit(saved, PoolEventType.RETURNED, null, previousOwner, rule, "deadline passed", now);
    }

    /** A rule change applies to existing assignments: recompute the deadline of each held customer. */
    private void retimeTenantsWithNewRules(Instant now) {
        List<KeyValue<String, TenantRules>> changed = new ArrayList<>();
        try (KeyValueIterator<String, TenantRules> all = rules.all()) {
            while (all.hasNext()) {
                KeyValue<String, TenantRules> tenant = all.next();
                String applied = appliedRules.get(tenant.key);
                if (applied == null || Long.parseLong(applied) != tenant.value.getVersion()) {
                    changed.add(tenant);
                }
            }
        }
        for (KeyValue<String, TenantRules> tenant : changed) {
            retime(tenant.key, now);
            ledger.refreshTenantFigures(tenant.key, now);
            appliedRules.put(tenant.key, Long.toString(tenant.value.getVersion()));
        }
    }

    private void retime(String tenant, Instant now) {
        PoolRules tenantRules = ledger.rules(tenant);
        List<CustomerSnapshot> held = new ArrayList<>();
        customers.forEachOf(tenant, customer -> {
            if (customer.getOwner() != null) {
                held.add(customer);
            }
        });
        for (CustomerSnapshot customer : held) {
            Schedule schedule = Deadlines.of(customer, tenantRules);
            if (!java.util.Objects.equals(schedule.returnAt(), customer.getReturnDeadline())
                    || !java.util.Objects.equals(schedule.rule(), customer.getReturnRule())) {
                ledger.save(customer, CustomerSnapshot.newBuilder(customer).build(), tenantRules, now);
            }
        }
    }

    /**
     * Once a day: daily claim counts, remembered command outcomes and activity ids are only needed for a day or
     * two; and owners whose load was kept before owner figures were emitted get their first figures.
     */
    private void dailyHousekeeping(Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        if (today.equals(lastHousekeeping)) {
            return;
        }
        String before = today.minusDays(2).toString();
        deleteBefore(dailyClaims, before);
        deleteBefore(outcomes, before);
        deleteBefore(seenActivities, before);
        ledger.publishMissingFigures(now);
        lastHousekeeping = today;
    }

    private static void deleteBefore(KeyValueStore<String, ?> store, String prefixBound) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, ?> entries = store.range(null, prefixBound)) {
            entries.forEachRemaining(entry -> old.add(entry.key));
        }
        old.forEach(store::delete);
    }
}
