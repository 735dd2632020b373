package io.leadflow.api.command;

import io.leadflow.api.customer.CustomerView;
import java.time.Instant;

/** Bodies of the command endpoints. */
final class CommandViews {

    private CommandViews() {}

    record ReleaseRequest(String reason) {}

    record AssignRequest(String toOwner, Boolean force) {}

    record TransferRequest(String fromOwner, String toOwner, Boolean force) {}

    record LockRequest(String reason) {}

    record MergeRequest(String survivorId, String mergedId) {}

    /** A follow-up: {@code type} CALL, VISIT, EMAIL, MEETING or NOTE; {@code occurredAt} defaults to now. */
    record FollowUpRequest(String type, String note, Instant occurredAt) {}

    /** An accepted command: the customer as the processor left it (null for commands on no single customer). */
    record Accepted(String commandId, String outcome, String customerId, CustomerView customer) {}

    /** A command whose outcome did not arrive in time: poll {@code location}. */
    record Pending(String commandId, String status, String location) {}

    /** A command's outcome, as polled. */
    record Outcome(
            String commandId, String outcome, String reason, String message, String customerId, Instant decidedAt) {}

    /** A recorded follow-up, once Kafka acknowledged it. */
    record FollowUpAccepted(String activityId, String customerId) {}
}
