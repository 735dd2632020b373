package io.leadflow.api.command;

import io.leadflow.api.ApiProperties;
import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.customer.CustomerQueries;
import io.leadflow.api.customer.CustomerView;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.rules.Visibility;
import io.leadflow.api.web.BadParameter;
import io.leadflow.api.web.Problems;
import io.leadflow.avro.Activity;
import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.Assign;
import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FollowUpType;
import io.leadflow.avro.Lock;
import io.leadflow.avro.Merge;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.RefusalReason;
import io.leadflow.avro.Release;
import io.leadflow.avro.Transfer;
import io.leadflow.avro.Unlock;
import io.leadflow.schemas.Topics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pool commands (claim, release, assign, transfer, lock, unlock, merge) go through the commands topic to the
 * processor, the single writer of customer state; the request waits a bounded time for the processor's
 * {@code CommandResult} and answers {@code 200} with the customer as it now is, {@code 409}/{@code 422}
 * problem+json with the refusal reason, or {@code 202} with the URL where the outcome will appear. The actor,
 * roles, team and tenant always come from the token. Follow-ups go to the activities topic and answer
 * {@code 202} once Kafka has them.
 */
@Component
class CommandHandler {

    static final int MAX_TEXT = 2000;

    /** How long an accepted command waits for the projection, so the reads after its 200 see the change. */
    static final Duration READ_YOUR_WRITES = Duration.ofSeconds(3);

    private final KafkaPublisher publisher;
    private final CommandResults results;
    private final CommandResultRepository outcomes;
    private final CommandRequestRepository requests;
    private final CustomerQueries customers;
    private final TenantRulesService rules;
    private final JsonMapper json;
    private final Duration timeout;
    private final Clock clock;

    CommandHandler(
            KafkaPublisher publisher,
            CommandResults results,
            CommandResultRepository outcomes,
            CommandRequestRepository requests,
            CustomerQueries customers,
            TenantRulesService rules,
            JsonMapper json,
            ApiProperties properties) {
        this.publisher = publisher;
        this.results = results;
        this.outcomes = outcomes;
        this.requests = requests;
        this.customers = customers;
        this.rules = rules;
        this.json = json;
        this.timeout = properties.commands().timeout();
        this.clock = Clock.systemUTC();
    }

    Mono<ServerResponse> claim(ServerRequest request) {
        return send(request, request.pathVariable("id"), new Claim());
    }

    Mono<ServerResponse> release(ServerRequest request) {
        return body(request, CommandViews.ReleaseRequest.class, new CommandViews.ReleaseRequest(null))
                .flatMap(body -> send(request, request.pathVariable("id"), new Release(text("reason", body.reason()))));
    }

    Mono<ServerResponse> assign(ServerRequest request) {
        if (!ViewerFilter.viewer(request).isManager()) {
            return Problems.forbidden("only managers and admins assign customers");
        }
        return body(request, CommandViews.AssignRequest.class, null)
                .flatMap(body -> send(
                        request,
                        request.pathVariable("id"),
                        new Assign(required("toOwner", body.toOwner()), Boolean.TRUE.equals(body.force()))));
    }

    Mono<ServerResponse> transfer(ServerRequest request) {
        if (!ViewerFilter.viewer(request).isManager()) {
            return Problems.forbidden("only managers and admins transfer customers");
        }
        return body(request, CommandViews.TransferRequest.class, null)
                .flatMap(body -> send(
                        request,
                        request.pathVariable("id"),
                        new Transfer(
                                text("fromOwner", body.fromOwner()),
                                required("toOwner", body.toOwner()),
                                Boolean.TRUE.equals(body.force()))));
    }

    Mono<ServerResponse> lock(ServerRequest request) {
        return body(request, CommandViews.LockRequest.class, new CommandViews.LockRequest(null))
                .flatMap(body -> send(request, request.pathVariable("id"), new Lock(text("reason", body.reason()))));
    }

    Mono<ServerResponse> unlock(ServerRequest request) {
        return send(request, request.pathVariable("id"), new Unlock());
    }

    Mono<ServerResponse> merge(ServerRequest request) {
        if (!ViewerFilter.viewer(request).isManager()) {
            return Problems.forbidden("only managers and admins merge customers");
        }
        return body(request, CommandViews.MergeRequest.class, null).flatMap(body -> {
            String survivor = required("survivorId", body.survivorId());
            String merged = required("mergedId", body.mergedId());
            if (survivor.equals(merged)) {
                throw BadParameter.field("mergedId", "must differ from survivorId");
            }
            return send(request, null, new Merge(survivor, merged));
        });
    }

    Mono<ServerResponse> outcome(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String commandId = request.pathVariable("commandId");
        return outcomes.find(viewer.tenant(), commandId)
                .flatMap(outcome -> ServerResponse.ok().bodyValue(outcome))
                .switchIfEmpty(Mono.defer(() -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .bodyValue(new CommandViews.Pending(commandId, "PENDING", location(commandId)))));
    }

