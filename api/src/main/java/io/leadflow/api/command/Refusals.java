package io.leadflow.api.command;

import io.leadflow.avro.RefusalReason;
import org.springframework.http.HttpStatus;

/**
 * How a refusal answers: {@code 404} when the processor knows no such customer (never created, or merged away)
 * — the same answer a query gives for a customer one may not see, so a command reveals no more than a read;
 * {@code 409 Conflict} when the customer's current state is in the way (someone holds it, a limit or cooldown
 * applies, it is locked, it left the pool) — retrying later may succeed; {@code 422} when the command itself
 * cannot succeed (not a member, not the owner, not permitted, invalid).
 */
final class Refusals {

    private Refusals() {}

    /** The reason a projected outcome names; one this api does not know is {@code UNKNOWN}. */
    static RefusalReason reason(String name) {
        try {
            return RefusalReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return RefusalReason.UNKNOWN;
        }
    }

    static HttpStatus status(RefusalReason reason) {
        return switch (reason == null ? RefusalReason.UNKNOWN : reason) {
            case ALREADY_OWNED, CAPACITY_REACHED, DAILY_LIMIT_REACHED, COOLDOWN, LOCKED, NOT_IN_POOL ->
                HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_A_MEMBER, NOT_OWNER, NOT_PERMITTED, INVALID, UNKNOWN -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    }
}
