package io.leadflow.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.RefusalReason;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesDefaults;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of new customers, claims, releases, transfers, follow-ups, wins, losses and time steps, run
 * through the real topology and through a plain model of the pool rules side by side. After every step the two
 * agree on every answer and every owner, no accepted claim or transfer took its receiver over capacity, nobody
 * passed the daily claim limit, and each owner's latest emitted figures equal a recount from the customer
 * snapshots and the day's claims (a figure of an earlier day counting as no claims today).
 */
class PoolInvariantsTest {

    static final int CAPACITY = 3;
    static final int DAILY_LIMIT = 2;
    static final Duration COOLDOWN = Duration.ofDays(2);
    static final Duration FOLLOW_UP = Duration.ofDays(5);
    static final Duration CLOSE = Duration.ofDays(12);
    static final List<String> USERS = List.of("alice", "bob", "carol");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    sealed interface Action permits NewCustomer, Claim, Reclaim, Release, Transfer, FollowUp, Won, Lost, Advance {}

    record NewCustomer() implements Action {}

    record Claim(String user, int customer) implements Action {}

    /** A claim by whoever held the customer last: exercises the cooldown. */
    record Reclaim(int customer) implements Action {}

    /** A release by {@code user}, or, when {@code byHolder}, by whoever holds the customer. */
    record Release(String user, int customer, boolean byHolder) implements Action {}

    /** A manager moves a held customer to {@code user}. */
    record Transfer(String user, int customer) implements Action {}

    record FollowUp(int customer) implements Action {}

    record Won(int customer) implements Action {}

    record Lost(int customer) implements Action {}

    record Advance(Duration by) implements Action {}

    @Property(tries = 30)
    void topologyAgreesWithTheModelAndNeverBreaksALimit(@ForAll("sequences") List<Action> actions) {
        try (PoolDriver pool = new PoolDriver()) {
            pool.rules(rules());
            Model model = new Model(pool.now());
            List<String> ids = new ArrayList<>();
            for (Action action : actions) {
                step(pool, model, ids, action);
                for (String id : ids) {
                    assertThat(pool.customer(id).getOwner())
                            .as("owner of %s after %s", id, action)
                            .isEqualTo(model.owner.get(id));
                }
                for (String user : USERS) {
                    long held =
                            model.owner.values().stream().filter(user::equals).count();
                    assertThat(pool.load(user).held()).as("load of %s", user).isEqualTo(held);
                }
                assertThat(model.claims.values()).allMatch(count -> count <= DAILY_LIMIT);
                assertFiguresAreARecount(pool, model, ids, action);
            }
        }
    }

    /** Each owner's latest figures (none: all zero) against a recount from the snapshots and the model's claims. */
    private static void assertFiguresAreARecount(PoolDriver pool, Model model, List<String> ids, Action after) {
        Map<String, OwnerFigures> latest = pool.latestFigures();
        LocalDate today = LocalDate.ofInstant(pool.now(), ZONE);
        for (String user : USERS) {
            List<CustomerSnapshot> held = ids.stream()
                    .map(pool::customer)
                    .filter(customer -> user.equals(customer.getOwner()))
                    .toList();
            long counting = held.stream()
                    .filter(customer -> !"WON".equals(customer.getStage()))
                    .count();
            OwnerFigures figures = latest.get(user);
            long claimsToday = figures == null || !figures.getDay().equals(today) ? 0 : figures.getClaimsToday();
            assertThat(figures == null ? 0 : figures.getHeld())
                    .as("held of %s after %s", user, after)
                    .isEqualTo(held.size());
            assertThat(figures == null ? 0 : figures.getHeldCountingCapacity())
                    .as("held counting capacity of %s after %s", user, after)
                    .isEqualTo(counting);
            assertThat(claimsToday)
                    .as("claims today of %s after %s", user, after)
                    .isEqualTo((long) model.claims.getOrDefault(today + "|" + user, 0));
            if (figures != null) {
                assertThat(figures.getCapacity()).isEqualTo(CAPACITY);
                assertThat(figures.getDailyClaimLimit()).isEqualTo(DAILY_LIMIT);
            }
        }
        Map<String, Long> sequences = new HashMap<>();
        for (var record : pool.ownerFigures()) {
            long expected = sequences.merge(record.value.getOwner(), 1L, Long::sum);
            assertThat(record.value.getSequence())
                    .as("sequence of %s", record.key)
                    .isEqualTo(expected);
        }
    }