    /**
     * Records a follow-up on a customer the caller holds (or, for a manager, their team holds; for an admin,
     * any); a customer the caller may not see is 404. With an {@link IdempotencyKey} the activity id is the
     * key's and the first request under it is kept: a retry sends the same activity again (same id, same time),
     * which the processor recognises and does not apply twice; a different request under the same key is
     * refused with {@code 422}.
     */
    Mono<ServerResponse> followUp(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String customerId = request.pathVariable("id");
        return body(request, CommandViews.FollowUpRequest.class, null).flatMap(body -> {
            FollowUpType type = followUpType(body.type());
            String note = text("note", body.note());
            return rules.of(viewer.tenant())
                    .flatMap(document -> customers.find(Visibility.of(viewer, document), customerId))
                    .flatMap(customer -> mayFollowUp(viewer, customer)
                            ? record(request, viewer, customerId, body, type, note)
                            : Problems.forbidden("only the owner, their manager or an admin records follow-ups"))
                    .switchIfEmpty(Mono.defer(() -> Problems.notFound("customer " + customerId)));
        });
    }

    private static boolean mayFollowUp(Viewer viewer, CustomerView customer) {
        return customer.owner() != null && viewer.maySeeOwned(customer.owner(), customer.team());
    }

    private Mono<ServerResponse> record(
            ServerRequest request,
            Viewer viewer,
            String customerId,
            CommandViews.FollowUpRequest body,
            FollowUpType type,
            String note) {
        Optional<IdempotencyKey> key = IdempotencyKey.of(request);
        if (key.isEmpty()) {
            return record(viewer, UUID.randomUUID().toString(), clock.instant(), customerId, type, note, body);
        }
        String activityId = key.get().activityId(viewer.tenant(), viewer.user());
        String hash = IdempotencyKey.requestHash(customerId, body);
        return requests.keep(viewer.tenant(), activityId, hash, clock.instant())
                .flatMap(kept -> kept.requestHash().equals(hash)
                        ? record(viewer, activityId, kept.issuedAt(), customerId, type, note, body)
                        : Problems.idempotencyKeyReused(
                                IdempotencyKey.HEADER + " '" + key.get().value()
                                        + "' was first used for another request (activity " + activityId
                                        + "); send a new key for a new request"));
    }

    private Mono<ServerResponse> record(
            Viewer viewer,
            String activityId,
            Instant receivedAt,
            String customerId,
            FollowUpType type,
            String note,
            CommandViews.FollowUpRequest body) {
        Instant occurredAt = body.occurredAt();
        Activity activity = Activity.newBuilder()
                .setActivityId(activityId)
                .setTenant(viewer.tenant())
                .setCustomerId(customerId)
                .setKind(ActivityKind.FOLLOW_UP)
                .setFollowUpType(type)
                .setActor(viewer.user())
                .setNote(note)
                .setOccurredAt(occurredAt == null ? receivedAt : occurredAt)
                .setReceivedAt(receivedAt)
                .build();
        return publisher
                .send(Topics.ACTIVITIES, viewer.tenant(), activity)
                .flatMap(acked -> ServerResponse.status(HttpStatus.ACCEPTED)
                        .bodyValue(new CommandViews.FollowUpAccepted(activity.getActivityId(), customerId)))
                .onErrorResume(
                        e -> !(e instanceof BadParameter),
                        e -> Problems.unavailable("Kafka did not take the follow-up: " + e.getMessage()));
    }

    /**
     * Sends a command and answers its outcome. With an {@link IdempotencyKey} the command id is the key's, and
     * the first request under it is kept: a retry of it answers the outcome already projected, or else sends
     * the same command again (same id, same issue time), which the processor answers with its first outcome
     * without applying it again; a different request under the same key is refused with {@code 422}.
     */
    private Mono<ServerResponse> send(ServerRequest request, String customerId, Object payload) {
        Viewer viewer = ViewerFilter.viewer(request);
        Optional<IdempotencyKey> key = IdempotencyKey.of(request);
        if (key.isEmpty()) {
            return exchange(command(viewer, UUID.randomUUID().toString(), clock.instant(), customerId, payload));
        }
        String commandId = key.get().commandId(viewer.tenant(), viewer.user());
        String hash = IdempotencyKey.requestHash(customerId, payload);
        return requests.keep(viewer.tenant(), commandId, hash, clock.instant()).flatMap(kept -> {
            if (!kept.requestHash().equals(hash)) {
                return Problems.idempotencyKeyReused(
                        IdempotencyKey.HEADER + " '" + key.get().value() + "' was first used for another request"
                                + " (command " + commandId + "); send a new key for a new request");
            }
            PoolCommand command = command(viewer, commandId, kept.issuedAt(), customerId, payload);
            return kept.first()
                    ? exchange(command)
                    : outcomes.find(viewer.tenant(), commandId)
                            .flatMap(outcome -> answerAgain(viewer, outcome))
                            .switchIfEmpty(Mono.defer(() -> exchange(command)));
        });
    }

