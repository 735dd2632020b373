package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.TenantRules;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * A tenant's configured stages, by name in stage order (then name; a repeated name counts once), and
     * which of them each path reaches, worked out once per path: a tenant's figures share a few paths.
     */
    final class Stages {

        private final List<FunnelStage> ordered;
        private final Map<String, Integer> indexByName;
        private final BigDecimal[] probabilities;
        private final Map<String, Reach> reachByPath = new HashMap<>();

        Stages(TenantRules rules) {
            List<FunnelStage> stages = new ArrayList<>(rules.getStages());
            stages.sort(Comparator.comparingInt(FunnelStage::getOrder).thenComparing(FunnelStage::getName));
            Map<String, FunnelStage> byName = new LinkedHashMap<>();
            for (FunnelStage stage : stages) {
                byName.putIfAbsent(stage.getName(), stage);
            }
            ordered = List.copyOf(byName.values());
            indexByName = new HashMap<>();
            probabilities = new BigDecimal[ordered.size()];
            for (int i = 0; i < ordered.size(); i++) {
                indexByName.put(ordered.get(i).getName(), i);
                probabilities[i] = BigDecimal.valueOf(probabilityOf(ordered.get(i)));
            }
        }

        private boolean isConfigured(String name) {
            return indexByName.containsKey(name);
        }

        private Reach reachOf(String path) {
            Reach reach = reachByPath.get(path);
            if (reach == null) {
                if (reachByPath.size() > MAX_PATHS_KEPT) {
                    reachByPath.clear();
                }
                reach = reach(stagesOf(path));
                reachByPath.put(path, reach);
            }
            return reach;
        }

        /**
         * The configured stages a customer that visited {@code visited} has reached: every stage up to the
         * furthest one visited, lost stages apart (reached only by visiting them); and the stages visited
         * that are not configured.
         */
        private Reach reach(List<String> visited) {
            int furthest = Integer.MIN_VALUE;
            List<String> unconfigured = new ArrayList<>();
            for (String name : visited) {
                Integer index = indexByName.get(name);
                if (index == null) {
                    unconfigured.add(name);
                } else if (!ordered.get(index).getClosedLost()) {
                    furthest = Math.max(furthest, ordered.get(index).getOrder());
                }
            }
            int[] reached = new int[ordered.size()];
            int count = 0;
            for (int i = 0; i < ordered.size(); i++) {
                FunnelStage stage = ordered.get(i);
                boolean hasReached = stage.getClosedLost()
                        ? visited.contains(stage.getName())
                        : furthest != Integer.MIN_VALUE && stage.getOrder() <= furthest;
                if (hasReached) {
                    reached[count++] = i;
                }
            }
            return new Reach(Arrays.copyOf(reached, count), List.copyOf(unconfigured));
        }
    }

    /** The configured stages (indexes into {@link Stages#ordered}) and unconfigured ones a path reaches. */
    private record Reach(int[] configured, List<String> unconfigured) {}

    /** The stages of a tenant's current rules, for {@link #render}. */
    Stages stagesOf(TenantRules rules) {
        return new Stages(rules);
    }

    /** Renders a figure with the tenant's stages ({@link #stagesOf} its current rules). */
    FunnelFigure render(
            FigureKey key, FigureState state, Map<String, StageTimes.Percentiles> times, Stages configured) {
        long[] reached = new long[configured.ordered.size()];
        Map<String, Long> reachedUnconfigured = new HashMap<>();
        for (Map.Entry<String, Long> path : state.paths.entrySet()) {
            Reach reach = configured.reachOf(path.getKey());
            long customers = path.getValue();
            for (int index : reach.configured()) {
                reached[index] += customers;
            }
            for (String name : reach.unconfigured()) {
                reachedUnconfigured.merge(name, customers, Long::sum);
            }
        }
        Set<String> unconfigured = unconfiguredStages(state, times, configured, reachedUnconfigured.keySet());

        List<StageFigure> figures = new ArrayList<>(configured.ordered.size() + unconfigured.size());
        Long previousOnPath = null;
        long won = 0;
        long lost = 0;
        for (int i = 0; i < configured.ordered.size(); i++) {
            FunnelStage stage = configured.ordered.get(i);
            String name = stage.getName();
            FigureState.Cell cell = state.cells.get(name);
            long count = cell == null ? 0 : cell.count;
            long stageReached = reached[i];
            Double conversion = null;
            if (!stage.getClosedLost()) {
                conversion =
                        previousOnPath == null || previousOnPath == 0 ? null : (double) stageReached / previousOnPath;
                previousOnPath = stageReached;
            }
            won += stage.getClosedWon() ? count : 0;
            lost += stage.getClosedLost() ? count : 0;
            figures.add(stageFigure(key, name, cell, configured.probabilities[i], stageReached, conversion, times));
        }
        for (String name : unconfigured) {
            figures.add(stageFigure(
                    key,
                    name,
                    state.cells.get(name),
                    BigDecimal.ZERO,
                    reachedUnconfigured.getOrDefault(name, 0L),
                    null,
                    times));
        }
        // Set field by field: a builder checks and copies every field once more, for each figure emitted.
        FunnelFigure figure = new FunnelFigure();
        figure.setTenant(key.tenant());
        figure.setDimension(key.dimension());
        figure.setDimensionValue(key.value());
        figure.setPeriod(key.period());
        figure.setKind(key.kind());
        figure.setStages(figures);
        figure.setWon(won);
        figure.setLost(lost);
        figure.setUpdatedAt(Instant.ofEpochMilli(state.updatedAt));
        return figure;
    }

    private StageFigure stageFigure(
            FigureKey key,
            String name,
            FigureState.Cell cell,
            BigDecimal probability,
            long reached,
            Double conversion,
            Map<String, StageTimes.Percentiles> times) {
        BigDecimal amount = cell == null ? ZERO : BigDecimal.valueOf(cell.amountCents, 2);
        StageTimes.Percentiles stageTimes =
                key.isCohort() ? times.getOrDefault(name, StageTimes.Percentiles.NONE) : StageTimes.Percentiles.NONE;
        StageFigure figure = new StageFigure();
        figure.setStage(name);
        figure.setCount(cell == null ? 0 : cell.count);
        figure.setAmount(amount);
        figure.setWeightedAmount(weighted(amount, probability));
        figure.setReached(reached);
        figure.setConversionRate(conversion);
        figure.setTimeInStageP50Millis(stageTimes.p50());
        figure.setTimeInStageP90Millis(stageTimes.p90());
        return figure;
    }

    private static BigDecimal weighted(BigDecimal amount, BigDecimal probability) {
        return amount.multiply(probability).setScale(2, RoundingMode.HALF_EVEN);
    }

    private static double probabilityOf(FunnelStage stage) {
        double probability = stage.getWinProbability();
        return Double.isFinite(probability) ? probability : 0.0;
    }

    /**
     * Stages of the figure (a customer in it, a path through it, stays in it) that are not configured, in
     * name order; usually none, so the set is only made when one turns up.
     */
    private static Set<String> unconfiguredStages(
            FigureState state, Map<String, StageTimes.Percentiles> times, Stages configured, Set<String> onPaths) {
        Set<String> names = onPaths.isEmpty() ? Set.of() : new TreeSet<>(onPaths);
        for (String name : state.cells.keySet()) {
            names = withUnconfigured(names, name, configured);
        }
        for (String name : times.keySet()) {
            names = withUnconfigured(names, name, configured);
        }
        return names;
    }

    private static Set<String> withUnconfigured(Set<String> names, String name, Stages configured) {
        if (configured.isConfigured(name) || names.contains(name)) {
            return names;
        }
        Set<String> more = names instanceof TreeSet<String> ? names : new TreeSet<>(names);
        more.add(name);
        return more;
    }

    /** The stages of a path; a tenant's figures share a few paths, so each is split once. */
    private List<String> stagesOf(String path) {
        if (paths.size() > MAX_PATHS_KEPT) {
            paths.clear();
        }
        return paths.computeIfAbsent(path, p -> List.of(p.split(String.valueOf(CustomerFacts.PATH_SEPARATOR), -1)));
    }
}
