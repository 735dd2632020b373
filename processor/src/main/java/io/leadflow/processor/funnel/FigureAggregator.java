package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Keeps every figure of the tenants of its task exact: each change takes the customer's previous
 * contribution out of every figure it counted in and adds the new one, so a stage change, an amount or
 * owner change, a return to the pool or a merge never counts a customer twice or loses one. Changed figures
 * are marked dirty and written out by a wall-clock punctuator, each at most once per emit interval; a
 * figure whose last customer left is written as a tombstone. A change of a tenant's rules re-renders all
 * its figures.
 */
final class FigureAggregator implements Processor<String, FactsChange, String, FunnelFigure> {

    private static final byte[] DIRTY = new byte[0];
    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private final FunnelSettings settings;
    private final FigureRenderer renderer = new FigureRenderer();
    private ProcessorContext<String, FunnelFigure> context;
    private KeyValueStore<String, FigureState> figures;
    private KeyValueStore<String, Long> stageTimes;
    private KeyValueStore<String, byte[]> dirty;
    private KeyValueStore<String, Long> renderedRules;
    private ReadOnlyKeyValueStore<String, TenantRules> rules;

    FigureAggregator(FunnelSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init(ProcessorContext<String, FunnelFigure> context) {
        this.context = context;
        figures = context.getStateStore(FunnelStores.FIGURES);
        stageTimes = context.getStateStore(FunnelStores.STAGE_TIMES);
        dirty = context.getStateStore(FunnelStores.DIRTY_FIGURES);
        renderedRules = context.getStateStore(FunnelStores.RENDERED_RULES);
        rules = context.getStateStore(TenantRulesStore.NAME);
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, this::emitDirtyFigures);
        context.schedule(settings.rulesCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::rerenderOnNewRules);
    }

    @Override
    public void process(Record<String, FactsChange> record) {
        Map<FigureKey, Contribution> before = contributionsOf(record.value().before());
        Map<FigureKey, Contribution> after = contributionsOf(record.value().after());
        for (Map.Entry<FigureKey, Contribution> entry : before.entrySet()) {
            update(entry.getKey(), entry.getValue(), after.get(entry.getKey()), record.timestamp());
        }
        for (Map.Entry<FigureKey, Contribution> entry : after.entrySet()) {
            if (!before.containsKey(entry.getKey())) {
                update(entry.getKey(), null, entry.getValue(), record.timestamp());
            }
        }
        rememberTenant(record.key());
    }

    private static Map<FigureKey, Contribution> contributionsOf(CustomerFacts facts) {
        if (facts == null) {
            return Map.of();
        }
        Contribution live = facts.liveContribution();
        Contribution cohort = facts.cohortContribution();
        Map<FigureKey, Contribution> contributions = new LinkedHashMap<>();
        for (FigureKey key : facts.figureKeys()) {
            contributions.put(key, key.isCohort() ? cohort : live);
        }
        return contributions;
    }

    private void update(FigureKey key, Contribution before, Contribution after, long timestamp) {
        if (Objects.equals(before, after)) {
            return;
        }
        String topicKey = key.topicKey();
        FigureState state = figures.get(topicKey);
        if (state == null) {
            state = new FigureState();
        }
        if (before != null) {
            state.apply(before, -1);
        }
        if (after != null) {
            state.apply(after, 1);
        }
        state.updatedAt = Math.max(state.updatedAt, timestamp);
        if (state.isEmpty()) {
            figures.delete(topicKey);
        } else {
            figures.put(topicKey, state);
        }
        if (key.isCohort()) {
            updateStageTimes(topicKey, before, after);
        }
        dirty.put(topicKey, DIRTY);
    }

    private void updateStageTimes(String topicKey, Contribution before, Contribution after) {
        Map<String, Long> deltas = new HashMap<>();
        if (before != null) {
            for (Contribution.Stay stay : before.stays()) {
                deltas.merge(FunnelStores.stageTimeKey(topicKey, stay.stage(), stay.bucket()), -1L, Long::sum);
            }
        }
        if (after != null) {
            for (Contribution.Stay stay : after.stays()) {
                deltas.merge(FunnelStores.stageTimeKey(topicKey, stay.stage(), stay.bucket()), 1L, Long::sum);
            }
        }
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            if (delta.getValue() != 0) {
                Long current = stageTimes.get(delta.getKey());
                long updated = (current == null ? 0 : current) + delta.getValue();
                if (updated == 0) {
                    stageTimes.delete(delta.getKey());
                } else {
                    stageTimes.put(delta.getKey(), updated);
                }
            }
        }
    }

    private void rememberTenant(String tenant) {
        if (renderedRules.get(tenant) == null) {
            renderedRules.put(tenant, rulesOf(tenant).getVersion());
        }
    }

    private void emitDirtyFigures(long now) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> changed = dirty.all()) {
            changed.forEachRemaining(entry -> keys.add(entry.key));
        }
        Map<String, TenantRules> rulesByTenant = new HashMap<>();
        for (String topicKey : keys) {
            FigureState state = figures.get(topicKey);
            if (state == null) {
                context.forward(new Record<>(topicKey, null, now));
            } else {
                FigureKey key = FigureKey.parse(topicKey);
                TenantRules tenantRules = rulesByTenant.computeIfAbsent(key.tenant(), this::rulesOf);
                FunnelFigure figure = renderer.render(key, state, stageTimesOf(key, topicKey), tenantRules);
                context.forward(new Record<>(topicKey, figure, state.updatedAt));
            }
            dirty.delete(topicKey);
        }
    }

    private Map<String, Map<Long, Long>> stageTimesOf(FigureKey key, String topicKey) {
        if (!key.isCohort()) {
            return Map.of();
        }
        String prefix = FunnelStores.stageTimesPrefix(topicKey);
        Map<String, Map<Long, Long>> byStage = new HashMap<>();
        try (KeyValueIterator<String, Long> buckets = stageTimes.prefixScan(prefix, PREFIX_SERIALIZER)) {
            while (buckets.hasNext()) {
                KeyValue<String, Long> bucket = buckets.next();
                String rest = bucket.key.substring(prefix.length());
                int separator = rest.lastIndexOf('\u0000');
                byStage.computeIfAbsent(rest.substring(0, separator), stage -> new TreeMap<>())
                        .put(Long.parseUnsignedLong(rest.substring(separator + 1), 16), bucket.value);
            }
        }
        return byStage;
    }

    private void rerenderOnNewRules(long now) {
        List<KeyValue<String, Long>> changed = new ArrayList<>();
        try (KeyValueIterator<String, Long> tenants = renderedRules.all()) {
            while (tenants.hasNext()) {
                KeyValue<String, Long> tenant = tenants.next();
                long current = rulesOf(tenant.key).getVersion();
                if (current != tenant.value) {
                    changed.add(KeyValue.pair(tenant.key, current));
                }
            }
        }
        for (KeyValue<String, Long> tenant : changed) {
            try (KeyValueIterator<String, FigureState> tenantFigures =
                    figures.prefixScan(tenant.key + "/", PREFIX_SERIALIZER)) {
                tenantFigures.forEachRemaining(figure -> dirty.put(figure.key, DIRTY));
            }
            renderedRules.put(tenant.key, tenant.value);
        }
    }

    private TenantRules rulesOf(String tenant) {
        return TenantRulesStore.rulesOf(rules, tenant);
    }
}