    private static PoolCommand command(
            Viewer viewer, String commandId, Instant issuedAt, String customerId, Object payload) {
        return PoolCommand.newBuilder()
                .setCommandId(commandId)
                .setTenant(viewer.tenant())
                .setActor(viewer.user())
                .setActorRoles(viewer.roleClaims())
                .setActorTeam(viewer.team())
                .setIssuedAt(issuedAt)
                .setCustomerId(customerId)
                .setPayload(payload)
                .build();
    }

    private Mono<ServerResponse> exchange(PoolCommand command) {
        String commandId = command.getCommandId();
        return results.exchange(
                        commandId,
                        result -> publisher
                                .send(Topics.COMMANDS, command.getTenant(), command)
                                .onErrorMap(e -> new KafkaUnavailable(e))
                                .then(result.timeout(timeout)))
                .flatMap(this::answer)
                .onErrorResume(
                        TimeoutException.class,
                        e -> ServerResponse.accepted()
                                .location(URI.create(location(commandId)))
                                .bodyValue(new CommandViews.Pending(commandId, "PENDING", location(commandId))))
                .onErrorResume(
                        KafkaUnavailable.class,
                        e -> Problems.unavailable("Kafka did not take the command: "
                                + e.getCause().getMessage()));
    }

    /**
     * The answer to a retried command whose outcome is projected: the same status and reason as the first
     * answer; an accepted one shows the customer as it is now (if the caller may still see it).
     */
    private Mono<ServerResponse> answerAgain(Viewer viewer, CommandViews.Outcome outcome) {
        if (CommandOutcome.ACCEPTED.name().equals(outcome.outcome())) {
            Mono<CustomerView> customer = outcome.customerId() == null
                    ? Mono.empty()
                    : rules.of(viewer.tenant())
                            .flatMap(document -> customers.find(Visibility.of(viewer, document), outcome.customerId()));
            return customer.map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(found -> ServerResponse.ok()
                            .bodyValue(new CommandViews.Accepted(
                                    outcome.commandId(), outcome.outcome(), outcome.customerId(), found.orElse(null))));
        }
        String reason = outcome.reason() == null ? RefusalReason.UNKNOWN.name() : outcome.reason();
        return Problems.refused(
                Refusals.status(Refusals.reason(reason)),
                reason,
                outcome.message() == null ? "refused: " + reason : outcome.message(),
                outcome.commandId());
    }

    private Mono<ServerResponse> answer(CommandResult result) {
        if (result.getOutcome() == CommandOutcome.ACCEPTED) {
            CustomerSnapshot snapshot = result.getSnapshot();
            Mono<Void> visible = snapshot == null
                    ? Mono.empty()
                    : customers.awaitProjected(
                            snapshot.getTenant(), snapshot.getCustomerId(), snapshot.getVersion(), READ_YOUR_WRITES);
            return visible.then(ServerResponse.ok()
                    .bodyValue(new CommandViews.Accepted(
                            result.getCommandId(),
                            result.getOutcome().name(),
                            result.getCustomerId(),
                            result.getSnapshot() == null ? null : CustomerView.of(result.getSnapshot(), json))));
        }
        String reason =
                result.getReason() == null ? "UNKNOWN" : result.getReason().name();
        return Problems.refused(
                Refusals.status(result.getReason()),
                reason,
                result.getMessage() == null ? "refused: " + reason : result.getMessage(),
                result.getCommandId());
    }

    private static String location(String commandId) {
        return "/api/v1/commands/" + commandId;
    }

    private static <T> Mono<T> body(ServerRequest request, Class<T> type, T whenEmpty) {
        Mono<T> body = request.bodyToMono(type);
        return whenEmpty == null
                ? body.switchIfEmpty(Mono.error(() -> BadParameter.field("body", "is required")))
                : body.defaultIfEmpty(whenEmpty);
    }

    private static FollowUpType followUpType(String type) {
        if (type == null) {
            throw BadParameter.field("type", "is required: CALL, VISIT, EMAIL, MEETING or NOTE");
        }
        try {
            return FollowUpType.valueOf(type.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadParameter.field("type", "must be CALL, VISIT, EMAIL, MEETING or NOTE");
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw BadParameter.field(field, "is required");
        }
        return text(field, value.strip());
    }

    private static String text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw BadParameter.field(field, "must be at most " + MAX_TEXT + " characters");
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** Kafka refused or timed out the send: nothing was decided, the client may retry. */
    private static final class KafkaUnavailable extends RuntimeException {
        KafkaUnavailable(Throwable cause) {
            super(cause);
        }
    }
}