    private static void step(PoolDriver pool, Model model, List<String> ids, Action action) {
        if (action instanceof NewCustomer) {
            String id = pool.newCustomer("buyer" + ids.size() + "@company" + ids.size() + ".example");
            ids.add(id);
            model.owner.put(id, null);
        } else if (action instanceof Advance advance) {
            pool.advance(advance.by());
            model.advanceTo(pool.now());
        } else if (ids.isEmpty()) {
            return;
        } else if (action instanceof Claim claim) {
            String id = ids.get(claim.customer() % ids.size());
            expect(pool.claim(claim.user(), id), model.claim(claim.user(), id, pool.now()));
        } else if (action instanceof Reclaim reclaim) {
            String id = ids.get(reclaim.customer() % ids.size());
            String user = model.lastHolder.getOrDefault(id, USERS.get(0));
            expect(pool.claim(user, id), model.claim(user, id, pool.now()));
        } else if (action instanceof Release release) {
            String id = ids.get(release.customer() % ids.size());
            String user = release.byHolder() && model.owner.get(id) != null ? model.owner.get(id) : release.user();
            expect(pool.release(user, id, "random"), model.release(user, id, pool.now()));
        } else if (action instanceof Transfer transfer) {
            String id = ids.get(transfer.customer() % ids.size());
            expect(
                    pool.transfer("maria", List.of("manager"), id, transfer.user(), false),
                    model.transfer(transfer.user(), id, pool.now()));
        } else if (action instanceof FollowUp followUp) {
            String id = ids.get(followUp.customer() % ids.size());
            pool.followUp(id);
            model.followUp(id, pool.now());
        } else if (action instanceof Won won) {
            String id = ids.get(won.customer() % ids.size());
            pool.activity(id, ActivityKind.WON, null, null);
            model.stage.put(id, "WON");
        } else if (action instanceof Lost lost) {
            String id = ids.get(lost.customer() % ids.size());
            pool.activity(id, ActivityKind.LOST, null, null);
            model.stage.put(id, "LOST");
        }
    }

