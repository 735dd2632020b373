package io.leadflow.api.rules;

import io.leadflow.api.auth.Viewer;
import io.leadflow.avro.AssignmentStrategy;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.PoolDefinition;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's pool rules, pools and funnel stages as the api shows and accepts them (the JSON twin of the Avro
 * {@code TenantRules}). Until a tenant sets its own, {@link #defaults(String)} apply — the processor's
 * documented defaults: one public pool {@code public} open to everyone, 200 customers per owner, the default
 * funnel.
 *
 * <p>Pool membership: a pool with no members and no teams is open to everyone of the tenant; otherwise a user
 * belongs to it when listed in {@code members} or when their team is in {@code teams}. Managers and admins see
 * every pool.
 */
public record RulesDocument(
        String tenant,
        Long version,
        Instant updatedAt,
        String updatedBy,
        List<Pool> pools,
        RuleSet defaults,
        Map<String, RuleSet> levelOverrides,
        Map<String, Integer> teamCapacity,
        Map<String, Integer> userCapacity,
        String assignmentStrategy,
        String roundRobinTeam,
        List<Stage> stages,
        String timeZone,
        String defaultRegion) {

    public static final String DEFAULT_POOL = "public";
    static final int DEFAULT_CAPACITY = 200;

    public RulesDocument {
        version = version == null ? 0L : version;
        pools = pools == null ? List.of() : List.copyOf(pools);
        defaults = defaults == null ? RuleSet.EMPTY : defaults;
        levelOverrides = levelOverrides == null ? Map.of() : Map.copyOf(levelOverrides);
        teamCapacity = teamCapacity == null ? Map.of() : Map.copyOf(teamCapacity);
        userCapacity = userCapacity == null ? Map.of() : Map.copyOf(userCapacity);
        assignmentStrategy = assignmentStrategy == null ? AssignmentStrategy.PUBLIC_POOL.name() : assignmentStrategy;
        stages = stages == null ? List.of() : List.copyOf(stages);
        timeZone = timeZone == null ? "Asia/Shanghai" : timeZone;
        defaultRegion = defaultRegion == null ? "CN" : defaultRegion;
    }

    /** A public pool and who may see and claim from it. */
    public record Pool(String poolId, String name, List<String> members, List<String> teams, Boolean isDefault) {
        public Pool {
            poolId = poolId == null ? "" : poolId;
            isDefault = Boolean.TRUE.equals(isDefault);
            members = members == null ? List.of() : List.copyOf(members);
            teams = teams == null ? List.of() : List.copyOf(teams);
        }

        /** Whether {@code viewer} may see and claim from this pool. */
        public boolean isVisibleTo(Viewer viewer) {
            return viewer.isManager()
                    || members.isEmpty() && teams.isEmpty()
                    || members.contains(viewer.user())
                    || viewer.team() != null && teams.contains(viewer.team());
        }
    }

    /** Return, capacity and claim rules; a null limit means none (or, in a level override, inherit). */
    public record RuleSet(
            Integer followUpDays,
            Integer closeDays,
            Integer reminderDays,
            Boolean exemptWon,
            String exemptFromStage,
            Integer privatePoolCapacity,
            Boolean countWonInCapacity,
            Integer dailyClaimLimit,
            Integer reclaimCooldownDays) {
        static final RuleSet EMPTY = new RuleSet(null, null, null, true, null, null, false, null, null);
    }

    /** One funnel stage. */
    public record Stage(String name, Integer order, Double winProbability, Boolean closedWon, Boolean closedLost) {
        public Stage {
            order = order == null ? 0 : order;
            winProbability = winProbability == null ? 0.0 : winProbability;
            closedWon = Boolean.TRUE.equals(closedWon);
            closedLost = Boolean.TRUE.equals(closedLost);
        }
    }

    /** The rules of a tenant that has not set its own (the processor's defaults). */
    public static RulesDocument defaults(String tenant) {
        return new RulesDocument(
                tenant,
                0L,
                Instant.EPOCH,
                null,
                List.of(new Pool(DEFAULT_POOL, "Public pool", List.of(), List.of(), true)),
                new RuleSet(30, 90, 3, true, null, DEFAULT_CAPACITY, false, 50, 7),
                Map.of(),
                Map.of(),
                Map.of(),
                AssignmentStrategy.PUBLIC_POOL.name(),
                null,
                List.of(
                        new Stage("NEW", 0, 0.05, false, false),
                        new Stage("CONTACTED", 1, 0.10, false, false),
                        new Stage("QUALIFIED", 2, 0.25, false, false),
                        new Stage("PROPOSAL", 3, 0.50, false, false),
                        new Stage("NEGOTIATION", 4, 0.75, false, false),
                        new Stage("WON", 5, 1.0, true, false),
                        new Stage("LOST", 6, 0.0, false, true)),
                "Asia/Shanghai",
                "CN");
    }

    /** The pools {@code viewer} may see, in configured order. */
    public List<Pool> poolsVisibleTo(Viewer viewer) {
        return pools.stream().filter(pool -> pool.isVisibleTo(viewer)).toList();
    }

    public Optional<Pool> pool(String poolId) {
        return pools.stream().filter(pool -> pool.poolId().equals(poolId)).findFirst();
    }

    /** The pool customers without an owner and without a pool id sit in. */
    public String defaultPoolId() {
        return pools.stream()
                .filter(Pool::isDefault)
                .map(Pool::poolId)
                .findFirst()
                .orElse(pools.isEmpty() ? DEFAULT_POOL : pools.get(0).poolId());
    }

    /** Private-pool capacity of a user: per user, else per team, else the default; null when unlimited. */
    public Integer capacityOf(String user, String team) {
        if (userCapacity.containsKey(user)) {
            return userCapacity.get(user);
        }
        if (team != null && teamCapacity.containsKey(team)) {
            return teamCapacity.get(team);
        }
        return defaults.privatePoolCapacity();
    }

    /** Whether won customers use private-pool capacity. */
    public boolean countsWonInCapacity() {
        return Boolean.TRUE.equals(defaults.countWonInCapacity());
    }

    /** Names of the stages that mean won. */
    public List<String> wonStages() {
        List<String> won =
                stages.stream().filter(Stage::closedWon).map(Stage::name).toList();
        return won.isEmpty() ? List.of("WON") : won;
    }

    public static RulesDocument of(TenantRules rules) {
        Map<String, RuleSet> overrides = new LinkedHashMap<>();
        rules.getLevelOverrides().forEach((level, set) -> overrides.put(level, ruleSet(set)));
        return new RulesDocument(
                rules.getTenant(),
                rules.getVersion(),
                rules.getUpdatedAt(),
                rules.getUpdatedBy(),
                rules.getPools().stream()
                        .map(pool -> new Pool(
                                pool.getPoolId(),
                                pool.getName(),
                                pool.getMembers(),
                                pool.getTeams(),
                                pool.getIsDefault()))
                        .toList(),
                ruleSet(rules.getDefaults()),
                overrides,
                rules.getTeamCapacity(),
                rules.getUserCapacity(),
                rules.getAssignmentStrategy().name(),
                rules.getRoundRobinTeam(),
                rules.getStages().stream()
                        .map(stage -> new Stage(
                                stage.getName(),
                                stage.getOrder(),
                                stage.getWinProbability(),
                                stage.getClosedWon(),
                                stage.getClosedLost()))
                        .toList(),
                rules.getTimeZone(),
                rules.getDefaultRegion());
    }

    /** The Avro record to publish, with the given identity and version. */
    public TenantRules toAvro(String tenant, long newVersion, Instant at, String by) {
        Map<String, PoolRuleSet> overrides = new LinkedHashMap<>();
        levelOverrides.forEach((level, set) -> overrides.put(level, poolRuleSet(set)));
        return TenantRules.newBuilder()
                .setTenant(tenant)
                .setVersion(newVersion)
                .setUpdatedAt(at)
                .setUpdatedBy(by)
                .setPools(pools.stream()
                        .map(pool -> PoolDefinition.newBuilder()
                                .setPoolId(pool.poolId())
                                .setName(pool.name() == null ? pool.poolId() : pool.name())
                                .setMembers(pool.members())
                                .setTeams(pool.teams())
                                .setIsDefault(pool.isDefault())
                                .build())
                        .toList())
                .setDefaults(poolRuleSet(defaults))
                .setLevelOverrides(overrides)
                .setTeamCapacity(teamCapacity)
                .setUserCapacity(userCapacity)
                .setAssignmentStrategy(AssignmentStrategy.valueOf(assignmentStrategy))
                .setRoundRobinTeam(roundRobinTeam)
                .setStages(stages.stream()
                        .map(stage -> FunnelStage.newBuilder()
                                .setName(stage.name())
                                .setOrder(stage.order())
                                .setWinProbability(stage.winProbability())
                                .setClosedWon(stage.closedWon())
                                .setClosedLost(stage.closedLost())
                                .build())
                        .toList())
                .setTimeZone(timeZone)
                .setDefaultRegion(defaultRegion)
                .build();
    }

    private static RuleSet ruleSet(PoolRuleSet set) {
        return new RuleSet(
                set.getFollowUpDays(),
                set.getCloseDays(),
                set.getReminderDays(),
                set.getExemptWon(),
                set.getExemptFromStage(),
                set.getPrivatePoolCapacity(),
                set.getCountWonInCapacity(),
                set.getDailyClaimLimit(),
                set.getReclaimCooldownDays());
    }

    private static PoolRuleSet poolRuleSet(RuleSet set) {
        return PoolRuleSet.newBuilder()
                .setFollowUpDays(set.followUpDays())
                .setCloseDays(set.closeDays())
                .setReminderDays(set.reminderDays())
                .setExemptWon(set.exemptWon() == null || set.exemptWon())
                .setExemptFromStage(set.exemptFromStage())
                .setPrivatePoolCapacity(set.privatePoolCapacity())
                .setCountWonInCapacity(Boolean.TRUE.equals(set.countWonInCapacity()))
                .setDailyClaimLimit(set.dailyClaimLimit())
                .setReclaimCooldownDays(set.reclaimCooldownDays())
                .build();
    }
}
