package io.leadflow.processor.funnel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.List;

/**
 * The cohort periods of a first lead: its day ({@code 2026-11-27}), ISO week ({@code 2026-W48}, of the
 * week-based year) and month ({@code 2026-11}), in the tenant's time zone.
 */
final class Cohorts {

    /** The period of snapshot figures. */
    static final String LIVE = "live";

    private Cohorts() {}

    static List<String> periodsOf(long firstLeadAt, String zone) {
        LocalDate day =
                Instant.ofEpochMilli(firstLeadAt).atZone(zoneOrUtc(zone)).toLocalDate();
        String week =
                "%04d-W%02d".formatted(day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        String month = "%04d-%02d".formatted(day.getYear(), day.getMonthValue());
        return List.of(day.toString(), week, month);
    }

    /** An unknown zone id (a bad rules record) falls back to UTC rather than stopping the funnel. */
    static ZoneId zoneOrUtc(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
