package io.leadflow.processor.pool;

import io.leadflow.avro.CustomerSnapshot;
import java.time.Instant;
import java.util.Objects;

/**
 * When a held customer returns to its pool, by which rule, and when its owner is warned. {@code warnedFor}
 * remembers the deadline a warning was already sent for, so a warning goes out once per deadline even when
 * the schedule is recomputed.
 */
record Schedule(Instant returnAt, String rule, Instant warnAt, Instant warnedFor) {

    static final Schedule NONE = new Schedule(null, null, null, null);

    /** The schedule a snapshot's return deadline and rule say, with no warning to send or remember. */
    static Schedule of(CustomerSnapshot customer) {
        return customer.getReturnDeadline() == null
                ? NONE
                : new Schedule(customer.getReturnDeadline(), customer.getReturnRule(), null, null);
    }

    boolean returns() {
        return returnAt != null;
    }

    boolean warns() {
        return warnAt != null && !Objects.equals(warnedFor, returnAt);
    }

    /**
     * Whether this schedule says more than a snapshot's return deadline and rule: a warning to send, or one sent.
     * Only such schedules are stored; the others are read from the snapshot ({@link #of}).
     */
    boolean hasWarning() {
        return warnAt != null || warnedFor != null;
    }

    Schedule warned() {
        return new Schedule(returnAt, rule, warnAt, returnAt);
    }

    /** This schedule, keeping the memory of a warning already sent for the same deadline. */
    Schedule rememberingWarningOf(Schedule previous) {
        return new Schedule(returnAt, rule, warnAt, previous.warnedFor());
    }

    String encode() {
        return millis(returnAt) + "|" + (rule == null ? "" : rule) + "|" + millis(warnAt) + "|" + millis(warnedFor);
    }

    static Schedule decode(String value) {
        if (value == null) {
            return NONE;
        }
        String[] parts = value.split("\\|", -1);
        return new Schedule(
                instant(parts[0]), parts[1].isEmpty() ? null : parts[1], instant(parts[2]), instant(parts[3]));
    }

    private static String millis(Instant instant) {
        return instant == null ? "" : Long.toString(instant.toEpochMilli());
    }

    private static Instant instant(String millis) {
        return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
