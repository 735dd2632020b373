package io.leadflow.schemas;

import io.leadflow.avro.Activity;
import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FollowUpType;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.RefusalReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Valid example records, as factory methods. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-11-27T08:30:00.123Z");

    private Fixtures() {}

    static Company aCompany() {
        return Company.newBuilder()
                .setName("上海星云科技有限公司")
                .setCreditCode("91310000MA1FL0000N")
                .setWebsite("https://www.example.cn")
                .setIndustry("manufacturing")
                .setAddress(null)
                .build();
    }

    static Contact aContact() {
        return Contact.newBuilder()
                .setName("王伟")
                .setTitle("采购经理")
                .setPhone("021-6000 0000")
                .setMobile("+86 138 0013 8000")
                .setEmail("wang.wei@example.cn")
                .build();
    }

    static Lead.Builder aLead() {
        return Lead.newBuilder()
                .setLeadId("lead-1")
                .setTenant("acme")
                .setSourceSystem("crm-web")
                .setSource("web-form")
                .setCampaign("2026-spring-expo")
                .setCompany(aCompany())
                .setContact(aContact())
                .setIntendedOwner("u-17")
                .setLevel("A")
                .setAttributes(Map.of("utm_medium", "cpc"))
                .setReceivedAt(NOW);
    }

    static CustomerSnapshot.Builder aCustomer() {
        return CustomerSnapshot.newBuilder()
                .setTenant("acme")
                .setCustomerId("c-1")
                .setVersion(3)
                .setCompany(aCompany())
                .setContacts(List.of(aContact()))
                .setMatchKeys(List.of(new MatchKey(MatchKeyKind.CREDIT_CODE, "91310000MA1FL0000N")))
                .setLeadIds(List.of("lead-1"))
                .setOwner("u-17")
                .setAmount(new BigDecimal("120000.50"))
                .setFirstLeadAt(NOW)
                .setCreatedAt(NOW)
                .setUpdatedAt(NOW.plusSeconds(60))
                .setAssignedAt(NOW)
                .setReturnDeadline(NOW.plusSeconds(86_400 * 15));
    }

    static Activity anActivity() {
        return Activity.newBuilder()
                .setActivityId("act-1")
                .setTenant("acme")
                .setCustomerId("c-1")
                .setLeadId(null)
                .setKind(ActivityKind.FOLLOW_UP)
                .setFollowUpType(FollowUpType.CALL)
                .setStage(null)
                .setAmount(null)
                .setActor("u-17")
                .setNote("called, wants a quote")
                .setOccurredAt(NOW)
                .setReceivedAt(NOW)
                .build();
    }

    static PoolCommand aCommand(Object payload) {
        return PoolCommand.newBuilder()
                .setCommandId("cmd-1")
                .setTenant("acme")
                .setActor("u-17")
                .setActorRoles(List.of("sales"))
                .setActorTeam("east")
                .setIssuedAt(NOW)
                .setCustomerId("c-1")
                .setPayload(payload)
                .build();
    }

    static CommandResult aRefusal() {
        return CommandResult.newBuilder()
                .setCommandId("cmd-1")
                .setTenant("acme")
                .setCustomerId("c-1")
                .setOutcome(CommandOutcome.REFUSED)
                .setReason(RefusalReason.ALREADY_OWNED)
                .setMessage("held by u-18")
                .setSnapshot(aCustomer().build())
                .setDecidedAt(NOW)
                .build();
    }
}
