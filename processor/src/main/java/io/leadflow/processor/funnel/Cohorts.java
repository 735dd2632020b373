package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cohort periods of a first lead: its day ({@code 2026-11-27}), ISO week ({@code 2026-W48}, of the
 * week-based year) and month ({@code 2026-11}), in the tenant's time zone. Day figures are counted change
 * by change; so are the weeks and months of the owners and teams. Those of the tenant, sources and
 * campaigns are the sums of their days' figures ({@link RollUp}), added up when a day is emitted.
 */
final class Cohorts {

    /** The period of snapshot figures. */
    static final String LIVE = "live";

    /**
     * The dimensions whose week and month figures are summed from their days at each emission instead of
     * counted change by change. They have few values, so between two emissions many changes touch each of
     * their weeks and months, and one sum costs less than counting them all; an owner's or a team's week
     * sees a change or two, and summing its days at every emission costs more ({@code FunnelBench} with
     * owner and team cohorts, theirs summed too: 66 µs per event, against 61 µs counted).
     */
    static final Set<FunnelDimension> SUMMED_DIMENSIONS = Collections.unmodifiableSet(
            EnumSet.of(FunnelDimension.TENANT, FunnelDimension.SOURCE, FunnelDimension.CAMPAIGN));

    private static final Map<Set<FunnelDimension>, Set<FunnelDimension>> COUNTED_ROLL_UPS = new ConcurrentHashMap<>();

    // Parsing a zone id for every change costs more than cutting the periods; the zones in use are few.
    private static final int MAX_ZONES_KEPT = 1_000;
    private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();
    // Each emission sums the weeks and months of every day figure it emits: the days in use are few too.
    private static final int MAX_DAYS_KEPT = 10_000;
    private static final Map<String, List<RollUp>> ROLL_UPS = new ConcurrentHashMap<>();
    private static final Map<String, RollUp> ROLL_UP_BY_PERIOD = new ConcurrentHashMap<>();

    private Cohorts() {}

    /** Day, week and month of a first lead. */
    static List<String> periodsOf(long firstLeadAt, String zone) {
        LocalDate day = localDayOf(firstLeadAt, zone);
        return List.of(day.toString(), weekOf(day), monthOf(day));
    }

    /** Of {@code cohortDimensions}, those whose weeks and months are counted change by change. */
    static Set<FunnelDimension> countedRollUps(Set<FunnelDimension> cohortDimensions) {
        Set<FunnelDimension> counted = COUNTED_ROLL_UPS.get(cohortDimensions);
        if (counted == null) {
            EnumSet<FunnelDimension> notSummed = EnumSet.allOf(FunnelDimension.class);
            notSummed.removeAll(SUMMED_DIMENSIONS);
            notSummed.retainAll(cohortDimensions);
            counted = Collections.unmodifiableSet(notSummed);
            // There are 32 sets of dimensions.
            COUNTED_ROLL_UPS.put(EnumSet.copyOf(cohortDimensions), counted);
        }
        return counted;
    }

    /** The day of a first lead. */
    static String dayOf(long firstLeadAt, String zone) {
        return localDayOf(firstLeadAt, zone).toString();
    }

    /**
     * A week or month cohort period and the days it sums.
     *
     * @param days every day of the period, as {@link #dayOf} writes them
     */
    record RollUp(String period, List<String> days) {}

    /**
     * The week and the month a day cohort period is part of, whatever the dimension; none if {@code period}
     * is not a day.
     */
    static List<RollUp> rollUpsOf(String period) {
        List<RollUp> known = ROLL_UPS.get(period);
        if (known != null) {
            return known;
        }
        LocalDate day = parseDay(period);
        if (day == null) {
            return List.of();
        }
        if (ROLL_UPS.size() >= MAX_DAYS_KEPT) {
            return List.of(weekRollUp(day), monthRollUp(day));
        }
        // The seven days of a week share its roll-up, as the days of a month share the month's.
        List<RollUp> rollUps = List.of(
                ROLL_UP_BY_PERIOD.computeIfAbsent(weekOf(day), week -> weekRollUp(day)),
                ROLL_UP_BY_PERIOD.computeIfAbsent(monthOf(day), month -> monthRollUp(day)));
        ROLL_UPS.put(period, rollUps);
        return rollUps;
    }

    private static RollUp weekRollUp(LocalDate day) {
        return new RollUp(weekOf(day), daysFrom(day.with(DayOfWeek.MONDAY), 7));
    }

    private static RollUp monthRollUp(LocalDate day) {
        return new RollUp(monthOf(day), daysFrom(day.withDayOfMonth(1), day.lengthOfMonth()));
    }

    /**
     * The week or month period as {@link #periodsOf} writes it, with its days; null if {@code period} is
     * neither (a day, {@link #LIVE}, or not a period at all).
     */
    static RollUp rollUpNamed(String period) {
        try {
            int dash = period.lastIndexOf('-');
            if (dash <= 0) {
                return null;
            }
            int year = Integer.parseInt(period.substring(0, dash));
            String rest = period.substring(dash + 1);
            if (rest.startsWith("W")) {
                RollUp week = weekRollUp(LocalDate.of(year, 1, 4)
                        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(rest.substring(1))));
                return week.period().equals(period) ? week : null;
            }
            RollUp month = monthRollUp(LocalDate.of(year, Integer.parseInt(rest), 1));
            return month.period().equals(period) ? month : null;
        } catch (RuntimeException notAWeekOrMonth) {
            return null;
        }
    }

    private static LocalDate localDayOf(long firstLeadAt, String zone) {
        return Instant.ofEpochMilli(firstLeadAt).atZone(zoneOrUtc(zone)).toLocalDate();
    }

    private static LocalDate parseDay(String period) {
        // A day is the only period with two dashes after its year: yyyy-MM-dd.
        int dash = period.lastIndexOf('-');
        if (dash < 1 || period.lastIndexOf('-', dash - 1) < 1) {
            return null;
        }
        try {
            return LocalDate.parse(period);
        } catch (DateTimeParseException notADay) {
            return null;
        }
    }

    private static String weekOf(LocalDate day) {
        return padded(day.get(IsoFields.WEEK_BASED_YEAR), 4) + "-W"
                + padded(day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
    }

    private static String monthOf(LocalDate day) {
        return padded(day.getYear(), 4) + "-" + padded(day.getMonthValue(), 2);
    }

    private static List<String> daysFrom(LocalDate first, int count) {
        List<String> days = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            days.add(first.plusDays(i).toString());
        }
        return List.copyOf(days);
    }

    /** An unknown zone id (a bad rules record) falls back to UTC rather than stopping the funnel. */
    static ZoneId zoneOrUtc(String zone) {
        ZoneId known = ZONES.get(zone);
        if (known != null) {
            return known;
        }
        ZoneId parsed;
        try {
            parsed = ZoneId.of(zone);
        } catch (RuntimeException e) {
            parsed = ZoneId.of("UTC");
        }
        if (ZONES.size() < MAX_ZONES_KEPT) {
            ZONES.put(zone, parsed);
        }
        return parsed;
    }

    /** {@code value} with leading zeros to {@code digits} digits, as {@code %0<digits>d} writes it. */
    private static String padded(int value, int digits) {
        if (value < 0) {
            return String.format("%0" + digits + "d", value);
        }
        String text = Integer.toString(value);
        return text.length() >= digits ? text : "0".repeat(digits - text.length()) + text;
    }
}
