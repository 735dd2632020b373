package io.leadflow.api.pool;

import io.leadflow.api.customer.CustomerView;
import io.leadflow.api.rules.RulesDocument;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Bodies of the pool queries. */
final class PoolViews {

    private PoolViews() {}

    /** A public pool the viewer may see, with how many customers sit in it. */
    record PublicPool(String poolId, String name, boolean isDefault, long customers) {}

    /** A customer of a private pool, with the whole days left before it returns (null when exempt). */
    record HeldCustomer(CustomerView customer, Long daysLeft) {}

    /**
     * An owner's private pool (私海).
     *
     * @param capacity how many customers the owner may hold (null: unlimited)
     * @param used how many of them count against it (won customers only when the rules say so)
     * @param figures the owner's figures as the processor keeps them (held, capacity, claims today)
     */
    record PrivatePool(
            String owner,
            Integer capacity,
            long used,
            OwnerFigures figures,
            List<HeldCustomer> items,
            int page,
            int size,
            long total) {}

    /**
     * One owner's figures (私海): customers held, those counting against the capacity, the capacity, and the claims
     * made today against the daily limit, as the processor last emitted them ({@code leadflow.owner-figures.v1}).
     *
     * @param capacity null: unlimited
     * @param claimsToday claims made on {@code day}
     * @param dailyClaimLimit null: unlimited
     * @param day today in {@code timeZone}
     * @param sequence the processor's change number of these figures; 0 when it has emitted none for the owner
     * @param updatedAt when the change behind these figures happened; null when there was none
     */
    record OwnerFigures(
            String owner,
            String team,
            long held,
            long heldCountingCapacity,
            Integer capacity,
            long claimsToday,
            Integer dailyClaimLimit,
            LocalDate day,
            String timeZone,
            long rulesVersion,
            long sequence,
            Instant updatedAt) {

        /**
         * These figures read at {@code now}. The processor emits an owner's figures for a new day only with their
         * next change, so figures of an earlier day mean no claims today.
         */
        OwnerFigures asOf(Instant now) {
            LocalDate today = now.atZone(zone(timeZone)).toLocalDate();
            if (today.equals(day)) {
                return this;
            }
            return new OwnerFigures(
                    owner,
                    team,
                    held,
                    heldCountingCapacity,
                    capacity,
                    0,
                    dailyClaimLimit,
                    today,
                    timeZone,
                    rulesVersion,
                    sequence,
                    updatedAt);
        }

        /** The figures of an owner the processor has emitted none for: nothing held, no claims, the tenant's rules. */
        static OwnerFigures none(String owner, String team, RulesDocument rules, Instant now) {
            String timeZone = zone(rules.timeZone()).getId();
            return new OwnerFigures(
                    owner,
                    team,
                    0,
                    0,
                    rules.capacityOf(owner, team),
                    0,
                    rules.defaults().dailyClaimLimit(),
                    now.atZone(ZoneId.of(timeZone)).toLocalDate(),
                    timeZone,
                    rules.version(),
                    0,
                    null);
        }

        /** The tenant's time zone; an unknown id falls back to the processor's default, as the processor does. */
        private static ZoneId zone(String id) {
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                return ZoneId.of("Asia/Shanghai");
            }
        }
    }
}
