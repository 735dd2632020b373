package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import java.time.Instant;
import java.util.Optional;

/**
 * When a held customer returns to its pool: the earlier of the follow-up deadline ({@code followUpDays}
 * after the later of the last follow-up and the assignment) and the close deadline ({@code closeDays}
 * after the assignment), for the customer's level. No deadline for customers in a pool, locked customers,
 * won customers (when the tenant exempts them) and customers at or past the exemption stage. The warning
 * is due {@code reminderDays} before the deadline.
 */
final class Deadlines {

    static final String FOLLOW_UP_RULE = "followUpDays";
    static final String FOLLOW_UP_MINUTES_RULE = "followUpMinutes";
    static final String CLOSE_RULE = "closeDays";

    private Deadlines() {}

    static Schedule of(CustomerSnapshot customer, PoolRules rules) {
        if (customer.getOwner() == null || customer.getAssignedAt() == null || isExempt(customer, rules)) {
            return Schedule.NONE;
        }
        Instant assignedAt = customer.getAssignedAt();
        Instant lastWorked = customer.getLastFollowUpAt() != null
                        && customer.getLastFollowUpAt().isAfter(assignedAt)
                ? customer.getLastFollowUpAt()
                : assignedAt;
        Optional<Instant> followUp = rules.followUp(customer.getLevel()).map(lastWorked::plus);
        Optional<Instant> close = rules.close(customer.getLevel()).map(assignedAt::plus);
        Instant returnAt;
        String rule;
        if (followUp.isPresent() && (close.isEmpty() || !close.get().isBefore(followUp.get()))) {
            returnAt = followUp.get();
            rule = rules.followUpRule(customer.getLevel());
        } else if (close.isPresent()) {
            returnAt = close.get();
            rule = CLOSE_RULE;
        } else {
            return Schedule.NONE;
        }
        Instant warnAt = rules.reminder(customer.getLevel())
                .filter(reminder -> !reminder.isZero())
                .map(returnAt::minus)
                .orElse(null);
        return new Schedule(returnAt, rule, warnAt, null);
    }

    static boolean isExempt(CustomerSnapshot customer, PoolRules rules) {
        return customer.getLocked()
                || rules.exemptWon() && rules.isWon(customer.getStage())
                || rules.isPastExemptionStage(customer.getStage());
    }
}
