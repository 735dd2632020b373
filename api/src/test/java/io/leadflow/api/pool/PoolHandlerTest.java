package io.leadflow.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.rules.RulesDocument;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    private static final LocalDate TODAY_IN_SHANGHAI = LocalDate.of(2026, 11, 27);

    @Test
    void countsDaysLeftBeforeAReturnRoundedUp() {
        assertThat(PoolHandler.daysLeft(NOW, NOW.plus(Duration.ofDays(2)).plusSeconds(1)))
                .isEqualTo(3);
        assertThat(PoolHandler.daysLeft(NOW, NOW.plus(Duration.ofDays(2)))).isEqualTo(2);
        assertThat(PoolHandler.daysLeft(NOW, NOW.minusSeconds(5))).isZero();
        assertThat(PoolHandler.daysLeft(NOW, null)).isNull();
    }

    @Test
    void figuresOfTodayAreReadAsTheyAre() {
        PoolViews.OwnerFigures figures = figures(TODAY_IN_SHANGHAI, 4);

        assertThat(figures.asOf(NOW)).isEqualTo(figures);
    }

    @Test
    void figuresOfAnEarlierDayMeanNoClaimsToday() {
        PoolViews.OwnerFigures read = figures(TODAY_IN_SHANGHAI.minusDays(1), 4).asOf(NOW);

        assertThat(read.claimsToday()).isZero();
        assertThat(read.day()).isEqualTo(TODAY_IN_SHANGHAI);
        assertThat(read.held()).isEqualTo(7);
        assertThat(read.sequence()).isEqualTo(12);
    }

    @Test
    void theDayTurnsAtMidnightInTheFiguresTimeZoneNotInUtc() {
        Instant justAfterMidnightInShanghai = Instant.parse("2026-11-27T16:00:00Z");

        PoolViews.OwnerFigures read = figures(TODAY_IN_SHANGHAI, 4).asOf(justAfterMidnightInShanghai);

        assertThat(read.claimsToday()).isZero();
        assertThat(read.day()).isEqualTo(TODAY_IN_SHANGHAI.plusDays(1));
    }

    @Test
    void anOwnerWithoutFiguresHoldsNothingUnderTheTenantsRules() {
        RulesDocument defaults = RulesDocument.defaults("acme");
        RulesDocument rules = new RulesDocument(
                "acme",
                3L,
                NOW,
                "root",
                defaults.pools(),
                defaults.defaults(),
                Map.of(),
                Map.of("east", 40),
                Map.of(),
                null,
                null,
                defaults.stages(),
                "Europe/Berlin",
                "DE");

        PoolViews.OwnerFigures none = PoolViews.OwnerFigures.none("li.lei", "east", rules, NOW);

        assertThat(none.held()).isZero();
        assertThat(none.heldCountingCapacity()).isZero();
        assertThat(none.claimsToday()).isZero();
        assertThat(none.capacity()).isEqualTo(40);
        assertThat(none.dailyClaimLimit()).isEqualTo(50);
        assertThat(none.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(none.day()).isEqualTo(TODAY_IN_SHANGHAI);
        assertThat(none.rulesVersion()).isEqualTo(3);
        assertThat(none.sequence()).isZero();
        assertThat(none.updatedAt()).isNull();
    }

    private static PoolViews.OwnerFigures figures(LocalDate day, long claims) {
        return new PoolViews.OwnerFigures(
                "li.lei", "east", 7, 6, 10, claims, 5, day, "Asia/Shanghai", 2, 12, NOW.minusSeconds(60));
    }
}
