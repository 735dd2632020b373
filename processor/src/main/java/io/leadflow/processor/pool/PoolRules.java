package io.leadflow.processor.pool;

import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.PoolDefinition;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesDefaults;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One tenant's pool rules as the pool lifecycle applies them: the tenant's defaults, overridden per
 * customer level (A/B/C) field by field where the override sets a value, and per user or team for the
 * private-pool capacity. A rule that is not set (null) does not apply: no deadline, no limit.
 */
final class PoolRules {

    private final TenantRules rules;
    private final ZoneId timeZone;
    private final Map<String, String> teamOfUser;
    private final Map<String, FunnelStage> stageByName = new HashMap<>();

    PoolRules(TenantRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.timeZone = timeZoneOf(rules);
        this.teamOfUser = teamsOfUsers(rules);
        stages().forEach(stage -> stageByName.putIfAbsent(stage.getName(), stage));
    }

    long version() {
        return rules.getVersion();
    }

    ZoneId timeZone() {
        return timeZone;
    }

    /** The day {@code at} falls on in the tenant's time zone: the day a claim counts towards. */
    LocalDate dayOf(Instant at) {
        return at.atZone(timeZone()).toLocalDate();
    }

    /** The name of the follow-up rule in force for a level, as reported when it fires. */
    String followUpRule(String level) {
        Integer minutes = override(level)
                .map(PoolRuleSet::getFollowUpMinutes)
                .orElse(defaults().getFollowUpMinutes());
        return minutes != null ? Deadlines.FOLLOW_UP_MINUTES_RULE : Deadlines.FOLLOW_UP_RULE;
    }

    /** The follow-up period: {@code followUpMinutes} when set (demonstrations), else {@code followUpDays}. */
    Optional<Duration> followUp(String level) {
        Integer minutes = override(level)
                .map(PoolRuleSet::getFollowUpMinutes)
                .orElse(defaults().getFollowUpMinutes());
        if (minutes != null) {
            return Optional.of(Duration.ofMinutes(minutes));
        }
        return days(override(level)
                .map(PoolRuleSet::getFollowUpDays)
                .orElse(defaults().getFollowUpDays()));
    }

    Optional<Duration> close(String level) {
        return days(
                override(level).map(PoolRuleSet::getCloseDays).orElse(defaults().getCloseDays()));
    }

    Optional<Duration> reminder(String level) {
        return days(override(level)
                .map(PoolRuleSet::getReminderDays)
                .orElse(defaults().getReminderDays()));
    }

    boolean exemptWon() {
        return defaults().getExemptWon();
    }

    boolean countWonInCapacity() {
        return defaults().getCountWonInCapacity();
    }

    OptionalInt dailyClaimLimit() {
        Integer limit = defaults().getDailyClaimLimit();
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    Optional<Duration> reclaimCooldown() {
        return days(defaults().getReclaimCooldownDays());
    }

    /** The private-pool capacity of a user: their own, else their team's, else the tenant's; empty = unlimited. */
    OptionalInt capacityOf(String user, String team) {
        Integer capacity = rules.getUserCapacity().get(user);
        if (capacity == null && team != null) {
            capacity = rules.getTeamCapacity().get(team);
        }
        if (capacity == null) {
            capacity = defaults().getPrivatePoolCapacity();
        }
        return capacity == null ? OptionalInt.empty() : OptionalInt.of(capacity);
    }

    /** The pool new and returned customers go to when none is named: the default pool, else the first. */
    String defaultPool() {
        return rules.getPools().stream()
                .filter(PoolDefinition::getIsDefault)
                .findFirst()
                .or(() -> rules.getPools().stream().findFirst())
                .map(PoolDefinition::getPoolId)
                .orElse(TenantRulesDefaults.DEFAULT_POOL);
    }

    /** Whether a user (of a team) may see and claim from a pool; a pool without members is open to all. */
    boolean isMember(String poolId, String user, String team) {
        Optional<PoolDefinition> pool = rules.getPools().stream()
                .filter(definition -> definition.getPoolId().equals(poolId))
                .findFirst();
        if (pool.isEmpty()) {
            return poolId == null || poolId.equals(defaultPool());
        }
        PoolDefinition definition = pool.get();
        if (definition.getMembers().isEmpty() && definition.getTeams().isEmpty()) {
            return true;
        }
        return definition.getMembers().contains(user)
                || team != null && definition.getTeams().contains(team);
    }

    List<FunnelStage> stages() {
        return rules.getStages().isEmpty() ? TenantRulesDefaults.defaultStages() : rules.getStages();
    }

    /** The stage of that name (the first, were there several); looked up on every save, so by a map built once. */
    Optional<FunnelStage> stage(String name) {
        return Optional.ofNullable(stageByName.get(name));
    }

    boolean isWon(String stage) {
        FunnelStage found = stageByName.get(stage);
        return found != null && found.getClosedWon();
    }

    Optional<String> wonStage() {
        return stages().stream()
                .filter(FunnelStage::getClosedWon)
                .map(FunnelStage::getName)
                .findFirst();
    }

    Optional<String> lostStage() {
        return stages().stream()
                .filter(FunnelStage::getClosedLost)
                .map(FunnelStage::getName)
                .findFirst();
    }

    /** Whether a customer in this stage has an open opportunity at or past the tenant's exemption stage. */
    boolean isPastExemptionStage(String stage) {
        String exemptFrom = defaults().getExemptFromStage();
        if (exemptFrom == null) {
            return false;
        }
        Optional<FunnelStage> threshold = stage(exemptFrom);
        Optional<FunnelStage> current = stage(stage);
        return threshold.isPresent()
                && current.isPresent()
                && !current.get().getClosedLost()
                && !current.get().getClosedWon()
                && current.get().getOrder() >= threshold.get().getOrder();
    }

    String roundRobinTeam() {
        return rules.getRoundRobinTeam();
    }

    /** Members of the round-robin team, in the configured order. */
    List<String> roundRobinMembers() {
        String team = rules.getRoundRobinTeam();
        return team == null ? List.of() : rules.getTeamMembers().getOrDefault(team, List.of());
    }

    /** The team a user belongs to according to the rules, if any (the first by name if several). */
    Optional<String> teamOf(String user) {
        return Optional.ofNullable(teamOfUser.get(user));
    }

    boolean assignsRoundRobin() {
        return rules.getAssignmentStrategy() == io.leadflow.avro.AssignmentStrategy.ROUND_ROBIN;
    }

    private PoolRuleSet defaults() {
        return rules.getDefaults();
    }

    private Optional<PoolRuleSet> override(String level) {
        return Optional.ofNullable(level).map(rules.getLevelOverrides()::get);
    }

    private static ZoneId timeZoneOf(TenantRules rules) {
        try {
            return ZoneId.of(rules.getTimeZone());
        } catch (RuntimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    private static Map<String, String> teamsOfUsers(TenantRules rules) {
        Map<String, String> teamOfUser = new HashMap<>();
        rules.getTeamMembers()
                .forEach((team, members) -> members.forEach(
                        user -> teamOfUser.merge(user, team, (one, other) -> one.compareTo(other) <= 0 ? one : other)));
        return teamOfUser;
    }

    private static Optional<Duration> days(Integer days) {
        return days == null ? Optional.empty() : Optional.of(Duration.ofDays(days));
    }
}
