package io.leadflow.bench.workload;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * One thing a simulated upstream system or salesperson does: send a lead or an activity to ingest, or a pool
 * command to the api. Every step names its tenant and the company it concerns ({@link #company()}: an index
 * within the tenant); what a driver must respect to keep {@link Reference} exact is said in {@link Workload}.
 */
public sealed interface Step permits Step.Lead, Step.Activity, Step.Command {

    /** Immutable in Jackson 3, so shared. */
    JsonMapper JSON = JsonMapper.builder().build();

    String tenant();

    /** The company the step concerns, numbered from 0 within its tenant. */
    int company();

    /** The body to send, as JSON. */
    String json();

    /**
     * A lead for {@code POST /ingest/v1/leads}.
     *
     * @param first whether this is the company's first lead in the workload
     * @param intendedOwner the salesperson it is sent for, or {@code null}
     * @param body the JSON object ingest takes
     */
    record Lead(
            String tenant,
            int company,
            String leadId,
            boolean first,
            String intendedOwner,
            String source,
            String campaign,
            Map<String, Object> body)
            implements Step {

        public Lead {
            Objects.requireNonNull(leadId, "leadId");
            body = Map.copyOf(body);
        }

        @Override
        public String json() {
            return JSON.writeValueAsString(body);
        }
    }

    /** The kinds of activity ingest takes (the Avro {@code ActivityKind}). */
    enum ActivityKind {
        FOLLOW_UP,
        STAGE_CHANGE,
        WON,
        LOST
    }

    /**
     * An activity for {@code POST /ingest/v1/activities}, aimed at the customer by one of its lead ids.
     *
     * @param leadId the lead whose customer it concerns; a driver sends it once that lead is in a customer
     * @param stage the stage entered (STAGE_CHANGE), else {@code null}
     * @param amount the customer's new amount, or {@code null} to leave it
     */
    record Activity(
            String tenant,
            int company,
            String activityId,
            String leadId,
            ActivityKind kind,
            String followUpType,
            String stage,
            BigDecimal amount,
            String actor)
            implements Step {

        public Activity {
            Objects.requireNonNull(activityId, "activityId");
            Objects.requireNonNull(leadId, "leadId");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String json() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("activityId", activityId);
            body.put("leadId", leadId);
            body.put("kind", kind.name());
            putIfPresent(body, "followUpType", followUpType);
            putIfPresent(body, "stage", stage);
            putIfPresent(body, "amount", amount == null ? null : amount.toPlainString());
            putIfPresent(body, "actor", actor);
            return JSON.writeValueAsString(body);
        }
    }

    /** The pool commands the workload sends. */
    enum CommandAction {
        CLAIM,
        RELEASE
    }

    /**
     * A pool command for {@code POST /api/v1/customers/{id}/claim} or {@code .../release}, sent by a salesperson
     * (role {@code sales}, no team) to the customer of {@link #company()}.
     *
     * @param key unique in the workload: the {@code Idempotency-Key} to send it with
     * @param reason the release reason, else {@code null}
     */
    record Command(String tenant, int company, String key, String actor, CommandAction action, String reason)
            implements Step {

        public Command {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(action, "action");
        }

        /** The path below {@code /api/v1/customers/{id}/}. */
        public String verb() {
            return action == CommandAction.CLAIM ? "claim" : "release";
        }

        @Override
        public String json() {
            return reason == null ? "{}" : JSON.writeValueAsString(Map.of("reason", reason));
        }
    }

    private static void putIfPresent(Map<String, Object> map, String name, Object value) {
        if (value != null) {
            map.put(name, value);
        }
    }
}
