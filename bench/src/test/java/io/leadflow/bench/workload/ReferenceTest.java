package io.leadflow.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.bench.workload.Reference.ExpectedCustomer;
import io.leadflow.bench.workload.Reference.Figures;
import io.leadflow.bench.workload.Reference.Slice;
import io.leadflow.bench.workload.Reference.StageTotal;
import io.leadflow.bench.workload.Step.ActivityKind;
import io.leadflow.bench.workload.Step.CommandAction;
import io.leadflow.processor.identity.CustomerIds;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void leadsOfOneCompanyMakeOneCustomerPlacedByItsFoundingLead() {
        Reference reference = Reference.of(List.of(
                lead(0, "l-1", "li.lei"), lead(1, "l-2", null), lead(0, "l-3", "zhang.wei"), lead(0, "l-1", null)));

        ExpectedCustomer first = reference.customer("acme", 0).orElseThrow();
        assertThat(first.leadIds()).containsExactly("l-1", "l-3");
        assertThat(first.customerId()).isEqualTo(CustomerIds.ofFoundingLead("acme", "l-1"));
        assertThat(first.owner()).isEqualTo("li.lei");
        assertThat(first.poolEvents()).isEqualTo(Map.of("CREATED", 1, "ASSIGNED", 1, "LEAD_LINKED", 1));
        assertThat(reference.customer("acme", 1).orElseThrow().owner()).isNull();
        assertThat(reference.held("acme")).isEqualTo(Map.of("li.lei", 1L));
    }

    @Test
    void aLaterLeadFoundsTheCustomerWhenTheFirstWasNotAccepted() {
        Reference reference = Reference.of(List.of(lead(0, "l-3", null)));

        assertThat(reference.customer("acme", 0).orElseThrow().customerId())
                .isEqualTo(CustomerIds.ofFoundingLead("acme", "l-3"));
    }

    @Test
    void commandsAreDecidedByTheirCustomersOwnerAndCooldown() {
        Reference reference = Reference.of(List.of(
                command(0, "c-0", "han.meimei", CommandAction.CLAIM),
                lead(0, "l-1", null),
                command(0, "c-1", "han.meimei", CommandAction.CLAIM),
                command(0, "c-2", "zhang.wei", CommandAction.CLAIM),
                command(0, "c-3", "zhang.wei", CommandAction.RELEASE),
                command(0, "c-4", "han.meimei", CommandAction.RELEASE),
                command(0, "c-5", "han.meimei", CommandAction.CLAIM),
                command(0, "c-6", "zhang.wei", CommandAction.CLAIM)));

        assertThat(reference.outcomes())
                .containsExactly(
                        Map.entry("c-0", "NOT_FOUND"),
                        Map.entry("c-1", "ACCEPTED"),
                        Map.entry("c-2", "ALREADY_OWNED"),
                        Map.entry("c-3", "NOT_OWNER"),
                        Map.entry("c-4", "ACCEPTED"),
                        Map.entry("c-5", "COOLDOWN"),
                        Map.entry("c-6", "ACCEPTED"));
        ExpectedCustomer customer = reference.customer("acme", 0).orElseThrow();
        assertThat(customer.owner()).isEqualTo("zhang.wei");
        assertThat(customer.poolEvents()).isEqualTo(Map.of("CREATED", 1, "CLAIMED", 2, "RELEASED", 1));
    }

    @Test
    void funnelCountsEachCustomerInItsLastStageWithItsLastAmount() {
        Reference reference = Reference.of(List.of(
                lead(0, "l-1", "li.lei"),
                lead(1, "l-2", null),
                lead(2, "l-3", "li.lei"),
                activity(0, "l-1", ActivityKind.STAGE_CHANGE, "PROPOSAL", "1000.50"),
                activity(0, "l-1", ActivityKind.FOLLOW_UP, null, null),
                activity(0, "l-1", ActivityKind.WON, null, "1200"),
                activity(1, "l-2", ActivityKind.STAGE_CHANGE, "QUALIFIED", null),
                activity(1, "l-9", ActivityKind.LOST, null, null)));

        Map<Slice, Figures> funnel = reference.funnel("acme");

        assertThat(funnel.get(new Slice("TENANT", "acme")))
                .isEqualTo(new Figures(
                        Map.of(
                                "WON", new StageTotal(1, new BigDecimal("1200")),
                                "QUALIFIED", new StageTotal(1, BigDecimal.ZERO),
                                "NEW", new StageTotal(1, BigDecimal.ZERO)),
                        1,
                        0));
        assertThat(funnel.get(new Slice("OWNER", "li.lei")).stages()).containsOnlyKeys("WON", "NEW");
        assertThat(funnel).containsKey(new Slice("SOURCE", "web-form")).containsKey(new Slice("CAMPAIGN", "expo"));
        assertThat(reference.deadLetters()).isEqualTo(1);
    }

    @Test
    void refusesInputWhereTheDailyClaimLimitCouldDecide() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            steps.add(lead(i, "l-" + i, null));
            steps.add(command(i, "c-" + i, "han.meimei", CommandAction.CLAIM));
        }

        assertThatThrownBy(() -> Reference.of(steps)).hasMessageContaining("daily limit");
    }

    private static Step.Lead lead(int company, String leadId, String intendedOwner) {
        return new Step.Lead("acme", company, leadId, false, intendedOwner, "web-form", "expo", Map.of());
    }

    private static Step.Command command(int company, String key, String actor, CommandAction action) {
        return new Step.Command("acme", company, key, actor, action, null);
    }

    private static Step.Activity activity(int company, String leadId, ActivityKind kind, String stage, String amount) {
        return new Step.Activity(
                "acme",
                company,
                "a-" + leadId + kind,
                leadId,
                kind,
                null,
                stage,
                amount == null ? null : new BigDecimal(amount),
                "li.lei");
    }
}
