package io.leadflow.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.RefusalReason;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.AvroSerde;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolLifecycleTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final PoolDriver pool = new PoolDriver();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void claimsACustomerFromThePublicPoolAndSchedulesItsReturn() {
        String customer = pool.newCustomer("buyer@acme.example");

        CommandResult result = pool.claim("alice", customer);

        assertAccepted(result);
        CustomerSnapshot held = pool.customer(customer);
        assertThat(held.getOwner()).isEqualTo("alice");
        assertThat(held.getAssignedAt()).isEqualTo(pool.now());
        assertThat(held.getReturnDeadline()).isEqualTo(pool.now().plus(Duration.ofDays(30)));
        assertThat(held.getReturnRule()).isEqualTo(Deadlines.FOLLOW_UP_RULE);
        assertThat(result.getSnapshot()).isEqualTo(held);
        assertThat(pool.events()).extracting(PoolEvent::getType).contains(PoolEventType.CLAIMED);
        assertThat(pool.load("alice")).isEqualTo(new OwnerLoad(1, 0));
    }

    @Test
    void anAssignmentChangesTheHolderAndDeadlineAndKeepsEveryOtherField() {
        String customer = pool.newCustomer("buyer@acme.example");
        CustomerSnapshot before = pool.customer(customer);

        assertAccepted(pool.assign("mia", List.of(PoolCommandHandler.MANAGER), customer, "alice", false));

        CustomerSnapshot after = pool.customer(customer);
        assertThat(after.getOwner()).isEqualTo("alice");
        assertThat(after.getVersion()).isEqualTo(before.getVersion() + 1);
        CustomerSnapshot otherFields = CustomerSnapshot.newBuilder(after)
                .setVersion(before.getVersion())
                .setOwner(before.getOwner())
                .setTeam(before.getTeam())
                .setAssignedAt(before.getAssignedAt())
                .setUpdatedAt(before.getUpdatedAt())
                .setReturnDeadline(before.getReturnDeadline())
                .setReturnRule(before.getReturnRule())
                .build();
        assertThat(otherFields).isEqualTo(before);
    }

    @Test
    void ofTwoClaimsOfOneCustomerExactlyOneWins() {
        String customer = pool.newCustomer("buyer@acme.example");

        CommandResult first = pool.claim("alice", customer);
        CommandResult second = pool.claim("bob", customer);

        assertAccepted(first);
        assertRefused(second, RefusalReason.ALREADY_OWNED);
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
        assertThat(pool.load("bob")).isEqualTo(OwnerLoad.NONE);
    }

    @Test
    void refusesClaimBeyondPrivatePoolCapacity() {
        pool.rules(rules(set -> set.setPrivatePoolCapacity(2)));
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        String third = pool.newCustomer("c@three.example");

        assertAccepted(pool.claim("alice", first));
        assertAccepted(pool.claim("alice", second));

        assertRefused(pool.claim("alice", third), RefusalReason.CAPACITY_REACHED);
        assertThat(pool.customer(third).getOwner()).isNull();
    }

    @Test
    void wonCustomersDoNotCountAgainstCapacityUnlessTheTenantSaysSo() {
        pool.rules(rules(set -> set.setPrivatePoolCapacity(1).setCountWonInCapacity(false)));
        String won = pool.newCustomer("a@one.example");
        String next = pool.newCustomer("b@two.example");
        assertAccepted(pool.claim("alice", won));
        pool.activity(won, ActivityKind.WON, null, new BigDecimal("50000.00"));

        assertAccepted(pool.claim("alice", next));
        assertThat(pool.load("alice")).isEqualTo(new OwnerLoad(2, 1));

        pool.rules(rules(set -> set.setPrivatePoolCapacity(1).setCountWonInCapacity(true)));
        String third = pool.newCustomer("c@three.example");
        assertAccepted(pool.release("alice", next, "not a fit"));
        assertRefused(pool.claim("alice", third), RefusalReason.CAPACITY_REACHED);
    }

    @Test
    void dailyLimitCountsClaimsMadeSoReleasingDoesNotGiveOneBack() {
        pool.rules(rules(set -> set.setDailyClaimLimit(2).setReclaimCooldownDays(null)));
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        String third = pool.newCustomer("c@three.example");

        assertAccepted(pool.claim("alice", first));
        assertRefused(pool.claim("alice", first), RefusalReason.ALREADY_OWNED); // refused: uses no quota
        assertAccepted(pool.claim("alice", second));
        assertAccepted(pool.release("alice", second, "wrong region"));

        assertRefused(pool.claim("alice", third), RefusalReason.DAILY_LIMIT_REACHED);
        assertRefused(pool.claim("alice", second), RefusalReason.DAILY_LIMIT_REACHED);

        pool.advance(DAY);
        assertAccepted(pool.claim("alice", third));
    }

    @Test
    void thePreviousOwnerWaitsOutTheCooldownOthersDoNot() {
        pool.rules(rules(set -> set.setReclaimCooldownDays(7)));
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        assertAccepted(pool.release("alice", customer, "no budget this year"));

        assertRefused(pool.claim("alice", customer), RefusalReason.COOLDOWN);
        pool.advance(Duration.ofDays(6));
        assertRefused(pool.claim("alice", customer), RefusalReason.COOLDOWN);
        pool.advance(Duration.ofDays(1));
        assertAccepted(pool.claim("alice", customer));
        assertAccepted(pool.release("alice", customer, "again"));
        assertAccepted(pool.claim("bob", customer));
        assertThat(pool.events())
                .filteredOn(event -> event.getType() == PoolEventType.RELEASED)
                .extracting(PoolEvent::getReason)
                .containsExactly("no budget this year", "again");
    }

    @Test
    void returnsCustomerToPublicPoolAfterFollowUpDeadline() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        pool.advance(Duration.ofDays(30).minusSeconds(2));
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
        pool.advance(Duration.ofSeconds(2));

        CustomerSnapshot returned = pool.customer(customer);
        assertThat(returned.getOwner()).isNull();
        assertThat(returned.getPoolId()).isEqualTo(TenantRulesDefaults.DEFAULT_POOL);
        assertThat(returned.getReturnDeadline()).isNull();
        PoolEvent event = lastOfType(PoolEventType.RETURNED);
        assertThat(event.getFromOwner()).isEqualTo("alice");
        assertThat(event.getRule()).isEqualTo(Deadlines.FOLLOW_UP_RULE);
        assertThat(pool.load("alice")).isEqualTo(OwnerLoad.NONE);
        assertRefused(pool.claim("alice", customer), RefusalReason.COOLDOWN);
        assertAccepted(pool.claim("bob", customer));
    }

    @Test
    void aFollowUpMovesTheDeadline() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        pool.advance(Duration.ofDays(20));

        pool.followUp(customer);

        assertThat(pool.customer(customer).getReturnDeadline())
                .isEqualTo(pool.now().plus(Duration.ofDays(30)));
        pool.advance(Duration.ofDays(20));
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
    }

    @Test
    void returnsAWorkedCustomerThatIsNotWonByTheCloseDeadline() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        for (int month = 0; month < 3; month++) {
            pool.advance(Duration.ofDays(25));
            pool.followUp(customer);
            if (month < 2) {
                assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
            }
        }
        assertThat(pool.customer(customer).getReturnRule()).isEqualTo(Deadlines.CLOSE_RULE);

        pool.advance(Duration.ofDays(15));

        assertThat(pool.customer(customer).getOwner()).isNull();
        assertThat(lastOfType(PoolEventType.RETURNED).getRule()).isEqualTo(Deadlines.CLOSE_RULE);
    }

    @Test
    void levelOverridesSetTheirOwnDays() {
        pool.rules(rules(set -> {})
                .setLevelOverrides(Map.of(
                        "A",
                        PoolRuleSet.newBuilder()
                                .setFollowUpDays(7)
                                .setCountWonInCapacity(false)
                                .build())));
        String keyAccount = pool.newCustomer("a@one.example", null, "A");
        String ordinary = pool.newCustomer("b@two.example", null, "C");

        assertAccepted(pool.claim("alice", keyAccount));
        assertAccepted(pool.claim("alice", ordinary));

        assertThat(pool.customer(keyAccount).getReturnDeadline())
                .isEqualTo(pool.now().plus(Duration.ofDays(7)));
        assertThat(pool.customer(ordinary).getReturnDeadline())
                .isEqualTo(pool.now().plus(Duration.ofDays(30)));
    }

    @Test
    void warnsOnceBeforeTheDeadlineAndAgainForANewDeadline() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        pool.advance(Duration.ofDays(27));
        pool.advance(Duration.ofHours(1));
        pool.advance(Duration.ofHours(1));
        assertThat(ofType(PoolEventType.RETURN_WARNING)).hasSize(1);
        assertThat(lastOfType(PoolEventType.RETURN_WARNING).getDeadline())
                .isEqualTo(pool.customer(customer).getReturnDeadline());

        pool.followUp(customer);
        pool.advance(Duration.ofDays(26));
        assertThat(ofType(PoolEventType.RETURN_WARNING)).hasSize(1);
        pool.advance(Duration.ofDays(1));
        assertThat(ofType(PoolEventType.RETURN_WARNING)).hasSize(2);
    }

    @Test
    void theCustomersStoreKeepsTheBytesSentOnTheTopicWhichItsEarlierSerdeWroteToo() {
        String customer = pool.newCustomer("a@one.example"); // reads its snapshot off the customers topic
        assertAccepted(pool.claim("alice", customer));

        Map.Entry<List<byte[]>, List<byte[]>> written = pool.customersTopicAndChangelog();

        assertThat(written.getKey()).hasSize(1);
        assertThat(written.getValue()).hasSize(2).endsWith(written.getKey().get(0));
        // The store's serde before it held bytes: changelogs it wrote restore into the store as it is now.
        AvroSerde<CustomerSnapshot> earlierStoreSerde = AvroSerde.of(CustomerSnapshot.class);
        for (byte[] sent : written.getValue()) {
            CustomerSnapshot snapshot = earlierStoreSerde.deserializer().deserialize("changelog", sent);
            assertThat(earlierStoreSerde.serializer().serialize("changelog", snapshot))
                    .isEqualTo(sent);
        }
    }

    @Test
    void withoutAReminderTheScheduleIsTheSnapshotsDeadlineAndIsNotStoredAgain() {
        pool.rules(rules(set -> set.setReminderDays(null)));
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        assertThat(pool.storedSchedule(customer)).isNull();
        assertThat(pool.deadlineEntries()).isEqualTo(1);

        pool.advance(Duration.ofDays(20));
        pool.followUp(customer);

        assertThat(pool.storedSchedule(customer)).isNull();
        assertThat(pool.deadlineEntries()).isEqualTo(1);
        pool.advance(Duration.ofDays(30).minusSeconds(2));
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
        pool.advance(Duration.ofSeconds(2));
        assertThat(pool.customer(customer).getOwner()).isNull();
        assertThat(ofType(PoolEventType.RETURN_WARNING)).isEmpty();
        assertThat(pool.deadlineEntries()).isZero();
    }

    @Test
    void aScheduleStoredByAnEarlierVersionIsReadAndDroppedWhenItsCustomerChanges() {
        pool.rules(rules(set -> set.setReminderDays(null)));
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        CustomerSnapshot held = pool.customer(customer);
        // What the processor stored for every held customer before schedules without a warning were left out.
        pool.storeSchedule(customer, held.getReturnDeadline().toEpochMilli() + "|" + held.getReturnRule() + "||");

        pool.advance(Duration.ofDays(20));
        pool.followUp(customer);

        assertThat(pool.storedSchedule(customer)).isNull();
        assertThat(pool.deadlineEntries()).isEqualTo(1);
        pool.advance(Duration.ofDays(10));
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");
        pool.advance(Duration.ofDays(20));
        assertThat(pool.customer(customer).getOwner()).isNull();
        assertThat(pool.deadlineEntries()).isZero();
    }

    @Test
    void aRuleChangeRetimesExistingDeadlines() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));
        java.time.Instant claimedAt = pool.now();

        pool.rules(rules(set -> set.setFollowUpDays(10)));
        pool.advance(Duration.ofSeconds(1));

        assertThat(pool.customer(customer).getReturnDeadline()).isEqualTo(claimedAt.plus(Duration.ofDays(10)));
        pool.advance(Duration.ofDays(10));
        assertThat(pool.customer(customer).getOwner()).isNull();
    }

    @Test
    void aLockedCustomerNeverReturnsUntilUnlocked() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        assertAccepted(pool.lock("alice", customer));
        assertThat(pool.customer(customer).getReturnDeadline()).isNull();
        pool.advance(Duration.ofDays(100));
        assertThat(pool.customer(customer).getOwner()).isEqualTo("alice");

        assertAccepted(pool.unlock("alice", customer));
        assertThat(pool.customer(customer).getReturnDeadline()).isNotNull();
        pool.advance(Duration.ofDays(100));
        assertThat(pool.customer(customer).getOwner()).isNull();
        assertThat(pool.events()).extracting(PoolEvent::getType).contains(PoolEventType.LOCKED, PoolEventType.UNLOCKED);
    }

    @Test
    void aWonCustomerIsExemptFromReturn() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        pool.activity(customer, ActivityKind.WON, null, new BigDecimal("120000.00"));
        pool.advance(Duration.ofDays(365));

        CustomerSnapshot won = pool.customer(customer);
        assertThat(won.getOwner()).isEqualTo("alice");
        assertThat(won.getStage()).isEqualTo("WON");
        assertThat(won.getAmount()).isEqualByComparingTo("120000.00");
        assertThat(won.getStageHistory()).extracting(visit -> visit.getStage()).containsExactly("NEW", "WON");
    }

    @Test
    void anActivitySentAgainIsNotAppliedAgain() {
        String customer = pool.newCustomer("a@one.example");
        pool.activity("act-1", customer, ActivityKind.STAGE_CHANGE, "PROPOSAL", new BigDecimal("1000.00"));
        pool.activity("act-2", customer, ActivityKind.STAGE_CHANGE, "NEGOTIATION", new BigDecimal("900.00"));

        pool.activity("act-1", customer, ActivityKind.STAGE_CHANGE, "PROPOSAL", new BigDecimal("1000.00"));

        CustomerSnapshot snapshot = pool.customer(customer);
        assertThat(snapshot.getStage()).isEqualTo("NEGOTIATION");
        assertThat(snapshot.getAmount()).isEqualByComparingTo("900.00");
        assertThat(snapshot.getStageHistory())
                .extracting(visit -> visit.getStage())
                .containsExactly("NEW", "PROPOSAL", "NEGOTIATION");
    }

    @Test
    void customersAtOrPastTheExemptionStageDoNotReturn() {
        pool.rules(rules(set -> set.setExemptFromStage("PROPOSAL")));
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        pool.activity(customer, ActivityKind.STAGE_CHANGE, "NEGOTIATION", null);

        assertThat(pool.customer(customer).getReturnDeadline()).isNull();
        pool.activity(customer, ActivityKind.STAGE_CHANGE, "QUALIFIED", null);
        assertThat(pool.customer(customer).getReturnDeadline()).isNotNull();
    }

    @Test
    void onlyManagersAssignAndTransferAndOnlyAdminsForcePastCapacity() {
        pool.rules(rules(set -> set.setPrivatePoolCapacity(1)));
        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");

        assertRefused(pool.assign("alice", List.of("sales"), first, "bob", false), RefusalReason.NOT_PERMITTED);
        assertAccepted(pool.assign("maria", List.of("manager"), first, "bob", false));
        assertRefused(pool.assign("maria", List.of("manager"), second, "bob", false), RefusalReason.CAPACITY_REACHED);
        assertRefused(pool.assign("maria", List.of("manager"), second, "bob", true), RefusalReason.NOT_PERMITTED);
        assertAccepted(pool.assign("root", List.of("admin"), second, "bob", true));
        assertThat(lastOfType(PoolEventType.ASSIGNED).getReason()).contains("forced");

        assertAccepted(pool.transfer("maria", List.of("manager"), first, "carol", false));
        assertThat(pool.customer(first).getOwner()).isEqualTo("carol");
        assertThat(lastOfType(PoolEventType.TRANSFERRED).getFromOwner()).isEqualTo("bob");
        assertThat(pool.load("bob")).isEqualTo(new OwnerLoad(1, 0));
        assertThat(pool.load("carol")).isEqualTo(new OwnerLoad(1, 0));
    }

    @Test
    void onlyTheOwnerOrAManagerReleases() {
        String customer = pool.newCustomer("a@one.example");
        assertAccepted(pool.claim("alice", customer));

        assertRefused(pool.release("bob", customer, "mine now?"), RefusalReason.NOT_OWNER);
        assertAccepted(pool.command("maria", List.of("manager"), customer, new io.leadflow.avro.Release("reorg")));
        assertThat(pool.customer(customer).getOwner()).isNull();
    }

    @Test
    void aRetriedCommandIsAnsweredAgainNotAppliedTwice() {
        pool.rules(rules(set -> set.setDailyClaimLimit(1)));
        String customer = pool.newCustomer("a@one.example");
        PoolCommand claim = PoolCommand.newBuilder()
                .setCommandId("retry-me")
                .setTenant(PoolDriver.TENANT)
                .setActor("alice")
                .setActorRoles(List.of("sales"))
                .setIssuedAt(pool.now())
                .setCustomerId(customer)
                .setPayload(new io.leadflow.avro.Claim())
                .build();

        CommandResult first = pool.send(claim);
        CommandResult again = pool.send(claim);

        assertAccepted(first);
        assertThat(again).isEqualTo(first);
        assertThat(pool.customer(customer).getVersion())
                .isEqualTo(first.getSnapshot().getVersion());
    }

    @Test
    void aNewCustomerGoesToItsIntendedOwnerWhenTheyHaveRoom() {
        pool.rules(rules(set -> set.setPrivatePoolCapacity(1)));

        String first = pool.newCustomer("a@one.example", "alice", null);
        String second = pool.newCustomer("b@two.example", "alice", null);

        CustomerSnapshot placed = pool.customer(first);
        assertThat(placed.getOwner()).isEqualTo("alice");
        assertThat(placed.getAssignedAt()).isEqualTo(pool.now());
        assertThat(placed.getReturnDeadline()).isEqualTo(pool.now().plus(Duration.ofDays(30)));
        assertThat(pool.customer(second).getOwner()).as("alice is full").isNull();
        assertThat(pool.customer(second).getPoolId()).isEqualTo(TenantRulesDefaults.DEFAULT_POOL);
        assertThat(pool.events())
                .filteredOn(event -> event.getCustomerId().equals(first))
                .extracting(PoolEvent::getType)
                .containsExactly(PoolEventType.CREATED, PoolEventType.ASSIGNED);
    }

    @Test
    void roundRobinSkipsOwnersAtCapacity() {
        pool.rules(rules(set -> set.setPrivatePoolCapacity(1))
                .setAssignmentStrategy(io.leadflow.avro.AssignmentStrategy.ROUND_ROBIN)
                .setRoundRobinTeam("east")
                .setTeamMembers(Map.of("east", List.of("alice", "bob", "carol"))));

        String first = pool.newCustomer("a@one.example");
        String second = pool.newCustomer("b@two.example");
        String third = pool.newCustomer("c@three.example");
        assertThat(List.of(first, second, third))
                .extracting(id -> pool.customer(id).getOwner())
                .containsExactly("alice", "bob", "carol");
        assertAccepted(pool.command("maria", List.of("manager"), first, new io.leadflow.avro.Release("rebalance")));

        String fourth = pool.newCustomer("d@four.example");
        String fifth = pool.newCustomer("e@five.example");

        assertThat(pool.customer(fourth).getOwner())
                .as("bob and carol are full")
                .isEqualTo("alice");
        assertThat(pool.customer(fourth).getTeam()).isEqualTo("east");
        assertThat(pool.customer(fifth).getOwner()).as("everyone is full").isNull();
    }

    @Test
    void aMergeMovesNoLoadItShouldNot() {
        String survivor = pool.newCustomer("a@one.example");
        String merged = pool.newCustomer("b@two.example");
        assertAccepted(pool.claim("alice", survivor));
        assertAccepted(pool.claim("bob", merged));

        assertAccepted(
                pool.command("maria", List.of("manager"), survivor, new io.leadflow.avro.Merge(survivor, merged)));

        assertThat(pool.load("alice")).isEqualTo(new OwnerLoad(1, 0));
        assertThat(pool.load("bob")).isEqualTo(OwnerLoad.NONE);
        assertThat(pool.deadlineEntries()).isEqualTo(2); // the survivor's return and its warning
    }

    @Test
    void refusesCommandsOnUnknownCustomers() {
        assertRefused(pool.claim("alice", "no-such-customer"), RefusalReason.NOT_FOUND);
    }

    @Test
    void anActivityOnAnUnknownStageIsADeadLetter() {
        String customer = pool.newCustomer("a@one.example");

        pool.activity(customer, ActivityKind.STAGE_CHANGE, "DREAMING", null);

        assertThat(pool.deadLetters())
                .singleElement()
                .satisfies(letter -> assertThat(letter.getReason()).contains("unknown stage 'DREAMING'"));
        assertThat(pool.customer(customer).getStage()).isEqualTo("NEW");
    }

    private static TenantRules.Builder rules(Consumer<PoolRuleSet.Builder> change) {
        return PoolDriver.rulesWith(change);
    }

    private List<PoolEvent> ofType(PoolEventType type) {
        return pool.events().stream().filter(event -> event.getType() == type).toList();
    }

    private PoolEvent lastOfType(PoolEventType type) {
        List<PoolEvent> events = ofType(type);
        assertThat(events).as("events of type " + type).isNotEmpty();
        return events.get(events.size() - 1);
    }

    private static void assertAccepted(CommandResult result) {
        assertThat(result.getOutcome()).as(String.valueOf(result.getMessage())).isEqualTo(CommandOutcome.ACCEPTED);
    }

    private static void assertRefused(CommandResult result, RefusalReason reason) {
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
        assertThat(result.getReason()).as(String.valueOf(result.getMessage())).isEqualTo(reason);
    }
}
