package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DuplicateCheckCommandTest {

    private final IdentityDriver identity = new IdentityDriver();

    @AfterEach
    void closeDriver() {
        identity.close();
    }

    @Test
    void answersWithTheHeldCustomerAndTheEvidence() {
        CustomerSnapshot held =
                identity.send(aLead("l-1").withCompany("上海星云科技有限公司").withPhone("021-60000000"));
        identity.change(held.getCustomerId(), customer -> customer.setOwner("u-li"));
        CustomerSnapshot similar = identity.send(aLead("l-2").withCompany("北京星云科技有限公司"));

        CommandResult result = identity.check(CheckDuplicate.newBuilder()
                .setName("星云科技")
                .setPhone("+86 21 6000 0000")
                .build());

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(result.getCustomerId()).isEqualTo(held.getCustomerId());
        assertThat(result.getSnapshot().getOwner()).isEqualTo("u-li");
        assertThat(result.getMessage().lines())
                .hasSize(2)
                .first()
                .asString()
                .startsWith("SAME " + held.getCustomerId() + " (owner u-li)")
                .contains("exact-phone");
        assertThat(result.getMessage().lines().skip(1).findFirst().orElseThrow())
                .startsWith("POSSIBLE " + similar.getCustomerId())
                .contains("similar-name");
    }

    @Test
    void answersWithTheCustomerWhoseNameDiffersOnlyByRegionAndTheRule() {
        CustomerSnapshot held = identity.send(aLead("l-1").withCompany("上海星云科技有限公司"));

        CommandResult result =
                identity.check(CheckDuplicate.newBuilder().setName("星云科技").build());

        assertThat(result.getCustomerId()).isEqualTo(held.getCustomerId());
        assertThat(result.getMessage().lines())
                .singleElement()
                .asString()
                .startsWith("LIKELY " + held.getCustomerId())
                .contains("星云科技 ~ 上海星云科技")
                .contains("same-name-apart-from-region");
    }

    @Test
    void answersNoMatchAndChangesNothing() {
        identity.send(aLead("l-1").withEmail("wang@xingyun.cn"));

        CommandResult result = identity.check(
                CheckDuplicate.newBuilder().setEmail("li@yinhe.cn").build());

        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.ACCEPTED);
        assertThat(result.getCustomerId()).isNull();
        assertThat(result.getMessage()).isEqualTo("no match");
        assertThat(identity.customers.isEmpty()).isTrue();
        assertThat(identity.identityEvents.isEmpty()).isTrue();
    }
}
