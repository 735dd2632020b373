package io.leadflow.processor.funnel;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.StageVisit;
import io.leadflow.schemas.Keys;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The test oracle: every funnel figure recomputed from scratch from the customers as they are now and the
 * rules in force, the way a {@code GROUP BY} over the whole customer table would, written independently of
 * the streaming code. {@code updatedAt} is left at the epoch: only the stream knows when a figure changed.
 */
final class BruteForceFunnel {

    private BruteForceFunnel() {}

    static Map<String, FunnelFigure> figures(
            Collection<CustomerSnapshot> customers, List<FunnelStage> stages, String zone) {
        Map<String, List<CustomerSnapshot>> groups = new TreeMap<>();
        for (CustomerSnapshot customer : customers) {
            for (String key : keysOf(customer, zone)) {
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(customer);
            }
        }
        Map<String, FunnelFigure> figures = new TreeMap<>();
        groups.forEach((key, group) -> figures.put(key, figure(key, group, stages)));
        return figures;
    }

    private static List<String> keysOf(CustomerSnapshot customer, String zone) {
        LocalDate day = customer.getFirstLeadAt().atZone(ZoneId.of(zone)).toLocalDate();
        List<String> periods = List.of(
                "live",
                day.toString(),
                day.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                        + String.format("%02d", day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
                day.format(DateTimeFormatter.ofPattern("yyyy-MM")));
        String tenant = customer.getTenant();
        List<String> keys = new ArrayList<>();
        for (String period : periods) {
            keys.add(Keys.funnel(tenant, FunnelDimension.TENANT, period, tenant));
            if (customer.getOwner() != null && customer.getTeam() != null) {
                keys.add(Keys.funnel(tenant, FunnelDimension.TEAM, period, customer.getTeam()));
            }
            if (customer.getOwner() != null) {
                keys.add(Keys.funnel(tenant, FunnelDimension.OWNER, period, customer.getOwner()));
            }
            if (customer.getSource() != null) {
                keys.add(Keys.funnel(tenant, FunnelDimension.SOURCE, period, customer.getSource()));
            }
            if (customer.getCampaign() != null) {
                keys.add(Keys.funnel(tenant, FunnelDimension.CAMPAIGN, period, customer.getCampaign()));
            }
        }
        return keys;
    }

    private static FunnelFigure figure(String key, List<CustomerSnapshot> group, List<FunnelStage> stages) {
        String[] parts = key.split("/", 4);
        boolean cohort = !parts[2].equals("live");
        Map<String, FunnelStage> configured = new LinkedHashMap<>();
        stages.stream()
                .sorted(Comparator.comparingInt(FunnelStage::getOrder).thenComparing(FunnelStage::getName))
                .forEach(stage -> configured.putIfAbsent(stage.getName(), stage));
        Set<String> unconfigured = new TreeSet<>();
        group.forEach(customer -> unconfigured.addAll(visited(customer)));
        unconfigured.removeAll(configured.keySet());

        List<StageFigure> figures = new ArrayList<>();
        Long previousReached = null;
        for (FunnelStage stage : configured.values()) {
            long reached =
                    group.stream().filter(c -> hasReached(c, stage, configured)).count();
            Double conversion = null;
            if (!stage.getClosedLost()) {
                conversion =
                        previousReached == null || previousReached == 0 ? null : (double) reached / previousReached;
                previousReached = reached;
            }
            figures.add(stageFigure(stage.getName(), group, stage.getWinProbability(), reached, conversion, cohort));
        }
        for (String name : unconfigured) {
            long reached = group.stream().filter(c -> visited(c).contains(name)).count();
            figures.add(stageFigure(name, group, 0.0, reached, null, cohort));
        }
        return FunnelFigure.newBuilder()
                .setTenant(parts[0])
                .setDimension(FunnelDimension.valueOf(parts[1]))
                .setPeriod(parts[2])
                .setDimensionValue(parts[3])
                .setKind(cohort ? FunnelKind.COHORT : FunnelKind.SNAPSHOT)
                .setStages(figures)
                .setWon(countIn(group, configured.values().stream().filter(FunnelStage::getClosedWon)))
                .setLost(countIn(group, configured.values().stream().filter(FunnelStage::getClosedLost)))
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }

    private static long countIn(List<CustomerSnapshot> group, java.util.stream.Stream<FunnelStage> stages) {
        Set<String> names = stages.map(FunnelStage::getName).collect(Collectors.toSet());
        return group.stream().filter(c -> names.contains(c.getStage())).count();
    }

    private static boolean hasReached(
            CustomerSnapshot customer, FunnelStage stage, Map<String, FunnelStage> configured) {
        if (stage.getClosedLost()) {
            return visited(customer).contains(stage.getName());
        }
        return visited(customer).stream()
                .map(configured::get)
                .anyMatch(v -> v != null && !v.getClosedLost() && v.getOrder() >= stage.getOrder());
    }

    private static StageFigure stageFigure(
            String name,
            List<CustomerSnapshot> group,
            double probability,
            long reached,
            Double conversion,
            boolean cohort) {
        List<CustomerSnapshot> inStage =
                group.stream().filter(c -> c.getStage().equals(name)).toList();
        BigDecimal amount = inStage.stream()
                .map(c -> c.getAmount() == null ? BigDecimal.ZERO : c.getAmount())
                .reduce(BigDecimal.valueOf(0, 2), BigDecimal::add);
        BigDecimal weighted = inStage.stream()
                .map(c -> c.getAmount() == null ? BigDecimal.ZERO : c.getAmount())
                .map(a -> a.multiply(BigDecimal.valueOf(probability)))
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_EVEN);
        Long p50 = null;
        Long p90 = null;
        if (cohort) {
            Histogram stays = new Histogram(StageTimes.SIGNIFICANT_DIGITS);
            for (CustomerSnapshot customer : group) {
                List<StageVisit> visits = customer.getStageHistory();
                for (int i = 0; i + 1 < visits.size(); i++) {
                    if (visits.get(i).getStage().equals(name)) {
                        stays.recordValue(visits.get(i + 1).getEnteredAt().toEpochMilli()
                                - visits.get(i).getEnteredAt().toEpochMilli());
                    }
                }
            }
            if (stays.getTotalCount() > 0) {
                p50 = stays.getValueAtPercentile(50);
                p90 = stays.getValueAtPercentile(90);
            }
        }
        return StageFigure.newBuilder()
                .setStage(name)
                .setCount(inStage.size())
                .setAmount(amount.setScale(2))
                .setWeightedAmount(weighted)
                .setReached(reached)
                .setConversionRate(conversion)
                .setTimeInStageP50Millis(p50)
                .setTimeInStageP90Millis(p90)
                .build();
    }

    private static Set<String> visited(CustomerSnapshot customer) {
        Set<String> visited = new HashSet<>();
        customer.getStageHistory().forEach(visit -> visited.add(visit.getStage()));
        visited.add(customer.getStage());
        return visited;
    }

    /** Figures with {@code updatedAt} at the epoch, to compare with {@link #figures}. */
    static Map<String, FunnelFigure> withoutUpdatedAt(Map<String, FunnelFigure> figures) {
        Map<String, FunnelFigure> normalised = new HashMap<>();
        figures.forEach((key, figure) -> normalised.put(
                key, FunnelFigure.newBuilder(figure).setUpdatedAt(Instant.EPOCH).build()));
        return new TreeMap<>(normalised);
    }
}
