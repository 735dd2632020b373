package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.StageVisit;
import io.leadflow.schemas.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts taken from a customer snapshot as identity writes it, read back from the customers topic's bytes. */
class CustomerFactsTest {

    private static final String ZONE = "Asia/Shanghai";
    private static final Instant FIRST_LEAD = Instant.parse("2026-11-02T01:00:00Z");
    private static final Instant CONTACTED = Instant.parse("2026-11-03T02:00:00Z");
    private static final Instant UPDATED = Instant.parse("2026-11-04T03:00:00Z");

    @Test
    void aFullSnapshotGivesItsCountedFieldsAndItsHistory() {
        CustomerSnapshot snapshot = aSnapshot()
                .setAmount(new BigDecimal("1234.56"))
                .setStage("CONTACTED")
                .setStageEnteredAt(CONTACTED)
                .setStageHistory(List.of(visit("NEW", FIRST_LEAD), visit("CONTACTED", CONTACTED)))
                .build();

        assertThat(factsOf(snapshot))
                .isEqualTo(new CustomerFacts(
                        "acme",
                        "c-1",
                        7,
                        "CONTACTED",
                        123_456L,
                        "bob",
                        "east",
                        "web-form",
                        "expo",
                        FIRST_LEAD.toEpochMilli(),
                        ZONE,
                        List.of(
                                new Visit("NEW", FIRST_LEAD.toEpochMilli()),
                                new Visit("CONTACTED", CONTACTED.toEpochMilli()))));
    }

    @Test
    void amountsAreCentsWhateverTheirSignAndNoAmountIsNone() {
        assertThat(factsOf(aSnapshot().setAmount(new BigDecimal("-0.01")).build())
                        .amountCents())
                .isEqualTo(-1L);
        // The schema's largest amount: precision 18.
        assertThat(factsOf(aSnapshot()
                                .setAmount(new BigDecimal("9999999999999999.99"))
                                .build())
                        .amountCents())
                .isEqualTo(999_999_999_999_999_999L);
        assertThat(factsOf(aSnapshot().setAmount(null).build()).amountCents()).isNull();
    }

    @Test
    void aStageTheHistoryHasNotReachedIsItsLastVisitEnteredWhenTheSnapshotSays() {
        CustomerSnapshot lagging = aSnapshot()
                .setStage("CONTACTED")
                .setStageEnteredAt(CONTACTED)
                .setStageHistory(List.of(visit("NEW", FIRST_LEAD)))
                .build();
        CustomerSnapshot noHistory =
                aSnapshot().setStageEnteredAt(null).setStageHistory(List.of()).build();

        assertThat(factsOf(lagging).visits())
                .containsExactly(
                        new Visit("NEW", FIRST_LEAD.toEpochMilli()), new Visit("CONTACTED", CONTACTED.toEpochMilli()));
        assertThat(factsOf(noHistory).visits()).containsExactly(new Visit("NEW", UPDATED.toEpochMilli()));
    }

    @Test
    void blankOwnersTeamsSourcesAndCampaignsCountInNoFigure() {
        CustomerFacts facts = factsOf(aSnapshot()
                .setOwner(" ")
                .setTeam("")
                .setSource(null)
                .setCampaign("\t")
                .build());

        assertThat(facts.owner()).isNull();
        assertThat(facts.team()).isNull();
        assertThat(facts.source()).isNull();
        assertThat(facts.campaign()).isNull();
    }

    private static CustomerFacts factsOf(CustomerSnapshot snapshot) {
        byte[] bytes = Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), snapshot);
        return SnapshotFacts.read(Topics.CUSTOMERS.name(), bytes).facts(ZONE);
    }

    /** A customer as identity writes it: company, contacts, match keys and leads the funnel does not count. */
    private static CustomerSnapshot.Builder aSnapshot() {
        return CustomerSnapshot.newBuilder()
                .setTenant("acme")
                .setCustomerId("c-1")
                .setVersion(7)
                .setCompany(Company.newBuilder()
                        .setName("上海云杉信息技术有限公司")
                        .setCreditCode("91310000MA1FL0000N")
                        .setWebsite("yunshan.example.cn")
                        .build())
                .setContacts(List.of(
                        Contact.newBuilder()
                                .setName("王芳")
                                .setMobile("+8613800138000")
                                .setEmail("wang.fang@yunshan.example.cn")
                                .build(),
                        Contact.newBuilder()
                                .setName("李雷")
                                .setPhone("+862160000000")
                                .build()))
                .setMatchKeys(List.of(
                        new MatchKey(MatchKeyKind.CREDIT_CODE, "91310000MA1FL0000N"),
                        new MatchKey(MatchKeyKind.PHONE, "+8613800138000")))
                .setLeadIds(List.of("lead-1", "lead-2"))
                .setSource("web-form")
                .setCampaign("expo")
                .setOwner("bob")
                .setTeam("east")
                .setStage("NEW")
                .setFirstLeadAt(FIRST_LEAD)
                .setCreatedAt(FIRST_LEAD)
                .setUpdatedAt(UPDATED)
                .setStageEnteredAt(FIRST_LEAD)
                .setStageHistory(List.of(visit("NEW", FIRST_LEAD)));
    }

    private static StageVisit visit(String stage, Instant at) {
        return StageVisit.newBuilder().setStage(stage).setEnteredAt(at).build();
    }
}