    private static void expect(CommandResult actual, RefusalReason expected) {
        if (expected == null) {
            assertThat(actual.getOutcome())
                    .as(String.valueOf(actual.getMessage()))
                    .isEqualTo(CommandOutcome.ACCEPTED);
        } else {
            assertThat(actual.getReason())
                    .as(String.valueOf(actual.getMessage()))
                    .isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<List<Action>> sequences() {
        Arbitrary<String> users = Arbitraries.of(USERS);
        Arbitrary<Integer> customers = Arbitraries.integers().between(0, 12);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new NewCustomer())),
                net.jqwik.api.Tuple.of(
                        6, net.jqwik.api.Combinators.combine(users, customers).as(Claim::new)),
                net.jqwik.api.Tuple.of(
                        3,
                        net.jqwik.api.Combinators.combine(users, customers, Arbitraries.of(true, true, false))
                                .as(Release::new)),
                net.jqwik.api.Tuple.of(2, customers.map(Reclaim::new)),
                net.jqwik.api.Tuple.of(2, customers.map(FollowUp::new)),
                net.jqwik.api.Tuple.of(
                        2, net.jqwik.api.Combinators.combine(users, customers).as(Transfer::new)),
                net.jqwik.api.Tuple.of(1, customers.map(Won::new)),
                net.jqwik.api.Tuple.of(1, customers.map(Lost::new)),
                net.jqwik.api.Tuple.of(
                        3,
                        Arbitraries.of(Duration.ofHours(1), Duration.ofHours(9), Duration.ofDays(1), Duration.ofDays(3))
                                .map(Advance::new)));
        return action.list().ofMinSize(5).ofMaxSize(80);
    }

    private static TenantRules.Builder rules() {
        TenantRules defaults = TenantRulesDefaults.forTenant(PoolDriver.TENANT);
        return TenantRules.newBuilder(defaults)
                .setDefaults(PoolRuleSet.newBuilder(defaults.getDefaults())
                        .setPrivatePoolCapacity(CAPACITY)
                        .setDailyClaimLimit(DAILY_LIMIT)
                        .setReclaimCooldownDays((int) COOLDOWN.toDays())
                        .setFollowUpDays((int) FOLLOW_UP.toDays())
                        .setCloseDays((int) CLOSE.toDays())
                        .setReminderDays(null)
                        .build());
    }

    /**
     * The pool rules in plain Java, written from the words, not from the topology's code. Won customers
     * neither return nor count against the capacity (the tenant defaults).
     */
    static final class Model {
        final Map<String, String> owner = new HashMap<>();
        final Map<String, String> stage = new HashMap<>();
        final Map<String, Instant> assignedAt = new HashMap<>();
        final Map<String, Instant> lastFollowUp = new HashMap<>();
        final Map<String, Instant> cooldownUntil = new HashMap<>();
        final Map<String, Integer> claims = new HashMap<>();
        final Map<String, String> lastHolder = new HashMap<>();
        Instant now;

        Model(Instant start) {
            now = start;
        }

        RefusalReason claim(String user, String id, Instant at) {
            if (owner.get(id) != null) {
                return RefusalReason.ALREADY_OWNED;
            }
            Instant until = cooldownUntil.get(id + "|" + user);
            if (until != null && at.isBefore(until)) {
                return RefusalReason.COOLDOWN;
            }
            if (counting(user) >= CAPACITY) {
                return RefusalReason.CAPACITY_REACHED;
            }
            String day = LocalDate.ofInstant(at, ZONE) + "|" + user;
            if (claims.getOrDefault(day, 0) >= DAILY_LIMIT) {
                return RefusalReason.DAILY_LIMIT_REACHED;
            }
            claims.merge(day, 1, Integer::sum);
            owner.put(id, user);
            assignedAt.put(id, at);
            assertThat(counting(user)).as("%s after a claim", user).isLessThanOrEqualTo(CAPACITY);
            return null;
        }

        RefusalReason transfer(String user, String id, Instant at) {
            if (owner.get(id) == null) {
                return RefusalReason.NOT_OWNER;
            }
            if (owner.get(id).equals(user)) {
                return RefusalReason.ALREADY_OWNED;
            }
            if (counting(user) >= CAPACITY) {
                return RefusalReason.CAPACITY_REACHED;
            }
            owner.put(id, user);
            assignedAt.put(id, at);
            assertThat(counting(user)).as("%s after a transfer", user).isLessThanOrEqualTo(CAPACITY);
            return null;
        }

        /** Customers a user holds that count against the capacity: all but the won ones. */
        long counting(String user) {
            return owner.entrySet().stream()
                    .filter(held -> user.equals(held.getValue()) && !isWon(held.getKey()))
                    .count();
        }

        boolean isWon(String id) {
            return "WON".equals(stage.get(id));
        }

        RefusalReason release(String user, String id, Instant at) {
            if (owner.get(id) == null || !owner.get(id).equals(user)) {
                return RefusalReason.NOT_OWNER;
            }
            backToPool(id, at);
            return null;
        }

        void followUp(String id, Instant at) {
            lastFollowUp.merge(id, at, (old, now) -> now.isAfter(old) ? now : old);
        }

        void advanceTo(Instant time) {
            now = time;
            for (String id : List.copyOf(owner.keySet())) {
                if (owner.get(id) != null && !isWon(id) && !deadline(id).isAfter(time)) {
                    backToPool(id, time);
                }
            }
        }

        private Instant deadline(String id) {
            Instant assigned = assignedAt.get(id);
            Instant worked = lastFollowUp.getOrDefault(id, assigned);
            Instant followUpDue = (worked.isAfter(assigned) ? worked : assigned).plus(FOLLOW_UP);
            Instant closeDue = assigned.plus(CLOSE);
            return followUpDue.isBefore(closeDue) ? followUpDue : closeDue;
        }

        private void backToPool(String id, Instant at) {
            cooldownUntil.put(id + "|" + owner.get(id), at.plus(COOLDOWN));
            lastHolder.put(id, owner.get(id));
            owner.put(id, null);
            assignedAt.remove(id);
        }
    }
}
