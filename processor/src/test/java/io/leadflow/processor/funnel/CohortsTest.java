package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.FunnelDimension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CohortsTest {

    @ParameterizedTest(name = "{0} is in {1} ({2} .. {3}) and {4} ({5} days)")
    @CsvSource({
        "2026-11-27, 2026-W48, 2026-11-23, 2026-11-29, 2026-11, 30",
        // 2026 begins on a Thursday: it has a 53rd ISO week, which ends in 2027.
        "2027-01-01, 2026-W53, 2026-12-28, 2027-01-03, 2027-01, 31",
        "2026-12-31, 2026-W53, 2026-12-28, 2027-01-03, 2026-12, 31",
        // 2024-12-30 is a Monday in week 1 of 2025.
        "2024-12-30, 2025-W01, 2024-12-30, 2025-01-05, 2024-12, 31",
        "2024-02-10, 2024-W06, 2024-02-05, 2024-02-11, 2024-02, 29",
        "2026-02-28, 2026-W09, 2026-02-23, 2026-03-01, 2026-02, 28"
    })
    void aDayIsSummedIntoItsIsoWeekAndItsMonth(
            String day, String week, String monday, String sunday, String month, int daysInMonth) {
        List<Cohorts.RollUp> rollUps = Cohorts.rollUpsOf(day);

        assertThat(rollUps).extracting(Cohorts.RollUp::period).containsExactly(week, month);
        assertThat(rollUps.get(0).days())
                .hasSize(7)
                .startsWith(monday)
                .endsWith(sunday)
                .contains(day);
        assertThat(rollUps.get(1).days())
                .hasSize(daysInMonth)
                .startsWith(month + "-01")
                .endsWith(month + "-" + daysInMonth)
                .contains(day);
        assertThat(Cohorts.rollUpNamed(week)).isEqualTo(rollUps.get(0));
        assertThat(Cohorts.rollUpNamed(month)).isEqualTo(rollUps.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"live", "2026-W48", "2026-11", "", "2026-11-31", "x-y-z"})
    void onlyADayHasWeeksAndMonthsToBeSummedInto(String period) {
        assertThat(Cohorts.rollUpsOf(period)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"live", "2026-11-27", "2026-W54", "2025-W53", "2026-W00", "2026-13", "2026-1", "W48", ""})
    void aPeriodThatIsNoWeekOrMonthAsTheyAreWrittenNamesNone(String period) {
        assertThat(Cohorts.rollUpNamed(period)).isNull();
    }

    @Test
    void theWeeksAndMonthsOfOwnersAndTeamsAreCountedThoseOfTheOthersSummedFromTheirDays() {
        assertThat(Cohorts.countedRollUps(EnumSet.allOf(FunnelDimension.class)))
                .containsExactlyInAnyOrder(FunnelDimension.OWNER, FunnelDimension.TEAM);
        assertThat(Cohorts.countedRollUps(FunnelSettings.DEFAULT_COHORT_DIMENSIONS))
                .isEmpty();
        assertThat(Cohorts.countedRollUps(EnumSet.of(FunnelDimension.OWNER, FunnelDimension.SOURCE)))
                .containsExactly(FunnelDimension.OWNER);
        assertThat(Cohorts.countedRollUps(EnumSet.noneOf(FunnelDimension.class)))
                .isEmpty();
    }

    @Test
    void theWeekAndMonthOfEveryDayOfFortyYearsAreThoseOfItsFirstLeads() {
        for (LocalDate day = LocalDate.of(2000, 1, 1); day.getYear() < 2040; day = day.plusDays(1)) {
            long firstLeadAt =
                    day.atTime(23, 30).toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
            List<String> periods = Cohorts.periodsOf(firstLeadAt, "Asia/Shanghai");
            String dayPeriod = Cohorts.dayOf(firstLeadAt, "Asia/Shanghai");

            assertThat(dayPeriod).isEqualTo(day.toString()).isEqualTo(periods.get(0));
            assertThat(Cohorts.rollUpsOf(dayPeriod))
                    .extracting(Cohorts.RollUp::period)
                    .containsExactly(periods.get(1), periods.get(2));
            assertThat(Cohorts.rollUpsOf(dayPeriod))
                    .allSatisfy(rollUp -> assertThat(rollUp.days()).contains(dayPeriod));
        }
    }
}
