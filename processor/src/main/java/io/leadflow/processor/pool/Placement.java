package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.PoolEventType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where a customer founded by a lead goes: to the lead's intended owner when that owner may hold it
 * (member of the default pool, below capacity); else, with the {@code ROUND_ROBIN} strategy, to the next
 * member of the round-robin team who is below capacity; else to the tenant's default public pool.
 * Used by identity resolution, inside the same processor, so placement is atomic with creation.
 */
final class Placement {

    private final PoolLedger ledger;
    private final KeyValueStore<String, Long> roundRobin;

    Placement(PoolLedger ledger, KeyValueStore<String, Long> roundRobin) {
        this.ledger = ledger;
        this.roundRobin = roundRobin;
    }

    /**
     * Places and saves a new customer (version 1), emitting the snapshot and a {@code CREATED} event, plus
     * {@code ASSIGNED} when it got an owner.
     */
    CustomerSnapshot placeNew(CustomerSnapshot.Builder customer, Lead lead, Instant at) {
        String tenant = lead.getTenant();
        PoolRules rules = ledger.rules(tenant);
        String pool = rules.defaultPool();
        Optional<String> owner = intendedOwner(lead, rules, pool).or(() -> nextInRotation(tenant, rules));
        customer.setPoolId(pool);
        owner.ifPresent(user ->
                customer.setOwner(user).setTeam(rules.teamOf(user).orElse(null)).setAssignedAt(at));
        CustomerSnapshot saved = ledger.save(null, customer.build(), rules, at);
        ledger.emit(saved, PoolEventType.CREATED, null, null, null, "lead " + lead.getLeadId(), at);
        if (saved.getOwner() != null) {
            String how = saved.getOwner().equals(lead.getIntendedOwner()) ? "intended owner" : "round robin";
            ledger.emit(saved, PoolEventType.ASSIGNED, null, null, null, how, at);
        }
        return saved;
    }

    private Optional<String> intendedOwner(Lead lead, PoolRules rules, String pool) {
        String user = lead.getIntendedOwner();
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        String team = rules.teamOf(user).orElse(null);
        return rules.isMember(pool, user, team) && hasRoom(lead.getTenant(), user, team, rules)
                ? Optional.of(user)
                : Optional.empty();
    }

    private Optional<String> nextInRotation(String tenant, PoolRules rules) {
        List<String> members = rules.roundRobinMembers();
        if (!rules.assignsRoundRobin() || members.isEmpty()) {
            return Optional.empty();
        }
        String key = PoolStores.key(tenant, rules.roundRobinTeam());
        long last = Optional.ofNullable(roundRobin.get(key)).orElse(-1L);
        for (int step = 1; step <= members.size(); step++) {
            int index = (int) Math.floorMod(last + step, (long) members.size());
            String candidate = members.get(index);
            if (hasRoom(tenant, candidate, rules.roundRobinTeam(), rules)) {
                roundRobin.put(key, (long) index);
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private boolean hasRoom(String tenant, String user, String team, PoolRules rules) {
        OptionalInt capacity = rules.capacityOf(user, team);
        return capacity.isEmpty()
                || ledger.load(tenant, user).counted(rules.countWonInCapacity()) < capacity.getAsInt();
    }
}
