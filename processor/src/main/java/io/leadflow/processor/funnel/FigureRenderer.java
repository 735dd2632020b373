package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.TenantRules;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a figure's running sums with the tenant's current stage set, so a change of stage order, win
 * probabilities or won/lost flags shows in every figure without recounting a customer:
 *
 * <ul>
 *   <li>configured stages come first, in stage order; stages no longer configured (removed or renamed)
 *       follow in name order for as long as a customer of the figure is in them or has visited them, with
 *       win probability 0 and no conversion rate;
 *   <li>a customer has <em>reached</em> a stage when it visited that stage or any later one, lost stages
 *       apart: those are off the path, reached only by visiting them, and do not carry a customer further;
 *   <li>conversion rate = reached / reached of the previous stage on the path;
 *   <li>weighted amount = the stage's amount × its win probability, rounded half-even to cents once;
 *   <li>time in stage (cohorts only): p50 and p90 of completed stays, from the stays' histogram buckets.
 * </ul>
 */
final class FigureRenderer {

    private static final BigDecimal ZERO = BigDecimal.valueOf(0, 2);
    private static final int MAX_PATHS_KEPT = 10_000;

    private final Map<String, List<String>> paths = new HashMap<>();

    /** Renders a figure with the tenant's stages ({@link #configuredStages} of its current rules). */
    FunnelFigure render(
            FigureKey key,
            FigureState state,
            Map<String, StageTimes.Percentiles> times,
            Map<String, FunnelStage> configured) {
        Set<String> unconfigured = unconfiguredStages(state, times, configured);
        Map<String, Long> reached = reached(state, configured, unconfigured);

        List<StageFigure> figures = new ArrayList<>(configured.size() + unconfigured.size());
        Long previousOnPath = null;
        long won = 0;
        long lost = 0;
        for (FunnelStage stage : configured.values()) {
            String name = stage.getName();
            FigureState.Cell cell = state.cells.get(name);
            long count = cell == null ? 0 : cell.count;
            long stageReached = reached.getOrDefault(name, 0L);
            Double conversion = null;
            if (!stage.getClosedLost()) {
                conversion =
                        previousOnPath == null || previousOnPath == 0 ? null : (double) stageReached / previousOnPath;
                previousOnPath = stageReached;
            }
            won += stage.getClosedWon() ? count : 0;
            lost += stage.getClosedLost() ? count : 0;
            figures.add(stageFigure(key, name, cell, probabilityOf(stage), stageReached, conversion, times));
        }
        for (String name : unconfigured) {
            figures.add(
                    stageFigure(key, name, state.cells.get(name), 0.0, reached.getOrDefault(name, 0L), null, times));
        }
        return FunnelFigure.newBuilder()
                .setTenant(key.tenant())
                .setDimension(key.dimension())
                .setDimensionValue(key.value())
                .setPeriod(key.period())
                .setKind(key.kind())
                .setStages(figures)
                .setWon(won)
                .setLost(lost)
                .setUpdatedAt(Instant.ofEpochMilli(state.updatedAt))
                .build();
    }

    private StageFigure stageFigure(
            FigureKey key,
            String name,
            FigureState.Cell cell,
            double probability,
            long reached,
            Double conversion,
            Map<String, StageTimes.Percentiles> times) {
        BigDecimal amount = cell == null ? ZERO : BigDecimal.valueOf(cell.amountCents, 2);
        StageTimes.Percentiles stageTimes =
                key.isCohort() ? times.getOrDefault(name, StageTimes.Percentiles.NONE) : StageTimes.Percentiles.NONE;
        return StageFigure.newBuilder()
                .setStage(name)
                .setCount(cell == null ? 0 : cell.count)
                .setAmount(amount)
                .setWeightedAmount(weighted(amount, probability))
                .setReached(reached)
                .setConversionRate(conversion)
                .setTimeInStageP50Millis(stageTimes.p50())
                .setTimeInStageP90Millis(stageTimes.p90())
                .build();
    }

    static BigDecimal weighted(BigDecimal amount, double probability) {
        return amount.multiply(BigDecimal.valueOf(probability)).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** The configured stages by name, in stage order (then name); a repeated name counts once. */
    static Map<String, FunnelStage> configuredStages(TenantRules rules) {
        List<FunnelStage> stages = new ArrayList<>(rules.getStages());
        stages.sort(Comparator.comparingInt(FunnelStage::getOrder).thenComparing(FunnelStage::getName));
        Map<String, FunnelStage> byName = new LinkedHashMap<>();
        for (FunnelStage stage : stages) {
            byName.putIfAbsent(stage.getName(), stage);
        }
        return byName;
    }

    private static double probabilityOf(FunnelStage stage) {
        double probability = stage.getWinProbability();
        return Double.isFinite(probability) ? probability : 0.0;
    }

    private Set<String> unconfiguredStages(
            FigureState state, Map<String, StageTimes.Percentiles> times, Map<String, FunnelStage> configured) {
        Set<String> names = new TreeSet<>(state.cells.keySet());
        for (String path : state.paths.keySet()) {
            names.addAll(stagesOf(path));
        }
        names.addAll(times.keySet());
        names.removeAll(configured.keySet());
        return names;
    }

    private Map<String, Long> reached(
            FigureState state, Map<String, FunnelStage> configured, Set<String> unconfigured) {
        Map<String, Long> reached = new HashMap<>();
        for (Map.Entry<String, Long> path : state.paths.entrySet()) {
            List<String> visited = stagesOf(path.getKey());
            long customers = path.getValue();
            int furthest = Integer.MIN_VALUE;
            for (String name : visited) {
                FunnelStage stage = configured.get(name);
                if (stage != null && !stage.getClosedLost()) {
                    furthest = Math.max(furthest, stage.getOrder());
                }
            }
            for (FunnelStage stage : configured.values()) {
                boolean hasReached = stage.getClosedLost()
                        ? visited.contains(stage.getName())
                        : furthest != Integer.MIN_VALUE && stage.getOrder() <= furthest;
                if (hasReached) {
                    reached.merge(stage.getName(), customers, Long::sum);
                }
            }
            for (String name : visited) {
                if (unconfigured.contains(name)) {
                    reached.merge(name, customers, Long::sum);
                }
            }
        }
        return reached;
    }

    /** The stages of a path; a tenant's figures share a few paths, so each is split once. */
    private List<String> stagesOf(String path) {
        if (paths.size() > MAX_PATHS_KEPT) {
            paths.clear();
        }
        return paths.computeIfAbsent(path, p -> List.of(p.split(String.valueOf(CustomerFacts.PATH_SEPARATOR), -1)));
    }
}
