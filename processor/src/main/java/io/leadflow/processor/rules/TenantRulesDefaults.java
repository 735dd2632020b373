package io.leadflow.processor.rules;

import io.leadflow.avro.AssignmentStrategy;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.PoolDefinition;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rules of a tenant that has not set its own (documented in the processor README): one public pool
 * open to everyone, follow up within 30 days, win within 90, a warning 3 days before a return, 200
 * customers per owner, 50 claims a day, 7 days before a previous owner may claim a customer back, and the
 * default funnel {@code NEW → CONTACTED → QUALIFIED → PROPOSAL → NEGOTIATION → WON | LOST}.
 */
public final class TenantRulesDefaults {

    public static final String DEFAULT_POOL = "public";

    private TenantRulesDefaults() {}

    public static TenantRules forTenant(String tenant) {
        return TenantRules.newBuilder()
                .setTenant(tenant)
                .setVersion(0)
                .setUpdatedAt(Instant.EPOCH)
                .setPools(List.of(PoolDefinition.newBuilder()
                        .setPoolId(DEFAULT_POOL)
                        .setName("Public pool")
                        .setMembers(List.of())
                        .setTeams(List.of())
                        .setIsDefault(true)
                        .build()))
                .setDefaults(PoolRuleSet.newBuilder()
                        .setFollowUpDays(30)
                        .setCloseDays(90)
                        .setReminderDays(3)
                        .setExemptWon(true)
                        .setPrivatePoolCapacity(200)
                        .setCountWonInCapacity(false)
                        .setDailyClaimLimit(50)
                        .setReclaimCooldownDays(7)
                        .build())
                .setLevelOverrides(Map.of())
                .setTeamCapacity(Map.of())
                .setUserCapacity(Map.of())
                .setAssignmentStrategy(AssignmentStrategy.PUBLIC_POOL)
                .setStages(defaultStages())
                .build();
    }

    public static List<FunnelStage> defaultStages() {
        return List.of(
                stage("NEW", 0, 0.05, false, false),
                stage("CONTACTED", 1, 0.10, false, false),
                stage("QUALIFIED", 2, 0.25, false, false),
                stage("PROPOSAL", 3, 0.50, false, false),
                stage("NEGOTIATION", 4, 0.75, false, false),
                stage("WON", 5, 1.0, true, false),
                stage("LOST", 6, 0.0, false, true));
    }

    private static FunnelStage stage(String name, int order, double probability, boolean won, boolean lost) {
        return FunnelStage.newBuilder()
                .setName(name)
                .setOrder(order)
                .setWinProbability(probability)
                .setClosedWon(won)
                .setClosedLost(lost)
                .build();
    }
}
