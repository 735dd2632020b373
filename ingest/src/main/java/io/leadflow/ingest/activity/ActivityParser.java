package io.leadflow.ingest.activity;

import io.leadflow.avro.Activity;
import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.FollowUpType;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.FieldError;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON activity an upstream system sent into the Avro activity, or into the list of every field
 * that is wrong with it. Rules: it names its customer ({@code customerId}) or a lead the customer came from
 * ({@code leadId}); a follow-up says how it was done, a stage change names the stage, a win carries its
 * amount; amounts are decimals of at most 16 integer digits and 2 decimal places, never negative (more
 * decimals are refused rather than rounded: money is not guessed); {@code occurredAt} is an ISO-8601
 * instant from 1900 to a day in the future, the time of receipt when absent.
 */
final class ActivityParser {

    static final int MAX_TEXT = 200;
    static final int MAX_NOTE = 4_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@/+-]{1,128}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.99");
    private static final Duration FUTURE_SLACK = Duration.ofDays(1);
    /** Far-past instants overflow the Avro {@code timestamp-millis} and are no follow-up anyway. */
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

    private static final Set<String> FIELDS = Set.of(
            "activityId",
            "customerId",
            "leadId",
            "kind",
            "followUpType",
            "stage",
            "amount",
            "actor",
            "note",
            "occurredAt");

    /** The outcome of reading one activity: exactly one of {@code activity} and a non-empty {@code errors}. */
    record Result(Activity activity, List<FieldError> errors) {
        boolean isValid() {
            return errors.isEmpty();
        }
    }

    Result parse(JsonNode body, Caller caller, Instant receivedAt, Supplier<String> idIfAbsent) {
        if (body == null || !body.isObject()) {
            return invalid(List.of(new FieldError("$", "an activity must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of an activity"));
            }
        }
        String activityId = id(body, "activityId", errors);
        String customerId = id(body, "customerId", errors);
        String leadId = id(body, "leadId", errors);
        if (customerId == null
                && leadId == null
                && errors.stream().noneMatch(e -> e.field().endsWith("Id"))) {
            errors.add(new FieldError("customerId", "one of customerId and leadId is required"));
        }
        ActivityKind kind = symbol(body, "kind", ActivityKind.class, errors);
        if (kind == null && body.get("kind") == null) {
            errors.add(new FieldError("kind", "is required: one of " + symbols(ActivityKind.class)));
        }
        FollowUpType followUpType = symbol(body, "followUpType", FollowUpType.class, errors);
        String stage = text(body, "stage", 64, errors);
        BigDecimal amount = amount(body, errors);
        if (kind == ActivityKind.FOLLOW_UP && followUpType == null && body.get("followUpType") == null) {
            errors.add(new FieldError(
                    "followUpType", "is required for a FOLLOW_UP: one of " + symbols(FollowUpType.class)));
        }
        if (kind == ActivityKind.STAGE_CHANGE && stage == null && body.get("stage") == null) {
            errors.add(new FieldError("stage", "is required for a STAGE_CHANGE"));
        }
        if (kind == ActivityKind.WON && amount == null && body.get("amount") == null) {
            errors.add(new FieldError("amount", "is required for a WON"));
        }
        Instant occurredAt = occurredAt(body, receivedAt, errors);
        String actor = text(body, "actor", MAX_TEXT, errors);
        String note = text(body, "note", MAX_NOTE, errors);
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        Activity activity = Activity.newBuilder()
                .setActivityId(activityId != null ? activityId : idIfAbsent.get())
                .setTenant(caller.tenant())
                .setCustomerId(customerId)
                .setLeadId(leadId)
                .setKind(kind)
                .setFollowUpType(followUpType)
                .setStage(stage)
                .setAmount(amount)
                .setActor(actor)
                .setNote(note)
                .setOccurredAt(occurredAt)
                .setReceivedAt(receivedAt)
                .build();
        return new Result(activity, List.of());
    }

    private static String id(JsonNode body, String name, List<FieldError> errors) {
        String id = text(body, name, 128, errors);
        if (id != null && !ID.matcher(id).matches()) {
            errors.add(new FieldError(name, "must be 1-128 characters of A-Z a-z 0-9 . _ : @ / + -"));
            return null;
        }
        return id;
    }

    private static String text(JsonNode body, String name, int maxLength, List<FieldError> errors) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() && !node.isNumber()) {
            errors.add(new FieldError(name, "must be a string"));
            return null;
        }
        String value =
                Normalizer.normalize(node.asString(), Normalizer.Form.NFKC).strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.add(new FieldError(name, "must be at most " + maxLength + " characters"));
            return null;
        }
        return value;
    }

    private static <E extends Enum<E>> E symbol(JsonNode body, String name, Class<E> type, List<FieldError> errors) {
        String value = text(body, name, 32, errors);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(name, "must be one of " + symbols(type)));
            return null;
        }
    }

    private static BigDecimal amount(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get("amount");
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal amount;
        try {
            if (node.isNumber()) {
                amount = node.decimalValue();
            } else if (node.isString()) {
                amount = new BigDecimal(node.asString().strip());
            } else {
                errors.add(new FieldError("amount", "must be a decimal number"));
                return null;
            }
        } catch (NumberFormatException e) {
            errors.add(new FieldError("amount", "must be a decimal number"));
            return null;
        }
        amount = amount.stripTrailingZeros();
        if (amount.scale() > 2) {
            errors.add(new FieldError("amount", "must have at most 2 decimal places"));
            return null;
        }
        if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            errors.add(new FieldError("amount", "must be between 0 and " + MAX_AMOUNT.toPlainString()));
            return null;
        }
        return amount.setScale(2);
    }

    private static Instant occurredAt(JsonNode body, Instant receivedAt, List<FieldError> errors) {
        JsonNode node = body.get("occurredAt");
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        if (!node.isString()) {
            errors.add(new FieldError("occurredAt", "must be an ISO-8601 instant, e.g. 2026-11-27T08:00:00Z"));
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(node.asString().strip()).toInstant();
            if (at.isAfter(receivedAt.plus(FUTURE_SLACK))) {
                errors.add(new FieldError("occurredAt", "must not be more than a day in the future"));
                return null;
            }
            if (at.isBefore(EARLIEST)) {
                errors.add(new FieldError("occurredAt", "must not be before " + EARLIEST));
                return null;
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("occurredAt", "must be an ISO-8601 instant, e.g. 2026-11-27T08:00:00Z"));
            return null;
        }
    }

    private static String symbols(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static Result invalid(List<FieldError> errors) {
        return new Result(null, List.copyOf(errors));
    }
}
