package io.leadflow.processor.pool;

import io.leadflow.avro.Assign;
import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lock;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.RefusalReason;
import io.leadflow.avro.Release;
import io.leadflow.avro.Transfer;
import io.leadflow.avro.Unlock;
import io.leadflow.processor.Outputs;
import io.leadflow.schemas.Keys;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies claim, release, assign, transfer, lock and unlock, one command at a time per tenant, so every
 * check and its effect are atomic: of two claims of one customer, the first wins and the second finds it
 * owned. Each command is answered on the command-results topic with ACCEPTED (and the new snapshot) or
 * REFUSED with a machine-readable reason. A refused claim uses no quota; the daily count is of claims made,
 * so releasing does not give one back. A command id seen before is answered with its first result again.
 */
final class PoolCommandHandler implements Processor<String, PoolCommand, String, Object> {

    static final String MANAGER = "manager";
    static final String ADMIN = "admin";

    private ProcessorContext<String, Object> context;
    private PoolLedger ledger;
    private KeyValueStore<String, Long> dailyClaims;
    private KeyValueStore<String, Long> cooldowns;
    private CommandOutcomes outcomes;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledger = new PoolLedger(context);
        this.dailyClaims = context.getStateStore(PoolStores.DAILY_CLAIMS);
        this.cooldowns = context.getStateStore(PoolStores.COOLDOWNS);
        this.outcomes = CommandOutcomes.in(context);
        DeadlineWatcher clock = new DeadlineWatcher(context, ledger);
        context.schedule(PoolTopology.CLOCK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, clock::run);
    }

    @Override
    public void process(Record<String, PoolCommand> record) {
        PoolCommand command = record.value();
        Optional<byte[]> earlier = outcomes.earlierEncoded(command);
        if (earlier.isPresent()) {
            answer(command, earlier.get(), record.timestamp());
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        CustomerSnapshot customer = ledger.customer(command.getTenant(), command.getCustomerId());
        Decision decision = customer == null || customer.getMergedInto() != null
                ? Decision.refused(Refusal.of(RefusalReason.NOT_FOUND, "no customer " + command.getCustomerId()))
                : decide(command, customer, at);
        CustomerSnapshot snapshot = decision.snapshot() != null ? decision.snapshot() : customer;
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenant(command.getTenant())
                .setCustomerId(command.getCustomerId())
                .setOutcome(decision.refusal() == null ? CommandOutcome.ACCEPTED : CommandOutcome.REFUSED)
                .setReason(
                        decision.refusal() == null ? null : decision.refusal().reason())
                .setMessage(
                        decision.refusal() == null ? null : decision.refusal().message())
                .setSnapshot(snapshot)
                .setDecidedAt(at)
                .build();
        answer(command, outcomes.remember(command, result, ledger.sentEncoding(snapshot)), record.timestamp());
    }

    private Decision decide(PoolCommand command, CustomerSnapshot customer, Instant at) {
        Object payload = command.getPayload();
        if (payload instanceof Claim) {
            return claim(command, customer, at);
        } else if (payload instanceof Release release) {
            return release(command, customer, release, at);
        } else if (payload instanceof Assign assign) {
            return give(command, customer, assign.getToOwner(), null, assign.getForce(), PoolEventType.ASSIGNED, at);
        } else if (payload instanceof Transfer transfer) {
            return give(
                    command,
                    customer,
                    transfer.getToOwner(),
                    transfer.getFromOwner(),
                    transfer.getForce(),
                    PoolEventType.TRANSFERRED,
                    at);
        } else if (payload instanceof Lock lock) {
            return lock(command, customer, true, lock.getReason(), at);
        } else if (payload instanceof Unlock) {
            return lock(command, customer, false, null, at);
        }
        return Decision.refused(Refusal.of(RefusalReason.INVALID, "not a pool command: " + payload));
    }

    private Decision claim(PoolCommand command, CustomerSnapshot customer, Instant at) {
        String user = command.getActor();
        String tenant = command.getTenant();
        PoolRules rules = ledger.rules(tenant);
        String team = teamOf(command, rules, user);
        if (customer.getOwner() != null) {
            return Decision.refused(Refusal.of(
                    RefusalReason.ALREADY_OWNED,
                    customer.getOwner().equals(user) ? "you already hold this customer" : "held by another owner"));
        }
        if (!rules.isMember(customer.getPoolId(), user, team)) {
            return Decision.refused(
                    Refusal.of(RefusalReason.NOT_A_MEMBER, "not a member of pool " + customer.getPoolId()));
        }
        Long cooldownUntil = cooldowns.get(cooldownKey(customer, user));
        if (cooldownUntil != null && at.toEpochMilli() < cooldownUntil) {
            return Decision.refused(Refusal.of(
                    RefusalReason.COOLDOWN,
                    "you may claim this customer back from " + Instant.ofEpochMilli(cooldownUntil)));
        }
        Optional<Refusal> full = capacityRefusal(tenant, user, team, rules);
        if (full.isPresent()) {
            return Decision.refused(full.get());
        }
        String dayKey = PoolStores.dailyClaimKey(rules.dayOf(at), tenant, user);
        long claimedToday = Optional.ofNullable(dailyClaims.get(dayKey)).orElse(0L);
        OptionalInt limit = rules.dailyClaimLimit();
        if (limit.isPresent() && claimedToday >= limit.getAsInt()) {
            return Decision.refused(Refusal.of(
                    RefusalReason.DAILY_LIMIT_REACHED, "already claimed " + claimedToday + " customers today"));
        }
        dailyClaims.put(dayKey, claimedToday + 1);
        CustomerSnapshot saved = ledger.save(customer, heldBy(customer, user, team, at), rules, at);
        ledger.emit(saved, PoolEventType.CLAIMED, user, null, null, null, at);
        return Decision.accepted(saved);
    }

    private Decision release(PoolCommand command, CustomerSnapshot customer, Release release, Instant at) {
        String previousOwner = customer.getOwner();
        if (previousOwner == null) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_OWNER, "the customer is in a pool, not held"));
        }
        if (!previousOwner.equals(command.getActor()) && !isManager(command)) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_OWNER, "only its owner or a manager may release it"));
        }
        PoolRules rules = ledger.rules(command.getTenant());
        startCooldown(customer, previousOwner, rules, at);
        CustomerSnapshot saved = ledger.save(customer, toPool(customer, rules).build(), rules, at);
        ledger.emit(saved, PoolEventType.RELEASED, command.getActor(), previousOwner, null, release.getReason(), at);
        return Decision.accepted(saved);
    }

    /** Assign (from a pool) or transfer (from an owner): managers only; the receiver's capacity applies unless an admin forces it. */
    private Decision give(
            PoolCommand command,
            CustomerSnapshot customer,
            String toOwner,
            String expectedFrom,
            boolean force,
            PoolEventType type,
            Instant at) {
        if (!isManager(command)) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_PERMITTED, "only a manager or an admin may do this"));
        }
        if (force && !command.getActorRoles().contains(ADMIN)) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_PERMITTED, "only an admin may force past capacity"));
        }
        if (toOwner == null || toOwner.isBlank()) {
            return Decision.refused(Refusal.of(RefusalReason.INVALID, "no receiving owner"));
        }
        String from = customer.getOwner();
        if (type == PoolEventType.ASSIGNED && from != null) {
            return Decision.refused(
                    Refusal.of(RefusalReason.ALREADY_OWNED, "held by " + from + "; transfer it instead"));
        }
        if (type == PoolEventType.TRANSFERRED && from == null) {
            return Decision.refused(
                    Refusal.of(RefusalReason.NOT_OWNER, "the customer is in a pool; assign it instead"));
        }
        if (expectedFrom != null && !expectedFrom.equals(from)) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_OWNER, "held by " + from + ", not " + expectedFrom));
        }
        if (toOwner.equals(from)) {
            return Decision.refused(Refusal.of(RefusalReason.ALREADY_OWNED, toOwner + " already holds it"));
        }
        PoolRules rules = ledger.rules(command.getTenant());
        String team = rules.teamOf(toOwner).orElse(null);
        if (!force) {
            Optional<Refusal> full = capacityRefusal(command.getTenant(), toOwner, team, rules);
            if (full.isPresent()) {
                return Decision.refused(full.get());
            }
        }
        CustomerSnapshot saved = ledger.save(customer, heldBy(customer, toOwner, team, at), rules, at);
        ledger.emit(saved, type, command.getActor(), from, null, force ? "forced past capacity by an admin" : null, at);
        return Decision.accepted(saved);
    }

    private Decision lock(PoolCommand command, CustomerSnapshot customer, boolean lock, String reason, Instant at) {
        boolean owner = command.getActor().equals(customer.getOwner());
        if (!owner && !isManager(command)) {
            return Decision.refused(Refusal.of(RefusalReason.NOT_PERMITTED, "only its owner or a manager may do this"));
        }
        if (customer.getLocked() == lock) {
            return Decision.accepted(customer);
        }
        CustomerSnapshot saved =
                ledger.save(customer, CustomerSnapshot.newBuilder(customer).setLocked(lock), at);
        ledger.emit(
                saved,
                lock ? PoolEventType.LOCKED : PoolEventType.UNLOCKED,
                command.getActor(),
                null,
                null,
                reason,
                at);
        return Decision.accepted(saved);
    }

    private Optional<Refusal> capacityRefusal(String tenant, String user, String team, PoolRules rules) {
        OptionalInt capacity = rules.capacityOf(user, team);
        if (capacity.isEmpty()) {
            return Optional.empty();
        }
        long counted = ledger.load(tenant, user).counted(rules.countWonInCapacity());
        if (counted >= capacity.getAsInt()) {
            return Optional.of(Refusal.of(
                    RefusalReason.CAPACITY_REACHED,
                    user + " holds " + counted + " of " + capacity.getAsInt() + " customers"));
        }
        return Optional.empty();
    }

    private void startCooldown(CustomerSnapshot customer, String previousOwner, PoolRules rules, Instant at) {
        rules.reclaimCooldown()
                .ifPresent(cooldown -> cooldowns.put(
                        cooldownKey(customer, previousOwner), at.plus(cooldown).toEpochMilli()));
    }

    /** The customer as held by {@code owner} of {@code team} from {@code at} on. */
    private static CustomerSnapshot heldBy(CustomerSnapshot customer, String owner, String team, Instant at) {
        CustomerSnapshot held = PoolLedger.successorOf(customer);
        held.setOwner(owner);
        held.setTeam(team);
        held.setAssignedAt(at);
        return held;
    }

    static CustomerSnapshot.Builder toPool(CustomerSnapshot customer, PoolRules rules) {
        return CustomerSnapshot.newBuilder(customer)
                .setOwner(null)
                .setTeam(null)
                .setAssignedAt(null)
                .setPoolId(customer.getPoolId() != null ? customer.getPoolId() : rules.defaultPool());
    }

    static String cooldownKey(CustomerSnapshot customer, String owner) {
        return PoolStores.key(customer.getTenant(), customer.getCustomerId(), owner);
    }

    private static String teamOf(PoolCommand command, PoolRules rules, String user) {
        return command.getActorTeam() != null
                ? command.getActorTeam()
                : rules.teamOf(user).orElse(null);
    }

    private static boolean isManager(PoolCommand command) {
        return command.getActorRoles().contains(MANAGER)
                || command.getActorRoles().contains(ADMIN);
    }

    /** Sends a command's result, encoded once for both the outcomes store and the command-results topic. */
    private void answer(PoolCommand command, byte[] encodedResult, long timestamp) {
        context.forward(
                new Record<String, Object>(
                        Keys.commandResult(command.getTenant(), command.getCommandId()), encodedResult, timestamp),
                Outputs.COMMAND_RESULTS_SINK);
    }

    /** The outcome of one command: the saved snapshot when accepted, the refusal otherwise. */
    private record Decision(CustomerSnapshot snapshot, Refusal refusal) {

        static Decision accepted(CustomerSnapshot snapshot) {
            return new Decision(Objects.requireNonNull(snapshot), null);
        }

        static Decision refused(Refusal refusal) {
            return new Decision(null, refusal);
        }
    }
}
