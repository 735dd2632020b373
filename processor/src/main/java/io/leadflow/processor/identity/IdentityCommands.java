package io.leadflow.processor.identity;

import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.Merge;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.RefusalReason;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.processor.deadletter.DeadLetters;
import io.leadflow.processor.pool.CommandOutcomes;
import io.leadflow.processor.pool.PoolBook;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The identity commands, each answered by one {@link CommandResult}:
 *
 * <ul>
 *   <li>{@link Merge}: merges one customer into another ({@link Customers#merge}). The survivor gains the
 *       merged customer's leads, contacts and keys; every key and lead id of the merged customer points at
 *       the survivor; the merged customer's last snapshot (with {@code mergedInto}) and then a tombstone go
 *       to the customers topic. Refused when a customer is missing, both are the same, the merged one is
 *       locked, or the actor may not: managers and admins may merge any two customers, others only
 *       customers they hold or nobody holds. A merge whose command id was decided before is answered with
 *       its first outcome, not decided again (a retry would otherwise find the merged customer gone).
 *   <li>{@link CheckDuplicate} (查重): the engine's duplicate check against the live index; accepted with
 *       the strongest match as snapshot and every match with its evidence in the message. Changes
 *       nothing. Contact data is not masked here: the api masks what its caller may not see.
 * </ul>
 */
final class IdentityCommands implements Processor<String, PoolCommand, String, Object> {

    static final Set<String> MERGING_ROLES = Set.of("manager", "admin");
    private static final int MATCHES_DESCRIBED = 10;

    private final MatchEngine engine;
    private final String customersNode;
    private final String poolEventsNode;
    private final String identityEventsNode;
    private final String commandResultsNode;
    private final String deadLetterNode;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, String> blocks;
    private CustomerStore customers;
    private KeyValueStore<String, String> seenLeads;
    private PoolBook pool;
    private CommandOutcomes outcomes;

    IdentityCommands(
            MatchEngine engine,
            String customersNode,
            String poolEventsNode,
            String identityEventsNode,
            String commandResultsNode,
            String deadLetterNode) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.customersNode = Objects.requireNonNull(customersNode, "customersNode");
        this.poolEventsNode = Objects.requireNonNull(poolEventsNode, "poolEventsNode");
        this.identityEventsNode = Objects.requireNonNull(identityEventsNode, "identityEventsNode");
        this.commandResultsNode = Objects.requireNonNull(commandResultsNode, "commandResultsNode");
        this.deadLetterNode = Objects.requireNonNull(deadLetterNode, "deadLetterNode");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.index = context.getStateStore(IdentityStores.IDENTITY_INDEX);
        this.blocks = context.getStateStore(IdentityStores.IDENTITY_BLOCKS);
        this.customers = CustomerStore.in(context);
        this.seenLeads = context.getStateStore(IdentityStores.SEEN_LEADS);
        this.pool = PoolBook.in(context);
        this.outcomes = CommandOutcomes.in(context);
    }

    @Override
    public void process(Record<String, PoolCommand> record) {
        PoolCommand command = record.value();
        if (!record.key().equals(command.getTenant())) {
            answer(
                    record,
                    refusal(
                            record,
                            null,
                            RefusalReason.INVALID,
                            "command of tenant '" + command.getTenant() + "' keyed by '" + record.key() + "'"));
            return;
        }
        try {
            if (command.getPayload() instanceof Merge merge) {
                Optional<CommandResult> earlier = outcomes.earlier(command);
                if (earlier.isPresent()) {
                    answer(record, earlier.get());
                } else {
                    CommandResult result = merge(record, merge);
                    outcomes.remember(command, result);
                    answer(record, result);
                }
            } else if (command.getPayload() instanceof CheckDuplicate check) {
                checkDuplicate(record, check);
            } else {
                answer(record, refusal(record, null, RefusalReason.INVALID, "not an identity command"));
            }
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            // Every read precedes the first write, so a failure leaves the stores as they were.
            deadLetter(record, "cannot process command: " + e, e);
            answer(record, refusal(record, null, RefusalReason.INVALID, "cannot process command: " + e.getMessage()));
        }
    }

    // ---- merge

    /** Decides a merge and applies it when accepted; the caller answers with the result. */
    private CommandResult merge(Record<String, PoolCommand> record, Merge merge) {
        PoolCommand command = record.value();
        String tenant = command.getTenant();
        if (merge.getSurvivorId().equals(merge.getMergedId())) {
            return refusal(
                    record, merge.getSurvivorId(), RefusalReason.INVALID, "a customer cannot be merged into itself");
        }
        CustomerSnapshot survivor = customers.get(tenant, merge.getSurvivorId());
        CustomerSnapshot merged = customers.get(tenant, merge.getMergedId());
        if (survivor == null || merged == null) {
            String missing = survivor == null ? merge.getSurvivorId() : merge.getMergedId();
            return refusal(record, merge.getSurvivorId(), RefusalReason.NOT_FOUND, "no customer " + missing);
        }
        if (merged.getLocked()) {
            return refusal(
                    record,
                    merge.getSurvivorId(),
                    RefusalReason.LOCKED,
                    "customer " + merged.getCustomerId() + " is locked");
        }
        if (!mayMerge(command, survivor, merged)) {
            return refusal(
                    record,
                    merge.getSurvivorId(),
                    RefusalReason.NOT_PERMITTED,
                    "only a manager may merge customers held by someone else");
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Customers.Merged result = Customers.merge(survivor, merged, at);
        repointIdentity(tenant, survivor, merged);
        customers.delete(tenant, merged.getCustomerId());
        CustomerSnapshot saved = pool.merged(survivor, result.survivor(), merged, at);
        result = new Customers.Merged(saved, result.mergedAway(), result.keptOwner(), result.ownerRule());
        emitMerge(record, result, merged, at);
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenant(tenant)
                .setCustomerId(survivor.getCustomerId())
                .setOutcome(CommandOutcome.ACCEPTED)
                .setMessage("merged " + merged.getCustomerId() + " into " + survivor.getCustomerId()
                        + "; owner " + (result.keptOwner() == null ? "none" : result.keptOwner()) + ": "
                        + result.ownerRule())
                .setSnapshot(result.survivor())
                .setDecidedAt(at)
                .build();
    }

    static boolean mayMerge(PoolCommand command, CustomerSnapshot survivor, CustomerSnapshot merged) {
        if (command.getActorRoles().stream().anyMatch(MERGING_ROLES::contains)) {
            return true;
        }
        return heldByActorOrNobody(command, survivor) && heldByActorOrNobody(command, merged);
    }

    private static boolean heldByActorOrNobody(PoolCommand command, CustomerSnapshot customer) {
        return customer.getOwner() == null || customer.getOwner().equals(command.getActor());
    }

    private void repointIdentity(String tenant, CustomerSnapshot survivor, CustomerSnapshot merged) {
        StoreMatchIndex tenantIndex = new StoreMatchIndex(tenant, index, blocks);
        engine.merge(
                survivor.getCustomerId(),
                merged.getCustomerId(),
                Customers.engineKeys(merged.getMatchKeys()),
                tenantIndex);
        for (String leadId : merged.getLeadIds()) {
            seenLeads.put(IdentityStores.leadKey(tenant, leadId), survivor.getCustomerId());
        }
    }

    private void emitMerge(
            Record<String, PoolCommand> record, Customers.Merged result, CustomerSnapshot merged, Instant at) {
        PoolCommand command = record.value();
        String tenant = command.getTenant();
        String survivorKey = Keys.customer(tenant, result.survivor().getCustomerId());
        String mergedKey = Keys.customer(tenant, merged.getCustomerId());
        forward(record, mergedKey, result.mergedAway(), customersNode);
        forward(record, mergedKey, null, customersNode);
        forward(
                record,
                survivorKey,
                IdentityEvent.newBuilder()
                        .setEventId(result.survivor().getCustomerId() + "#"
                                + result.survivor().getVersion() + "#MERGED#" + merged.getCustomerId())
                        .setTenant(tenant)
                        .setCustomerId(result.survivor().getCustomerId())
                        .setType(IdentityEventType.MERGED)
                        .setOtherCustomerId(merged.getCustomerId())
                        .setHolder(result.keptOwner())
                        .setEvidence(List.of())
                        .setOccurredAt(at)
                        .build(),
                identityEventsNode);
        forward(
                record,
                mergedKey,
                PoolEvent.newBuilder()
                        .setEventId(merged.getCustomerId() + "#"
                                + result.mergedAway().getVersion())
                        .setTenant(tenant)
                        .setCustomerId(merged.getCustomerId())
                        .setType(PoolEventType.MERGED)
                        .setActor(command.getActor())
                        .setFromOwner(merged.getOwner())
                        .setToOwner(result.keptOwner())
                        .setReason("merged into " + result.survivor().getCustomerId() + "; " + result.ownerRule())
                        .setOccurredAt(at)
                        .build(),
                poolEventsNode);
    }

    // ---- duplicate check

    private void checkDuplicate(Record<String, PoolCommand> record, CheckDuplicate check) {
        PoolCommand command = record.value();
        String tenant = command.getTenant();
        List<Match> matches = engine.check(AvroMapping.fieldsOf(check), new StoreMatchIndex(tenant, index, blocks));
        CustomerSnapshot best =
                matches.isEmpty() ? null : customers.get(tenant, matches.get(0).customerId());
        answer(
                record,
                CommandResult.newBuilder()
                        .setCommandId(command.getCommandId())
                        .setTenant(tenant)
                        .setCustomerId(best == null ? null : best.getCustomerId())
                        .setOutcome(CommandOutcome.ACCEPTED)
                        .setMessage(describe(tenant, matches))
                        .setSnapshot(best)
                        .setDecidedAt(Instant.ofEpochMilli(record.timestamp()))
                        .build());
    }

    /** One line per match: verdict, customer, holder, evidence. */
    private String describe(String tenant, List<Match> matches) {
        if (matches.isEmpty()) {
            return "no match";
        }
        return matches.stream()
                .limit(MATCHES_DESCRIBED)
                .map(match -> {
                    CustomerSnapshot customer = customers.get(tenant, match.customerId());
                    String holder = customer == null || customer.getOwner() == null
                            ? "pool " + (customer == null ? "?" : customer.getPoolId())
                            : "owner " + customer.getOwner();
                    return match.verdict() + " " + match.customerId() + " (" + holder + "): " + match.evidence();
                })
                .collect(Collectors.joining("\n"));
    }

    // ---- output

    private static CommandResult refusal(
            Record<String, PoolCommand> record, String customerId, RefusalReason reason, String message) {
        PoolCommand command = record.value();
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenant(command.getTenant())
                .setCustomerId(customerId != null ? customerId : command.getCustomerId())
                .setOutcome(CommandOutcome.REFUSED)
                .setReason(reason)
                .setMessage(message)
                .setDecidedAt(Instant.ofEpochMilli(record.timestamp()))
                .build();
    }

    private void answer(Record<String, PoolCommand> record, CommandResult result) {
        forward(record, Keys.commandResult(result.getTenant(), result.getCommandId()), result, commandResultsNode);
    }

    private void forward(Record<String, PoolCommand> record, String key, Object value, String node) {
        context.forward(new Record<String, Object>(key, value, record.timestamp()), node);
    }

    private void deadLetter(Record<String, PoolCommand> record, String reason, Throwable cause) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] value = Topics.COMMANDS.valueSerde().serializer().serialize(source.topic(), record.value());
        DeadLetter letter = DeadLetters.of(
                source,
                record.key().getBytes(StandardCharsets.UTF_8),
                value,
                reason,
                cause,
                Instant.ofEpochMilli(record.timestamp()));
        forward(record, DeadLetters.key(source), letter, deadLetterNode);
    }
}
