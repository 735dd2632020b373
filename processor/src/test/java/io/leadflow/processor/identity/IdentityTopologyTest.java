package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.MatchEvidence;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityTopologyTest {

    private final IdentityDriver identity = new IdentityDriver();

    @AfterEach
    void closeDriver() {
        identity.close();
    }

    @Test
    void leadsWithTheSameEmailInDifferentCaseJoinOneCustomer() {
        CustomerSnapshot first =
                identity.send(aLead("l-1").withCompany("上海星云科技有限公司").withEmail("Wang.Wei@Example.CN"));
        CustomerSnapshot latest = identity.send(aLead("l-2").withCompany("星云科技").withEmail(" wang.wei@example.cn "));

        assertThat(latest.getCustomerId()).isEqualTo(first.getCustomerId());
        assertThat(latest.getLeadIds()).containsExactly("l-1", "l-2");
        assertThat(latest.getVersion()).isEqualTo(first.getVersion() + 1);
        assertThat(latest.getCompany().getName()).isEqualTo("上海星云科技有限公司");
        assertThat(latest.getMatchKeys())
                .extracting(key -> key.getKind() + " " + key.getValue())
                .containsExactly("EMAIL wang.wei@example.cn", "DOMAIN example.cn", "NAME 上海星云科技", "NAME 星云科技");
        assertThat(identity.poolEvents.readValuesToList())
                .extracting(PoolEvent::getType)
                .containsSubsequence(PoolEventType.CREATED, PoolEventType.LEAD_LINKED);
    }

    static Stream<Arguments> leadPairsSharingOneStrongKey() {
        return Stream.of(
                Arguments.of(
                        "credit code",
                        aLead("l-1").withCompany("上海星云科技有限公司").withCreditCode("91310000MA1XY0AB85"),
                        aLead("l-2").withCompany("星云").withCreditCode("9131 0000 ma1x y0ab 85"),
                        MatchKeyKind.CREDIT_CODE),
                Arguments.of(
                        "phone in another format",
                        aLead("l-1").withPhone("021-6000 0000"),
                        aLead("l-2").withPhone("+86 (21) 60000000 转 801"),
                        MatchKeyKind.PHONE),
                Arguments.of(
                        "mobile entered as phone",
                        aLead("l-1").withMobile("138 0013 8000"),
                        aLead("l-2").withPhone("+8613800138000"),
                        MatchKeyKind.PHONE),
                Arguments.of(
                        "company mail domain and website",
                        aLead("l-1").withEmail("wang@sh.xingyun-tech.cn"),
                        aLead("l-2").withWebsite("https://www.xingyun-tech.cn/about"),
                        MatchKeyKind.DOMAIN),
                Arguments.of(
                        "normalised full name",
                        aLead("l-1").withCompany("上海星雲科技股份有限公司"),
                        aLead("l-2").withCompany("上海市星云科技（集团）有限公司"),
                        MatchKeyKind.NAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leadPairsSharingOneStrongKey")
    void aLeadSharingAnyStrongKeyJoinsTheCustomer(String key, Leads first, Leads second, MatchKeyKind kind) {
        CustomerSnapshot founded = identity.send(first);
        CustomerSnapshot joined = identity.send(second);

        assertThat(joined.getCustomerId()).isEqualTo(founded.getCustomerId());
        assertThat(joined.getLeadIds()).containsExactly("l-1", "l-2");
        assertThat(joined.getMatchKeys()).extracting(k -> k.getKind()).contains(kind);
        assertThat(identity.identityEvents.isEmpty()).isTrue();
    }

    @Test
    void aLeadWithOtherKeysFoundsASecondCustomer() {
        CustomerSnapshot first = identity.send(aLead("l-1").withEmail("wang.wei@xingyun.cn"));
        CustomerSnapshot second = identity.send(aLead("l-2").withEmail("li.na@yinhe.cn"));

        assertThat(second.getCustomerId()).isNotEqualTo(first.getCustomerId());
        assertThat(second.getLeadIds()).containsExactly("l-2");
    }

    @Test
    void aFreeMailDomainNeverJoinsTwoCompanies() {
        CustomerSnapshot first = identity.send(aLead("l-1").withEmail("12345@qq.com"));
        CustomerSnapshot second = identity.send(aLead("l-2").withEmail("67890@QQ.com"));

        assertThat(second.getCustomerId()).isNotEqualTo(first.getCustomerId());
    }

    @Test
    void aRepeatedLeadIdChangesNothing() {
        identity.send(aLead("l-1").withEmail("wang.wei@example.cn"));
        identity.poolEvents.readValuesToList();

        CustomerSnapshot written = identity.send(aLead("l-1").withEmail("someone.else@example.cn"));

        assertThat(written).isNull();
        assertThat(identity.poolEvents.isEmpty()).isTrue();
        assertThat(identity.identityEvents.isEmpty()).isTrue();
        assertThat(identity.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void tenantsNeverShareCustomers() {
        CustomerSnapshot acme = identity.send(aLead("l-1").withEmail("wang.wei@example.cn"));
        CustomerSnapshot globex = identity.send(aLead("l-1").ofTenant("globex").withEmail("wang.wei@example.cn"));

        assertThat(acme.getTenant()).isEqualTo("acme");
        assertThat(globex.getTenant()).isEqualTo("globex");
        assertThat(globex.getLeadIds()).containsExactly("l-1");
    }

    @Test
    void leadsWithoutUsableFieldsNeverMatchEachOther() {
        CustomerSnapshot first =
                identity.send(aLead("l-1").withCompany("有限公司").withEmail("n/a").withPhone("00000000"));
        CustomerSnapshot second =
                identity.send(aLead("l-2").withCompany("有限公司").withEmail("n/a").withPhone("00000000"));

        assertThat(second.getCustomerId()).isNotEqualTo(first.getCustomerId());
        assertThat(second.getMatchKeys()).isEmpty();
        assertThat(identity.identityEvents.isEmpty()).isTrue();
    }

    @Test
    void aLeadForAnotherSalespersonThanTheHolderIsACollisionAndTheHolderKeepsTheCustomer() {
        CustomerSnapshot held = identity.send(aLead("l-1").withEmail("wang.wei@xingyun.cn"));
        identity.change(
                held.getCustomerId(), customer -> customer.setOwner("u-zhang").setPoolId(null));

        CustomerSnapshot joined =
                identity.send(aLead("l-2").withEmail("WANG.WEI@xingyun.cn").forOwner("u-li"));

        assertThat(joined.getCustomerId()).isEqualTo(held.getCustomerId());
        assertThat(joined.getOwner()).isEqualTo("u-zhang");
        IdentityEvent collision = identity.identityEvents.readValuesToList().stream()
                .filter(event -> event.getType() == IdentityEventType.COLLISION)
                .findFirst()
                .orElseThrow();
        assertThat(collision.getCustomerId()).isEqualTo(held.getCustomerId());
        assertThat(collision.getLeadId()).isEqualTo("l-2");
        assertThat(collision.getHolder()).isEqualTo("u-zhang");
        assertThat(collision.getIntendedOwner()).isEqualTo("u-li");
        assertThat(collision.getEvidence())
                .extracting(MatchEvidence::getKind, MatchEvidence::getValue, MatchEvidence::getRule)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(MatchKeyKind.EMAIL, "wang.wei@xingyun.cn", "exact-email"));
    }

    @Test
    void aLeadForTheHolderIsNoCollision() {
        CustomerSnapshot held = identity.send(aLead("l-1").withEmail("wang.wei@xingyun.cn"));
        identity.change(held.getCustomerId(), customer -> customer.setOwner("u-zhang"));

        identity.send(aLead("l-2").withEmail("wang.wei@xingyun.cn").forOwner("u-zhang"));

        assertThat(identity.identityEvents.readValuesToList())
                .extracting(IdentityEvent::getType)
                .doesNotContain(IdentityEventType.COLLISION);
    }

    @Test
    void joiningKeepsThePoolFieldsOfTheCustomer() {
        CustomerSnapshot held = identity.send(aLead("l-1").withEmail("wang.wei@xingyun.cn"));
        Instant assignedAt = Instant.parse("2026-11-01T00:00:00Z");
        CustomerSnapshot assigned = identity.change(
                held.getCustomerId(),
                customer -> customer.setOwner("u-zhang")
                        .setTeam("east")
                        .setAssignedAt(assignedAt)
                        .setReturnDeadline(assignedAt.plusSeconds(86_400))
                        .setReturnRule("followUpDays"));

        CustomerSnapshot joined = identity.send(aLead("l-2").withEmail("wang.wei@xingyun.cn"));

        assertThat(joined.getVersion()).isEqualTo(assigned.getVersion() + 1);
        assertThat(joined.getOwner()).isEqualTo("u-zhang");
        assertThat(joined.getTeam()).isEqualTo("east");
        assertThat(joined.getAssignedAt()).isEqualTo(assignedAt);
        assertThat(joined.getReturnRule()).isEqualTo("followUpDays");
    }

    @Test
    void aLeadMatchingTwoCustomersJoinsTheStrongestMatchAndSuggestsAMerge() {
        CustomerSnapshot byPhone = identity.send(aLead("l-1").withPhone("021-60000000"));
        CustomerSnapshot byEmail = identity.send(aLead("l-2").withEmail("wang.wei@xingyun.cn"));

        CustomerSnapshot joined =
                identity.send(aLead("l-3").withPhone("+86 21 6000 0000").withEmail("wang.wei@xingyun.cn"));

        assertThat(joined.getCustomerId()).isEqualTo(byEmail.getCustomerId());
        List<KeyValue<String, IdentityEvent>> events = identity.identityEvents.readKeyValuesToList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.key).isEqualTo("acme/" + byEmail.getCustomerId());
            assertThat(event.value.getType()).isEqualTo(IdentityEventType.MERGE_SUGGESTION);
            assertThat(event.value.getOtherCustomerId()).isEqualTo(byPhone.getCustomerId());
            assertThat(event.value.getEvidence())
                    .extracting(MatchEvidence::getKind)
                    .containsExactly(MatchKeyKind.EMAIL, MatchKeyKind.DOMAIN, MatchKeyKind.PHONE);
        });
    }

    @Test
    void aSimilarNameIsAPossibleDuplicateForReviewNotAJoin() {
        CustomerSnapshot shanghai = identity.send(aLead("l-1").withCompany("上海星云科技有限公司"));

        CustomerSnapshot beijing = identity.send(aLead("l-2").withCompany("北京星云科技有限公司"));

        assertThat(beijing.getCustomerId()).isNotEqualTo(shanghai.getCustomerId());
        assertThat(identity.identityEvents.readValuesToList()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(IdentityEventType.POSSIBLE_DUPLICATE);
            assertThat(event.getCustomerId()).isEqualTo(beijing.getCustomerId());
            assertThat(event.getOtherCustomerId()).isEqualTo(shanghai.getCustomerId());
            assertThat(event.getEvidence()).singleElement().satisfies(evidence -> {
                assertThat(evidence.getKind()).isEqualTo(MatchKeyKind.NAME);
                assertThat(evidence.getValue()).isEqualTo("北京星云科技 ~ 上海星云科技");
                assertThat(evidence.getRule()).isEqualTo("similar-name");
                assertThat(evidence.getScore()).isBetween(0.7, 0.99);
            });
        });
    }

    @Test
    void aNameWithoutItsRegionJoinsTheOneCustomerOfThatName() {
        CustomerSnapshot shanghai = identity.send(aLead("l-1").withCompany("上海星云科技有限公司"));

        CustomerSnapshot joined = identity.send(aLead("l-2").withCompany("星云科技股份有限公司"));

        assertThat(joined.getCustomerId()).isEqualTo(shanghai.getCustomerId());
        assertThat(joined.getLeadIds()).containsExactly("l-1", "l-2");
        assertThat(identity.identityEvents.isEmpty()).isTrue();
    }

    @Test
    void aNameWithoutRegionThatTwoCitiesShareIsAPossibleDuplicateOfBoth() {
        identity.send(aLead("l-1").withCompany("上海星云科技有限公司"));
        identity.send(aLead("l-2").withCompany("北京星云科技有限公司"));
        identity.identityEvents.readValuesToList();

        CustomerSnapshot unsure = identity.send(aLead("l-3").withCompany("星云科技有限公司"));

        assertThat(unsure.getLeadIds()).containsExactly("l-3");
        assertThat(identity.identityEvents.readValuesToList())
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.getType()).isEqualTo(IdentityEventType.POSSIBLE_DUPLICATE));
    }

    @Test
    void namesSharingOnlyRegionAndIndustryAreNoFinding() {
        identity.send(aLead("l-1").withCompany("上海星云科技有限公司"));
        identity.send(aLead("l-2").withCompany("上海银河科技有限公司"));

        assertThat(identity.identityEvents.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRecordBecomesADeadLetterAndTheStreamGoesOn() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        identity.rawLeads.pipeInput("acme", garbage);
        CustomerSnapshot after = identity.send(aLead("l-1").withEmail("wang.wei@example.cn"));

        List<KeyValue<String, DeadLetter>> letters = identity.deadLetters.readKeyValuesToList();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0).value;
        assertThat(letters.get(0).key).isEqualTo(Topics.LEADS.name() + "@0@0");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.LEADS.name());
        assertThat(letter.getReason()).contains("cannot decode");
        assertThat(letter.getValue().array()).isEqualTo(garbage);
        assertThat(letter.getComponent()).isEqualTo("processor");
        assertThat(after).isNotNull();
    }

    @Test
    void aLeadKeyedByAnotherTenantBecomesADeadLetter() {
        identity.leads.pipeInput(
                "globex", aLead("l-1").withEmail("wang.wei@example.cn").build(), IdentityDriver.NOW);

        assertThat(identity.deadLetters.readValuesToList())
                .singleElement()
                .satisfies(letter -> assertThat(letter.getReason()).contains("tenant 'acme' keyed by 'globex'"));
        assertThat(identity.customers.isEmpty()).isTrue();
    }

    @Test
    void customerIdsAreStableForTheSameFoundingLead() {
        assertThat(LeadResolver.customerIdFor("acme", "l-1"))
                .isEqualTo(LeadResolver.customerIdFor("acme", "l-1"))
                .isNotEqualTo(LeadResolver.customerIdFor("globex", "l-1"));
    }
}
