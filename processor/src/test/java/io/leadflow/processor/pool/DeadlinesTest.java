package io.leadflow.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.AvroTrust;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Return deadlines in minutes ({@code followUpMinutes}), so a demonstration sees customers return. */
class DeadlinesTest {

    private static final Instant ASSIGNED = Instant.parse("2026-11-27T08:00:00Z");

    @BeforeAll
    static void trustAvro() {
        AvroTrust.trustGeneratedClasses();
    }

    @Test
    void followUpMinutesReplaceFollowUpDays() {
        PoolRules rules = rules(set -> set.setFollowUpDays(30).setFollowUpMinutes(3), Map.of());

        Schedule schedule = Deadlines.of(heldCustomer(null), rules);

        assertThat(schedule.returnAt()).isEqualTo(ASSIGNED.plus(Duration.ofMinutes(3)));
        assertThat(schedule.rule()).isEqualTo(Deadlines.FOLLOW_UP_MINUTES_RULE);
    }

    @Test
    void aFollowUpRestartsTheMinutes() {
        PoolRules rules = rules(set -> set.setFollowUpMinutes(3), Map.of());
        CustomerSnapshot customer = heldCustomer(null);
        customer.setLastFollowUpAt(ASSIGNED.plus(Duration.ofMinutes(2)));

        assertThat(Deadlines.of(customer, rules).returnAt()).isEqualTo(ASSIGNED.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aLevelOverrideInMinutesAppliesToThatLevelOnly() {
        PoolRuleSet levelA = PoolRuleSet.newBuilder()
                .setExemptWon(true)
                .setCountWonInCapacity(false)
                .setFollowUpMinutes(10)
                .build();
        PoolRules rules = rules(set -> set.setFollowUpDays(30).setCloseDays(90), Map.of("A", levelA));

        assertThat(Deadlines.of(heldCustomer("A"), rules).returnAt()).isEqualTo(ASSIGNED.plus(Duration.ofMinutes(10)));
        assertThat(Deadlines.of(heldCustomer("B"), rules).returnAt()).isEqualTo(ASSIGNED.plus(Duration.ofDays(30)));
    }

    @Test
    void withoutMinutesTheDaysApplyAsBefore() {
        PoolRules rules = rules(set -> set.setFollowUpDays(30), Map.of());

        assertThat(Deadlines.of(heldCustomer(null), rules).returnAt()).isEqualTo(ASSIGNED.plus(Duration.ofDays(30)));
    }

    private static PoolRules rules(Consumer<PoolRuleSet.Builder> change, Map<String, PoolRuleSet> levels) {
        TenantRules defaults = TenantRulesDefaults.forTenant("t");
        PoolRuleSet.Builder set = PoolRuleSet.newBuilder(defaults.getDefaults())
                .setFollowUpDays(null)
                .setCloseDays(null)
                .setReminderDays(null);
        change.accept(set);
        return new PoolRules(TenantRules.newBuilder(defaults)
                .setDefaults(set.build())
                .setLevelOverrides(levels)
                .build());
    }

    private static CustomerSnapshot heldCustomer(String level) {
        return CustomerSnapshot.newBuilder()
                .setTenant("t")
                .setCustomerId("c-1")
                .setVersion(1)
                .setCompany(Company.newBuilder().setName("上海星云科技有限公司").build())
                .setContacts(List.of())
                .setMatchKeys(List.of())
                .setLeadIds(List.of("lead-1"))
                .setOwner("alice")
                .setStage("NEW")
                .setLevel(level)
                .setFirstLeadAt(ASSIGNED)
                .setCreatedAt(ASSIGNED)
                .setUpdatedAt(ASSIGNED)
                .setAssignedAt(ASSIGNED)
                .setLocked(false)
                .build();
    }
}
