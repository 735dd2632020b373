package io.leadflow.processor.funnel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cohort periods of a first lead: its day ({@code 2026-11-27}), ISO week ({@code 2026-W48}, of the
 * week-based year) and month ({@code 2026-11}), in the tenant's time zone.
 */
final class Cohorts {

    /** The period of snapshot figures. */
    static final String LIVE = "live";

    // Parsing a zone id for every change costs more than cutting the periods; the zones in use are few.
    private static final int MAX_ZONES_KEPT = 1_000;
    private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();

    private Cohorts() {}

    static List<String> periodsOf(long firstLeadAt, String zone) {
        LocalDate day =
                Instant.ofEpochMilli(firstLeadAt).atZone(zoneOrUtc(zone)).toLocalDate();
        String week = padded(day.get(IsoFields.WEEK_BASED_YEAR), 4) + "-W"
                + padded(day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
        String month = padded(day.getYear(), 4) + "-" + padded(day.getMonthValue(), 2);
        return List.of(day.toString(), week, month);
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
