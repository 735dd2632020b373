package io.leadflow.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.Merge;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.Release;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of change that moves an owner's figures emits them on {@code leadflow.owner-figures.v1}, and
 * nothing else does: claims, releases, assignments, transfers (both owners), returns, placement of new customers,
 * merges, won and lost (when won customers do not count), rule changes of capacity or limit, and a new day.
 */
class OwnerFiguresTest {

    private static final List<String> MANAGER = List.of("manager");
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 2); // PoolDriver.START in Asia/Shanghai

    private final PoolDriver pool = new PoolDriver();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aClaimEmitsTheClaimersFiguresKeyedByTenantAndOwner() {
        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(5).setDailyClaimLimit(3)));
        String customer = pool.newCustomer("a@one.example");
        assertThat(pool.ownerFigures())
                .as("a customer in the public pool is nobody's")
                .isEmpty();

        accepted(pool.claim("alice", customer));

        KeyValue<String, OwnerFigures> record = single(pool.ownerFigures());
        assertThat(record.key).isEqualTo(Keys.owner(PoolDriver.TENANT, "alice"));
        OwnerFigures figures = record.value;
        assertThat(figures.getTenant()).isEqualTo(PoolDriver.TENANT);
        assertThat(figures.getOwner()).isEqualTo("alice");
        assertThat(figures.getHeld()).isEqualTo(1);
        assertThat(figures.getHeldCountingCapacity()).isEqualTo(1);
        assertThat(figures.getCapacity()).isEqualTo(5);
        assertThat(figures.getClaimsToday()).isEqualTo(1);
        assertThat(figures.getDailyClaimLimit()).isEqualTo(3);
        assertThat(figures.getDay()).isEqualTo(FIRST_DAY);
        assertThat(figures.getTimeZone()).isEqualTo("Asia/Shanghai");
        assertThat(figures.getRulesVersion()).isEqualTo(1);
        assertThat(figures.getSequence()).isEqualTo(1);
        assertThat(figures.getUpdatedAt()).isEqualTo(pool.now());
    }

    @Test
    void unlimitedCapacityAndLimitAreNull() {
        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(null).setDailyClaimLimit(null)));
        String customer = pool.newCustomer("a@one.example");

        accepted(pool.claim("alice", customer));

        OwnerFigures figures = latest("alice");
        assertThat(figures.getCapacity()).isNull();
        assertThat(figures.getDailyClaimLimit()).isNull();
    }

    @Test
    void aReleaseLowersHeldButNotTheClaimsOfTheDay() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));

        accepted(pool.release("alice", customer, "no budget"));

        assertThat(pool.figuresOf("alice"))
                .extracting(OwnerFigures::getHeld, OwnerFigures::getClaimsToday, OwnerFigures::getSequence)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(0L, 1L, 2L));
    }

    @Test
    void refusedCommandsAndChangesThatMoveNoFigureEmitNothing() {
        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(1)));
        String held = pool.newCustomer("a@one.example");
        String other = pool.newCustomer("b@two.example");
        accepted(pool.claim("alice", held));
        int before = pool.ownerFigures().size();

        refused(pool.claim("bob", held));
        refused(pool.claim("alice", other));
        accepted(pool.lock("alice", held));
        accepted(pool.unlock("alice", held));
        pool.followUp(held);
        pool.activity(held, ActivityKind.STAGE_CHANGE, "QUALIFIED", null);

        assertThat(pool.ownerFigures()).hasSize(before);
    }

    @Test
    void anAssignmentAndATransferEmitTheFiguresOfEveryOwnerTheyTouch() {
        String customer = pool.newCustomer("a@one.example");

        accepted(pool.assign("maria", MANAGER, customer, "bob", false));
        OwnerFigures bobs = latest("bob");
        assertThat(bobs.getHeld()).isEqualTo(1);
        assertThat(bobs.getClaimsToday()).as("an assignment is not a claim").isZero();

        accepted(pool.transfer("maria", MANAGER, customer, "carol", false));

        assertThat(latest("bob").getHeld()).isZero();
        assertThat(latest("bob").getSequence()).isEqualTo(2);
        assertThat(latest("carol").getHeld()).isEqualTo(1);
        assertThat(pool.figuresOf("maria")).as("the manager holds nothing").isEmpty();
    }

    @Test
    void aReturnToThePoolEmitsTheFormerOwnersFiguresForTheDayOfTheReturn() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));

        pool.advance(Duration.ofDays(30));

        assertThat(pool.customer(customer).getOwner()).isNull();
        OwnerFigures figures = latest("alice");
        assertThat(figures.getHeld()).isZero();
        assertThat(figures.getDay()).isEqualTo(FIRST_DAY.plusDays(30));
        assertThat(figures.getClaimsToday())
                .as("no claims on the day of the return")
                .isZero();
    }

    @Test
    void aNewCustomerPlacedWithItsIntendedOwnerCountsInTheirFigures() {
        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(1)));

        pool.newCustomer("a@one.example", "alice", null);
        pool.newCustomer("b@two.example", "alice", null);

        assertThat(pool.figuresOf("alice")).singleElement().satisfies(figures -> {
            assertThat(figures.getHeld()).isEqualTo(1);
            assertThat(figures.getClaimsToday()).isZero();
            assertThat(figures.getCapacity()).isEqualTo(1);
        });
    }

    @Test
    void figuresFollowOnFromTheLastEmittedWhicheverProcessorOfTheTaskEmittedThem() {
        String claimed = pool.newCustomer("a@one.example");
        String claimedLater = pool.newCustomer("b@two.example");

        accepted(pool.claim("alice", claimed)); // the command handler emits
        pool.newCustomer("c@three.example", "alice", null); // the lead resolver emits
        accepted(pool.claim("alice", claimedLater)); // the command handler again
        pool.followUp(claimed); // the activity handler: moves no figure

        assertThat(pool.figuresOf("alice"))
                .extracting(OwnerFigures::getSequence, OwnerFigures::getHeld, OwnerFigures::getClaimsToday)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(2L, 2L, 1L),
                        org.assertj.core.groups.Tuple.tuple(3L, 3L, 2L));
    }

    @Test
    void aMergeTakesTheMergedCustomerOutOfItsOwnersFigures() {
        List<String> held = aliceAndBobHoldOneEach();
        String survivor = held.get(0);
        String merged = held.get(1);

        accepted(pool.command("maria", MANAGER, survivor, new Merge(survivor, merged)));

        assertThat(latest("bob").getHeld()).isZero();
        assertThat(latest("alice").getHeld()).isEqualTo(1);
    }

    @Test
    void aMergedCustomerOfAnOwnerWhoseSurvivorWasUnheldMovesToThatOwner() {
        String survivor = pool.newCustomer("a@one.example");
        String merged = pool.newCustomer("b@two.example");
        accepted(pool.claim("bob", merged));

        accepted(pool.command("maria", MANAGER, survivor, new Merge(survivor, merged)));

        assertThat(pool.customer(survivor).getOwner()).isEqualTo("bob");
        assertThat(latest("bob").getHeld()).isEqualTo(1);
    }

    @Test
    void wonCustomersLeaveTheFiguresCountingCapacityOnlyWhenTheyDoNotCount() {
        pool.rules(PoolDriver.rulesWith(set -> set.setCountWonInCapacity(false)));
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));

        pool.activity(customer, ActivityKind.WON, null, null);
        assertThat(latest("alice").getHeld()).isEqualTo(1);
        assertThat(latest("alice").getHeldCountingCapacity()).isZero();

        pool.activity(customer, ActivityKind.LOST, null, null);
        assertThat(latest("alice").getHeldCountingCapacity()).isEqualTo(1);

        pool.rules(PoolDriver.rulesWith(set -> set.setCountWonInCapacity(true)));
        pool.advance(PoolTopology.CLOCK_INTERVAL);
        int before = pool.figuresOf("alice").size();
        pool.activity(customer, ActivityKind.WON, null, null);
        assertThat(pool.figuresOf("alice"))
                .as("won customers count: nothing moved")
                .hasSize(before);
        assertThat(pool.load("alice")).as("but the load knows it is won").isEqualTo(new OwnerLoad(1, 1));
        pool.rules(PoolDriver.rulesWith(set -> set.setCountWonInCapacity(false)));
        pool.advance(PoolTopology.CLOCK_INTERVAL);
        assertThat(latest("alice").getHeldCountingCapacity()).isZero();
    }

    @Test
    void oneStoreEntryHoldsTheOwnersLoadAndTheFiguresAsSent() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));

        OwnerFiguresPublisher.OwnerEntry entry = OwnerFiguresPublisher.OwnerEntry.decode(pool.rawOwnerEntry("alice"));

        assertThat(entry.load()).isEqualTo(new OwnerLoad(1, 0));
        assertThat(pool.earlierLoad("alice")).isNull();
        byte[] figures = OwnerFiguresPublisher.OwnerEntry.figuresIn(pool.rawOwnerEntry("alice"));
        assertThat(Topics.OWNER_FIGURES.valueSerde().deserializer().deserialize("t", figures))
                .isEqualTo(latest("alice"));
    }

    @Test
    void anOwnerStoredByAnEarlierVersionIsReadAsItIsAndMovesIntoOneEntryAtTheirNextChange() {
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        accepted(pool.claim("alice", first));
        pool.storeOwnerAsEarlierVersion("alice");
        assertThat(pool.earlierLoad("alice")).isEqualTo("1,0");

        pool.followUp(first); // moves nothing: the earlier entries stay
        assertThat(pool.earlierLoad("alice")).isEqualTo("1,0");
        accepted(pool.claim("alice", second));

        assertThat(pool.figuresOf("alice"))
                .extracting(OwnerFigures::getSequence, OwnerFigures::getHeld)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 1L), org.assertj.core.groups.Tuple.tuple(2L, 2L));
        assertThat(pool.earlierLoad("alice")).isNull();
        assertThat(pool.rawOwnerEntry("alice")[0]).isEqualTo(OwnerFiguresPublisher.OwnerEntry.FORMAT);
        assertThat(pool.load("alice")).isEqualTo(new OwnerLoad(2, 0));
        accepted(pool.release("alice", first, null));
        assertThat(latest("alice").getHeld()).isEqualTo(1);
        assertThat(latest("alice").getSequence()).isEqualTo(3);
    }

    @Test
    void aRuleChangeOfCapacityOrLimitReEmitsTheFiguresOfTheTenantsOwners() {
        aliceAndBobHoldOneEach();

        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(10).setDailyClaimLimit(4)));
        pool.advance(PoolTopology.CLOCK_INTERVAL);

        Map<String, OwnerFigures> latest = pool.latestFigures();
        assertThat(latest.values()).extracting(OwnerFigures::getOwner).containsExactlyInAnyOrder("alice", "bob");
        assertThat(latest.values()).allSatisfy(figures -> {
            assertThat(figures.getCapacity()).isEqualTo(10);
            assertThat(figures.getDailyClaimLimit()).isEqualTo(4);
            assertThat(figures.getRulesVersion()).isEqualTo(1);
            assertThat(figures.getSequence()).isEqualTo(2);
            assertThat(figures.getClaimsToday()).isEqualTo(1);
        });

        pool.rules(PoolDriver.rulesWith(set -> set.setPrivatePoolCapacity(10).setDailyClaimLimit(4))
                .setUserCapacity(Map.of("alice", 3)));
        pool.advance(PoolTopology.CLOCK_INTERVAL);
        assertThat(latest("alice").getCapacity()).isEqualTo(3);
        assertThat(latest("bob").getSequence())
                .as("bob's capacity did not change")
                .isEqualTo(2);

        int before = pool.ownerFigures().size();
        pool.rules(PoolDriver.rulesWith(set ->
                        set.setPrivatePoolCapacity(10).setDailyClaimLimit(4).setFollowUpDays(60))
                .setUserCapacity(Map.of("alice", 3)));
        pool.advance(PoolTopology.CLOCK_INTERVAL);
        assertThat(pool.ownerFigures())
                .as("a change of no figure re-emits nothing")
                .hasSize(before);
    }

    @Test
    void claimsAreCountedPerDayInTheTenantsTimeZone() {
        pool.rules(PoolDriver.rulesWith(set -> set.setReclaimCooldownDays(null)));
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        pool.advance(Duration.between(pool.now(), Instant.parse("2026-11-02T15:59:00Z"))); // 23:59 in Shanghai
        accepted(pool.claim("alice", first));
        assertThat(latest("alice").getClaimsToday()).isEqualTo(1);

        pool.advance(Duration.ofMinutes(2)); // 00:01 on the next day in Shanghai, still the same day in UTC
        accepted(pool.claim("alice", second));

        OwnerFigures figures = latest("alice");
        assertThat(figures.getDay()).isEqualTo(FIRST_DAY.plusDays(1));
        assertThat(figures.getClaimsToday()).isEqualTo(1);
        assertThat(figures.getHeld()).isEqualTo(2);
    }

    @Test
    void theFirstChangeOfANewDayEmitsTheDayWithItsOwnClaimCount() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));
        pool.advance(Duration.ofDays(1));
        assertThat(latest("alice").getDay()).as("midnight is lazy").isEqualTo(FIRST_DAY);

        pool.followUp(customer);

        OwnerFigures figures = latest("alice");
        assertThat(figures.getDay()).isEqualTo(FIRST_DAY.plusDays(1));
        assertThat(figures.getClaimsToday()).isZero();
        assertThat(figures.getHeld()).isEqualTo(1);
    }

    @Test
    void ownersWhoHoldCustomersButHaveNoFiguresGetThemFromTheClock() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));
        pool.forgetFigures("alice");

        pool.advance(PoolTopology.CLOCK_INTERVAL);

        assertThat(pool.figuresOf("alice")).hasSize(2);
        assertThat(latest("alice").getHeld()).isEqualTo(1);
        assertThat(latest("alice").getSequence()).isEqualTo(1);
    }

    @Test
    void aManagersReleaseEmitsTheOwnersFigures() {
        String customer = pool.newCustomer("a@one.example");
        accepted(pool.claim("alice", customer));

        accepted(pool.command("maria", MANAGER, customer, new Release("reorg")));

        assertThat(latest("alice").getHeld()).isZero();
        assertThat(pool.figuresOf("maria")).isEmpty();
    }

    /** Two customers claimed today, the first by alice, the second by bob; returns their ids. */
    private List<String> aliceAndBobHoldOneEach() {
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        accepted(pool.claim("alice", first));
        accepted(pool.claim("bob", second));
        return List.of(first, second);
    }

    private OwnerFigures latest(String owner) {
        List<OwnerFigures> figures = pool.figuresOf(owner);
        assertThat(figures).as("figures of " + owner).isNotEmpty();
        return figures.get(figures.size() - 1);
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static void accepted(CommandResult result) {
        assertThat(result.getOutcome()).as(String.valueOf(result.getMessage())).isEqualTo(CommandOutcome.ACCEPTED);
    }

    private static void refused(CommandResult result) {
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
    }
}
