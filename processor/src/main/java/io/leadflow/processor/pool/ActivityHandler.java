package io.leadflow.processor.pool;

import io.leadflow.avro.Activity;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.StageVisit;
import io.leadflow.processor.deadletter.DeadLetters;
import io.leadflow.processor.identity.IdentityStores;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies what salespeople did: a follow-up moves {@code lastFollowUpAt} and with it the follow-up
 * deadline; a stage change, a win or a loss moves the customer through the funnel (kept in
 * {@code stageHistory} for the funnel's cohorts) and may exempt it from returning. An activity is aimed at
 * a customer by id or by a lead the customer came from; one that names no known customer or stage is a
 * dead letter. An activity whose id was applied in the last day or so (a sender's retry) is not applied again:
 * a late repeat of a stage change would otherwise move the customer back.
 */
final class ActivityHandler implements Processor<String, Activity, String, Object> {

    private ProcessorContext<String, Object> context;
    private PoolLedger ledger;
    private KeyValueStore<String, String> seenLeads;
    private KeyValueStore<String, Long> seenActivities;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledger = new PoolLedger(context);
        this.seenLeads = context.getStateStore(IdentityStores.SEEN_LEADS);
        this.seenActivities = context.getStateStore(PoolStores.SEEN_ACTIVITIES);
    }

    @Override
    public void process(Record<String, Activity> record) {
        Activity activity = record.value();
        if (!record.key().equals(activity.getTenant())) {
            reject(record, "activity of tenant '" + activity.getTenant() + "' keyed by '" + record.key() + "'");
            return;
        }
        try {
            apply(record);
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            DeadLetters.reject(context, record, Topics.ACTIVITIES, "cannot apply activity: " + e, e);
        }
    }

    private void apply(Record<String, Activity> record) {
        Activity activity = record.value();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (wasApplied(activity, at)) {
            return;
        }
        Optional<CustomerSnapshot> target = target(activity);
        if (target.isEmpty()) {
            reject(record, "no customer " + describeTarget(activity));
            return;
        }
        CustomerSnapshot customer = target.get();
        PoolRules rules = ledger.rules(activity.getTenant());
        CustomerSnapshot.Builder changed = CustomerSnapshot.newBuilder(customer);
        switch (activity.getKind()) {
            case FOLLOW_UP -> changed.setLastFollowUpAt(latest(customer.getLastFollowUpAt(), activity.getOccurredAt()));
            case STAGE_CHANGE -> {
                if (activity.getStage() == null
                        || rules.stage(activity.getStage()).isEmpty()) {
                    reject(record, "unknown stage '" + activity.getStage() + "'; stages: " + stageNames(rules));
                    return;
                }
                enterStage(customer, changed, activity.getStage(), activity.getOccurredAt());
            }
            case WON -> enterStage(customer, changed, rules.wonStage().orElse("WON"), activity.getOccurredAt());
            case LOST -> enterStage(customer, changed, rules.lostStage().orElse("LOST"), activity.getOccurredAt());
            default -> {
                reject(record, "unknown activity kind " + activity.getKind());
                return;
            }
        }
        if (activity.getAmount() != null) {
            changed.setAmount(activity.getAmount());
        }
        ledger.save(customer, changed.build(), rules, at);
        rememberApplied(activity, at);
    }

    /** Whether this activity id was applied today or yesterday (UTC days of processing). */
    private boolean wasApplied(Activity activity, Instant at) {
        return seenActivities.get(seenKey(activity, at)) != null
                || seenActivities.get(seenKey(activity, at.minus(Duration.ofDays(1)))) != null;
    }

    private void rememberApplied(Activity activity, Instant at) {
        seenActivities.put(seenKey(activity, at), at.toEpochMilli());
    }

    private static String seenKey(Activity activity, Instant day) {
        return PoolStores.key(
                day.atZone(ZoneOffset.UTC).toLocalDate().toString(), activity.getTenant(), activity.getActivityId());
    }

    private Optional<CustomerSnapshot> target(Activity activity) {
        String customerId = activity.getCustomerId();
        if (customerId == null && activity.getLeadId() != null) {
            customerId = seenLeads.get(IdentityStores.leadKey(activity.getTenant(), activity.getLeadId()));
        }
        return Optional.ofNullable(ledger.customer(activity.getTenant(), customerId))
                .filter(customer -> customer.getMergedInto() == null);
    }

    private static void enterStage(
            CustomerSnapshot customer, CustomerSnapshot.Builder changed, String stage, Instant at) {
        if (stage.equals(customer.getStage()) && customer.getStageEnteredAt() != null) {
            return;
        }
        List<StageVisit> history = new ArrayList<>(customer.getStageHistory());
        if (history.isEmpty() && customer.getStage() != null) {
            history.add(new StageVisit(customer.getStage(), customer.getCreatedAt()));
        }
        if (!stage.equals(customer.getStage()) || history.isEmpty()) {
            history.add(new StageVisit(stage, at));
        }
        changed.setStage(stage).setStageEnteredAt(at).setStageHistory(history);
    }

    private static Instant latest(Instant current, Instant candidate) {
        return current == null || candidate.isAfter(current) ? candidate : current;
    }

    private static String describeTarget(Activity activity) {
        return activity.getCustomerId() != null ? activity.getCustomerId() : "for lead " + activity.getLeadId();
    }

    private static List<String> stageNames(PoolRules rules) {
        return rules.stages().stream().map(stage -> stage.getName()).toList();
    }

    private void reject(Record<String, Activity> record, String reason) {
        DeadLetters.reject(context, record, Topics.ACTIVITIES, reason, null);
    }
}
