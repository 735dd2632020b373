package io.leadflow.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.lead.LeadParser;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WorkloadTest {

    private static final Workload WORKLOAD = Workload.generate(WorkloadSpec.of(7, 3, 300));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void isAPureFunctionOfItsSpec() {
        Workload again = Workload.generate(WorkloadSpec.of(7, 3, 300));

        assertThat(again.steps()).isEqualTo(WORKLOAD.steps());
        assertThat(Workload.generate(WorkloadSpec.of(8, 3, 300)).steps()).isNotEqualTo(WORKLOAD.steps());
    }

    @Test
    void hasEveryKindOfStepInEveryTenant() {
        for (String tenant : WORKLOAD.tenants()) {
            List<Step> steps = WORKLOAD.steps(tenant);
            assertThat(steps.stream().filter(Step.Lead.class::isInstance)).hasSize(300);
            assertThat(leads(steps).filter(lead -> !lead.first())).hasSizeGreaterThan(40);
            assertThat(leads(steps).filter(lead -> lead.intendedOwner() != null))
                    .isNotEmpty();
            assertThat(steps.stream().filter(Step.Activity.class::isInstance)).hasSizeGreaterThan(100);
            assertThat(steps.stream().filter(Step.Command.class::isInstance)).hasSizeGreaterThan(50);
        }
    }

    @Test
    void ingestTakesEveryLead() {
        for (Step step : WORKLOAD.steps()) {
            if (step instanceof Step.Lead lead) {
                LeadParser.Result result = new LeadParser()
                        .parse(JSON.readTree(lead.json()), new Caller(lead.tenant(), "bench"), Instant.now());
                assertThat(result.errors()).as(lead.json()).isEmpty();
            }
        }
    }

    @Test
    void companiesShareNoMatchKeyAndAllLeadsOfACompanyShareOne() {
        MatchEngine engine = MatchEngine.crm("CN");
        for (String tenant : WORKLOAD.tenants()) {
            Map<MatchKey, Integer> holders = new HashMap<>();
            Map<Integer, Set<MatchKey>> common = new HashMap<>();
            leads(WORKLOAD.steps(tenant)).forEach(lead -> {
                Set<MatchKey> keys =
                        new HashSet<>(engine.prepare(fieldsOf(lead)).matchKeys());
                for (MatchKey key : keys) {
                    assertThat(holders.putIfAbsent(key, lead.company()))
                            .as("%s of %s", key, lead.leadId())
                            .isIn(null, lead.company());
                }
                common.merge(lead.company(), keys, (a, b) -> {
                    Set<MatchKey> both = new HashSet<>(a);
                    both.retainAll(b);
                    return both;
                });
            });
            common.forEach((company, keys) ->
                    assertThat(keys).as("company %s", company).isNotEmpty());
        }
    }

    @Test
    void dependentStepsComeWellAfterTheirCompanysFirstLead() {
        for (String tenant : WORKLOAD.tenants()) {
            List<Step> steps = WORKLOAD.steps(tenant);
            Map<Integer, Integer> firstAt = new HashMap<>();
            Map<String, Integer> leadAt = new HashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                if (step instanceof Step.Lead lead) {
                    assertThat(lead.first()).isEqualTo(!firstAt.containsKey(lead.company()));
                    firstAt.putIfAbsent(lead.company(), i);
                    leadAt.put(lead.leadId(), i);
                } else {
                    assertThat(firstAt.get(step.company())).isNotNull().isLessThanOrEqualTo(i - 8);
                }
                if (step instanceof Step.Activity activity) {
                    assertThat(leadAt.get(activity.leadId())).isNotNull().isLessThanOrEqualTo(i - 8);
                }
            }
        }
    }

    @Test
    void keepsEverySalespersonBelowTheDefaultLimitsEvenInALongRun() {
        Workload big = Workload.generate(WorkloadSpec.of(11, 4, 1_500));

        Reference reference = Reference.of(big.steps());

        assertThat(reference.outcomes().values()).contains("ACCEPTED", "ALREADY_OWNED", "NOT_OWNER", "COOLDOWN");
    }

    private static java.util.stream.Stream<Step.Lead> leads(List<Step> steps) {
        return steps.stream().filter(Step.Lead.class::isInstance).map(Step.Lead.class::cast);
    }

    @SuppressWarnings("unchecked")
    private static LeadFields fieldsOf(Step.Lead lead) {
        Map<String, Object> company = (Map<String, Object>) lead.body().get("company");
        Map<String, Object> contact = (Map<String, Object>) lead.body().get("contact");
        return new LeadFields(
                (String) company.get("name"),
                (String) company.get("creditCode"),
                (String) contact.get("email"),
                (String) contact.get("phone"),
                (String) contact.get("mobile"),
                (String) company.get("website"));
    }
}
