package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.Merge;
import io.leadflow.avro.RefusalReason;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MergeCommandTest {

    private static final List<String> MANAGER = List.of("manager");
    private static final List<String> SALES = List.of("sales");

    private final IdentityDriver identity = new IdentityDriver();

    @AfterEach
    void closeDriver() {
        identity.close();
    }

    @Test
    void theSurvivorGainsLeadsContactsAndKeysAndTheMergedCustomerIsTombstoned() {
        CustomerSnapshot survivor =
                identity.send(aLead("l-1").withCompany("上海星云科技有限公司").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(
                aLead("l-2").withCompany("星云天科技").withPhone("021-60000000").withContactName("李娜"));
        identity.identityEvents.readValuesToList();

        CommandResult result = identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        CustomerSnapshot after = result.getSnapshot();
        assertThat(after.getCustomerId()).isEqualTo(survivor.getCustomerId());
        assertThat(after.getVersion()).isEqualTo(survivor.getVersion() + 1);
        assertThat(after.getLeadIds()).containsExactly("l-1", "l-2");
        assertThat(after.getContacts()).extracting(contact -> contact.getName()).contains("李娜");
        assertThat(after.getMatchKeys()).extracting(key -> key.getValue()).contains("+862160000000", "星云天科技");
        List<KeyValue<String, CustomerSnapshot>> written = identity.customers.readKeyValuesToList();
        assertThat(written)
                .extracting(record -> record.key)
                .containsSubsequence(
                        "acme/" + survivor.getCustomerId(),
                        "acme/" + merged.getCustomerId(),
                        "acme/" + merged.getCustomerId());
        assertThat(written.get(written.size() - 2).value.getMergedInto()).isEqualTo(survivor.getCustomerId());
        assertThat(written.get(written.size() - 1).value).isNull();
        assertThat(identity.stored(merged.getCustomerId())).isNull();
        assertThat(identity.identityEvents.readValuesToList())
                .extracting(IdentityEvent::getType, IdentityEvent::getOtherCustomerId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IdentityEventType.MERGED, merged.getCustomerId()));
    }

    @Test
    void everyKeyOfTheMergedCustomerLeadsToTheSurvivorAfterwards() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged =
                identity.send(aLead("l-2").withCompany("北京银河贸易有限公司").withPhone("021-60000000"));
        identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);

        CustomerSnapshot byPhone = identity.send(aLead("l-3").withPhone("+86 21 6000 0000"));
        identity.identityEvents.readValuesToList();
        CustomerSnapshot similar = identity.send(aLead("l-4").withCompany("上海银河贸易有限公司"));

        assertThat(byPhone.getCustomerId()).isEqualTo(survivor.getCustomerId());
        assertThat(identity.identityEvents.readValuesToList()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(IdentityEventType.POSSIBLE_DUPLICATE);
            assertThat(event.getCustomerId()).isEqualTo(similar.getCustomerId());
            assertThat(event.getOtherCustomerId()).isEqualTo(survivor.getCustomerId());
        });
    }

    @Test
    void aLeadAfterAMergeIsComparedWithTheSurvivorThoughLeadsBeforeItMetTheMergedCustomer() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(aLead("l-2").withCompany("北京银河贸易有限公司"));
        // Before the merge: the resolver meets the customer about to be merged away as a fuzzy candidate.
        CustomerSnapshot before = identity.send(aLead("l-3").withCompany("上海银河贸易有限公司"));
        assertThat(otherCustomersOfPossibleDuplicates()).containsExactly(merged.getCustomerId());
        identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);
        identity.identityEvents.readValuesToList();

        identity.send(aLead("l-4").withCompany("广州银河贸易有限公司"));

        assertThat(otherCustomersOfPossibleDuplicates())
                .containsExactlyInAnyOrder(survivor.getCustomerId(), before.getCustomerId());
    }

    private List<String> otherCustomersOfPossibleDuplicates() {
        return identity.identityEvents.readValuesToList().stream()
                .filter(event -> event.getType() == IdentityEventType.POSSIBLE_DUPLICATE)
                .map(IdentityEvent::getOtherCustomerId)
                .toList();
    }

    @Test
    void aLeadOfTheMergedCustomerSentAgainStillChangesNothing() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);

        assertThat(identity.send(aLead("l-2").withPhone("021-60000000"))).isNull();
    }

    @Test
    void theSurvivorsOwnerKeepsTheCustomer() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.change(survivor.getCustomerId(), customer -> customer.setOwner("u-zhang"));
        identity.change(merged.getCustomerId(), customer -> customer.setOwner("u-li"));

        CommandResult result = identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);

        assertThat(result.getSnapshot().getOwner()).isEqualTo("u-zhang");
        assertThat(result.getMessage()).contains("owner u-zhang").contains(Customers.SURVIVOR_OWNER);
    }

    @Test
    void theMergedCustomersOwnerKeepsItWhenTheSurvivorHasNone() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.change(
                survivor.getCustomerId(), customer -> customer.setOwner(null).setPoolId("public"));
        identity.change(
                merged.getCustomerId(),
                customer -> customer.setOwner("u-li").setTeam("east").setPoolId(null));

        CommandResult result = identity.merge(survivor.getCustomerId(), merged.getCustomerId(), "u-boss", MANAGER);

        assertThat(result.getSnapshot().getOwner()).isEqualTo("u-li");
        assertThat(result.getSnapshot().getTeam()).isEqualTo("east");
        assertThat(result.getSnapshot().getPoolId()).isEqualTo("public"); // the pool it returns to
        assertThat(result.getMessage()).contains("owner u-li").contains(Customers.MERGED_OWNER);
    }

    @Test
    void refusesAnUnknownCustomer() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));

        CommandResult result = identity.merge(survivor.getCustomerId(), "no-such-customer", "u-boss", MANAGER);

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.REFUSED);
        assertThat(result.getReason()).isEqualTo(RefusalReason.NOT_FOUND);
        assertThat(result.getMessage()).contains("no-such-customer");
    }

    @Test
    void refusesToMergeACustomerIntoItself() {
        CustomerSnapshot customer = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));

        CommandResult result = identity.merge(customer.getCustomerId(), customer.getCustomerId(), "u-boss", MANAGER);

        assertThat(result.getReason()).isEqualTo(RefusalReason.INVALID);
    }

    @Test
    void refusesASalespersonMergingAwayAColleaguesCustomer() {
        CustomerSnapshot mine = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot theirs = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.change(mine.getCustomerId(), customer -> customer.setOwner("u-zhang"));
        identity.change(theirs.getCustomerId(), customer -> customer.setOwner("u-li"));

        CommandResult result = identity.merge(mine.getCustomerId(), theirs.getCustomerId(), "u-zhang", SALES);

        assertThat(result.getReason()).isEqualTo(RefusalReason.NOT_PERMITTED);
        assertThat(identity.stored(theirs.getCustomerId())).isNotNull();
    }

    @Test
    void letsASalespersonMergeTheirOwnCustomers() {
        CustomerSnapshot mine = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot alsoMine = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.change(mine.getCustomerId(), customer -> customer.setOwner("u-zhang"));
        identity.change(alsoMine.getCustomerId(), customer -> customer.setOwner("u-zhang"));

        CommandResult result = identity.merge(mine.getCustomerId(), alsoMine.getCustomerId(), "u-zhang", SALES);

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
    }

    @Test
    void refusesToMergeAwayALockedCustomer() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot locked = identity.send(aLead("l-2").withPhone("021-60000000"));
        identity.change(locked.getCustomerId(), customer -> customer.setLocked(true));

        CommandResult result = identity.merge(survivor.getCustomerId(), locked.getCustomerId(), "u-boss", MANAGER);

        assertThat(result.getReason()).isEqualTo(RefusalReason.LOCKED);
    }

    @Test
    void aRepeatedMergeCommandIsAnsweredWithItsFirstOutcomeAndNotAppliedAgain() {
        CustomerSnapshot survivor = identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));
        CustomerSnapshot merged = identity.send(aLead("l-2").withPhone("021-60000000"));
        Merge merge = new Merge(survivor.getCustomerId(), merged.getCustomerId());
        CommandResult first = identity.command("retried-merge", "u-boss", MANAGER, merge);
        identity.customers.readValuesToList();
        identity.identityEvents.readValuesToList();

        CommandResult again = identity.command("retried-merge", "u-boss", MANAGER, merge);

        assertThat(first.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(again).isEqualTo(first);
        assertThat(identity.customers.readValuesToList()).isEmpty();
        assertThat(identity.identityEvents.readValuesToList()).isEmpty();
        assertThat(identity.stored(survivor.getCustomerId()).getVersion())
                .isEqualTo(first.getSnapshot().getVersion());
    }
}
