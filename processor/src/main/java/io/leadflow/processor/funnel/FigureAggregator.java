package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every figure of the tenants of its task exact: each change takes the customer's previous
 * contribution out of every figure it counted in and adds the new one, so a stage change, an amount or
 * owner change, a return to the pool or a merge never counts a customer twice or loses one. Which cohort
 * figures each side counts in is the change's to say ({@link FactsChange#beforeCohorts()}), not this
 * processor's settings: the tracker that counted the customer knows. Changed figures
 * are marked dirty and written out by wall-clock punctuators, each live figure at most once per emit
 * interval and each cohort figure at most once per cohort emit interval; a figure whose last customer left
 * is written as a tombstone. A change of a tenant's rules re-renders all its figures.
 *
 * <p>The week and month figures of the tenant, sources and campaigns ({@link Cohorts#SUMMED_DIMENSIONS}) are
 * not counted change by change: each is the sum of its days' figures, added up when one of them is emitted.
 * A change then touches one cohort figure per such dimension instead of three, and the summing costs each
 * emission a pass over the changed weeks' and months' days, however many changes moved them: the faster
 * the changes come, the less it weighs per change.
 *
 * <p>Figures are read and changed as objects in a {@link FigureBook}, which journals every change at the
 * commit and writes a changed figure to its store once per snapshot interval; a restarted task replays
 * the journal into the figures whose snapshots do not hold it, and emits what was changed but not yet
 * emitted before the crash.
 */
final class FigureAggregator implements Processor<String, byte[], String, FunnelFigure> {

    private static final Logger log = LoggerFactory.getLogger(FigureAggregator.class);

    private static final Deserializer<FactsChange> CHANGES =
            FunnelSerdes.changes().deserializer();

    private final FunnelSettings settings;
    private final FigureRenderer renderer = new FigureRenderer();
    private final Set<String> rememberedTenants = new HashSet<>();
    private final List<StaysSum> staysSums = new ArrayList<>();
    private ProcessorContext<String, FunnelFigure> context;
    private FigureBook figures;
    private KeyValueStore<String, Long> renderedRules;
    private ReadOnlyKeyValueStore<String, TenantRules> rules;
    private EmissionMetrics emission;

    /** Figures (and tombstones) written so far. */
    private long emitted;

    FigureAggregator(FunnelSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init(ProcessorContext<String, FunnelFigure> context) {
        this.context = context;
        emission = new EmissionMetrics(context.metrics());
        figures = context.getStateStore(FunnelStores.FIGURES);
        figures.useStores(
                context.getStateStore(FunnelStores.STAGE_TIMES),
                context.getStateStore(FunnelStores.DIRTY_FIGURES),
                context.getStateStore(FunnelStores.JOURNAL),
                settings.snapshotInterval(),
                context::currentSystemTimeMs);
        figures.replay((change, timestamp, record, emitted) -> apply(change, timestamp, new Replay(record, emitted)));
        renderedRules = context.getStateStore(FunnelStores.RENDERED_RULES);
        rules = context.getStateStore(TenantRulesStore.NAME);
        context.schedule(
                settings.emitInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> emitDirtyFigures(FunnelKind.SNAPSHOT, now));
        context.schedule(
                settings.cohortEmitInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> emitDirtyFigures(FunnelKind.COHORT, now));
        context.schedule(settings.rulesCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::rerenderOnNewRules);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        FactsChange change;
        try {
            change = CHANGES.deserialize(FunnelTopology.BY_TENANT, record.value());
        } catch (SerializationException e) {
            // The tracker wrote it; an unreadable change means a bug, not bad input.
            log.error("funnel skips an unreadable change of tenant '{}': {}", record.key(), e.getMessage());
            return;
        }
        apply(change, record.timestamp(), null);
        figures.journal(record.timestamp(), record.value());
        rememberTenant(record.key());
    }

    /** A change read back from the journal: its record, and the kinds of figure emitted after it. */
    private record Replay(long record, FigureJournal.Emitted emitted) {}

    /**
     * Applies a change to every figure it touches; {@code replay} is null for a change just received. Both
     * sides list their figures in the same order, so a figure both count in is mostly found at the same
     * index; a figure is skipped when the customer adds the same to it before and after.
     */
    private void apply(FactsChange change, long timestamp, Replay replay) {
        Contributions before = contributionsOf(change.before(), change.beforeCohorts());
        Contributions after = contributionsOf(change.after(), change.afterCohorts());
        boolean sameLive = Objects.equals(before.live(), after.live());
        boolean sameCohort = Objects.equals(before.cohort(), after.cohort());
        boolean[] matched = new boolean[after.keys().size()];
        for (int i = 0; i < before.keys().size(); i++) {
            FigureKey key = before.keys().get(i);
            int at = after.indexOf(key, i);
            if (at < 0) {
                update(key, before.of(key), null, timestamp, replay);
            } else {
                matched[at] = true;
                if (!(key.isCohort() ? sameCohort : sameLive)) {
                    update(key, before.of(key), after.of(key), timestamp, replay);
                }
            }
        }
        for (int i = 0; i < matched.length; i++) {
            if (!matched[i]) {
                FigureKey key = after.keys().get(i);
                update(key, null, after.of(key), timestamp, replay);
            }
        }
    }

    /** What a customer adds to each of the figures it counts in: the same to every live and every cohort one. */
    private record Contributions(List<FigureKey> keys, Contribution live, Contribution cohort) {

        static final Contributions NONE = new Contributions(List.of(), null, null);

        Contribution of(FigureKey key) {
            return key.isCohort() ? cohort : live;
        }

        /** Where {@code key} is in {@link #keys}, looked for first at {@code likely}; -1 if absent. */
        int indexOf(FigureKey key, int likely) {
            if (likely < keys.size() && keys.get(likely).equals(key)) {
                return likely;
            }
            return keys.indexOf(key);
        }
    }

    private static Contributions contributionsOf(CustomerFacts facts, Set<FunnelDimension> cohortDimensions) {
        if (facts == null) {
            return Contributions.NONE;
        }
        String path = facts.path();
        return new Contributions(
                facts.figureKeys(cohortDimensions), facts.liveContribution(path), facts.cohortContribution(path));
    }

    private void update(FigureKey key, Contribution before, Contribution after, long timestamp, Replay replay) {
        String topicKey = key.topicKey();
        FigureBook.Figure figure = figures.figure(topicKey);
        boolean applied = replay == null || !figures.holds(figure, replay.record());
        if (applied) {
            apply(key, figure, before, after, timestamp);
        }
        if (replay == null) {
            figures.changed(figure);
        } else {
            figures.replayed(figure, replay.record(), applied, replay.emitted().of(key.kind()));
        }
    }

    private static void apply(
            FigureKey key, FigureBook.Figure figure, Contribution before, Contribution after, long timestamp) {
        FigureState state = figure.state == null ? new FigureState() : figure.state;
        state.replace(before, after);
        state.updatedAt = Math.max(state.updatedAt, timestamp);
        figure.state = state.isEmpty() ? null : state;
        if (key.isCohort()) {
            figure.replaceStays(before == null ? List.of() : before.stays(), after == null ? List.of() : after.stays());
        }
    }

    private void rememberTenant(String tenant) {
        if (rememberedTenants.contains(tenant)) {
            return;
        }
        if (renderedRules.get(tenant) == null) {
            renderedRules.put(tenant, rulesOf(tenant).getVersion());
        }
        rememberedTenants.add(tenant);
    }

    /**
     * Writes out every figure of {@code kind} changed since the last emission, and with the changed day
     * cohort figures of the {@link Cohorts#SUMMED_DIMENSIONS} their weeks and months, summed from their days.
     * A week or month figure of those dimensions found among the changed ones was written by a version that
     * counted it change by change (and marked after a change of rules, or before a restart): its own sums are
     * not read, it is summed like the others and deleted.
     */
    private void emitDirtyFigures(FunnelKind kind, long now) {
        long started = emission.started();
        long emittedBefore = emitted;
        Map<String, FigureRenderer.Stages> stagesByTenant = new HashMap<>();
        Map<String, RollUpKey> rollUps = new LinkedHashMap<>();
        List<FigureBook.Figure> formerRollUps = new ArrayList<>();
        for (FigureBook.Figure figure : figures.dirty(kind)) {
            FigureKey key = figure.key;
            if (key.isCohort() && Cohorts.SUMMED_DIMENSIONS.contains(key.dimension())) {
                List<Cohorts.RollUp> ofDay = Cohorts.rollUpsOf(key.period());
                Cohorts.RollUp former = ofDay.isEmpty() ? Cohorts.rollUpNamed(key.period()) : null;
                for (Cohorts.RollUp rollUp : former == null ? ofDay : List.of(former)) {
                    RollUpKey rolledUp = new RollUpKey(key.withPeriod(rollUp.period()), rollUp.days());
                    rollUps.putIfAbsent(rolledUp.key().topicKey(), rolledUp);
                }
                if (former != null) {
                    formerRollUps.add(figure);
                    continue;
                }
            }
            Map<String, StageTimes.Percentiles> times = key.isCohort() ? figure.percentiles() : Map.of();
            emit(figure.topicKey, key, figure.state, times, stagesByTenant, now);
        }
        for (RollUpKey rollUp : rollUps.values()) {
            emitRollUp(rollUp, stagesByTenant, now);
        }
        formerRollUps.forEach(figures::forget);
        figures.emitted(kind);
        emission.emitted(started, Math.toIntExact(emitted - emittedBefore));
    }

    /** A week or month cohort figure and the days it sums. */
    private record RollUpKey(FigureKey key, List<String> days) {}

    private void emitRollUp(RollUpKey rollUp, Map<String, FigureRenderer.Stages> stagesByTenant, long now) {
        FigureKey key = rollUp.key();
        FigureState sum = null;
        Map<String, StaysSum> stays = new HashMap<>();
        for (String day : rollUp.days()) {
            FigureBook.Figure dayFigure = figures.existing(key.withPeriod(day).topicKey());
            if (dayFigure != null && dayFigure.state != null) {
                sum = sum == null ? new FigureState() : sum;
                sum.add(dayFigure.state);
                dayFigure.stays.forEach(
                        (stage, dayStays) -> stays.computeIfAbsent(stage, name -> staysSum(stays.size()))
                                .add(dayStays));
            }
        }
        Map<String, StageTimes.Percentiles> times = new HashMap<>();
        stays.forEach((stage, stageStays) -> times.put(stage, stageStays.percentilesAndClear()));
        emit(key.topicKey(), key, sum, times, stagesByTenant, now);
    }

    /** The {@code index}th of the sums of stays kept for summing a week's or month's stages, one a stage. */
    private StaysSum staysSum(int index) {
        while (staysSums.size() <= index) {
            staysSums.add(new StaysSum());
        }
        return staysSums.get(index);
    }

    /** Forwards a figure's sums rendered with its tenant's rules, or a tombstone if they are null. */
    private void emit(
            String topicKey,
            FigureKey key,
            FigureState state,
            Map<String, StageTimes.Percentiles> times,
            Map<String, FigureRenderer.Stages> stagesByTenant,
            long now) {
        emitted++;
        if (state == null) {
            context.forward(new Record<>(topicKey, null, now));
            return;
        }
        FigureRenderer.Stages stages =
                stagesByTenant.computeIfAbsent(key.tenant(), tenant -> renderer.stagesOf(rulesOf(tenant)));
        context.forward(new Record<>(topicKey, renderer.render(key, state, times, stages), state.updatedAt));
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
            figures.keysOf(tenant.key).forEach(figures::markDirty);
            renderedRules.put(tenant.key, tenant.value);
        }
    }

    private TenantRules rulesOf(String tenant) {
        return TenantRulesStore.rulesOf(rules, tenant);
    }
}
