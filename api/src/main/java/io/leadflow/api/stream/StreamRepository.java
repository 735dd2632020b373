package io.leadflow.api.stream;

import io.leadflow.api.funnel.FunnelView;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows of one tenant after a change number ({@code seq}, see {@code ChangeNumbers} in the projection), oldest
 * first, at most {@link LiveStream#PAGE} per read. Every query is scoped to the tenant of the caller's token.
 */
@Repository
class StreamRepository {

    static final String FUNNEL = "funnel";
    static final String POOL_EVENT = "pool-event";
    static final String IDENTITY_EVENT = "identity-event";

    private static final String LIMIT = " ORDER BY seq LIMIT " + LiveStream.PAGE;

    private static final String FUNNEL_AFTER =
            "SELECT seq, dimension, dimension_value, period, kind, stages, won, lost, updated_at FROM funnel_figure"
                    + " WHERE tenant = :tenant AND seq > :after AND dimension = :dimension"
                    + " AND (CAST(:value AS text) IS NULL OR dimension_value = :value)" + LIMIT;

    private static final String POOL_EVENT_COLUMNS = "SELECT seq, event_id, customer_id, type, actor, from_owner,"
            + " to_owner, pool_id, rule, reason, deadline, occurred_at FROM pool_event";

    private static final String USER_POOL_EVENTS_AFTER = POOL_EVENT_COLUMNS
            + " WHERE tenant = :tenant AND seq > :after AND (to_owner = :user OR from_owner = :user)" + LIMIT;

    private static final String USER_IDENTITY_EVENTS_AFTER = "SELECT seq, event_id, type, customer_id,"
            + " other_customer_id, lead_id, holder, intended_owner, evidence, occurred_at FROM identity_event"
            + " WHERE tenant = :tenant AND seq > :after AND (holder = :user OR intended_owner = :user)" + LIMIT;

    /** Events of a public pool; an event without a pool id of an unowned customer belongs to the default pool. */
    private static final String POOL_EVENTS_AFTER = POOL_EVENT_COLUMNS
            + " WHERE tenant = :tenant AND seq > :after"
            + " AND (pool_id = :pool OR (:isDefault AND pool_id IS NULL AND to_owner IS NULL))" + LIMIT;

    private static final String LATEST = "SELECT last_id FROM tenant_change WHERE tenant = :tenant";

    private final DatabaseClient db;
    private final JsonMapper json;

    StreamRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The tenant's latest change number: a stream that starts "from now" continues after it. */
    Mono<Long> latest(String tenant) {
        return db.sql(LATEST)
                .bind("tenant", tenant)
                .map(row -> row.get(0, Long.class))
                .one()
                .defaultIfEmpty(0L);
    }

    /** Funnel figures of one dimension (and value, when not null) whose latest change is after {@code after}. */
    Flux<StreamItem> funnelAfter(String tenant, long after, String dimension, String value) {
        DatabaseClient.GenericExecuteSpec spec =
                db.sql(FUNNEL_AFTER).bind("tenant", tenant).bind("after", after).bind("dimension", dimension);
        spec = value == null ? spec.bindNull("value", String.class) : spec.bind("value", value);
        return spec.map(row -> new StreamItem(row.get("seq", Long.class), FUNNEL, funnelView(row)))
                .all();
    }

    /** Pool events that moved a customer to or from {@code user}, and identity findings naming them. */
    Flux<StreamItem> userEventsAfter(String tenant, long after, String user) {
        Flux<StreamItem> pool = db.sql(USER_POOL_EVENTS_AFTER)
                .bind("tenant", tenant)
                .bind("after", after)
                .bind("user", user)
                .map(row -> new StreamItem(row.get("seq", Long.class), POOL_EVENT, poolEvent(row)))
                .all();
        Flux<StreamItem> identity = db.sql(USER_IDENTITY_EVENTS_AFTER)
                .bind("tenant", tenant)
                .bind("after", after)
                .bind("user", user)
                .map(row -> new StreamItem(row.get("seq", Long.class), IDENTITY_EVENT, identityEvent(row)))
                .all();
        return Flux.mergeComparing(Comparator.comparingLong(StreamItem::id), pool, identity)
                .take(LiveStream.PAGE);
    }

    /** Events of public pool {@code poolId} ({@code isDefault}: it is the tenant's default pool). */
    Flux<StreamItem> poolEventsAfter(String tenant, long after, String poolId, boolean isDefault) {
        return db.sql(POOL_EVENTS_AFTER)
                .bind("tenant", tenant)
                .bind("after", after)
                .bind("pool", poolId)
                .bind("isDefault", isDefault)
                .map(row -> new StreamItem(row.get("seq", Long.class), POOL_EVENT, poolEvent(row)))
                .all();
    }

    private FunnelView funnelView(Readable row) {
        return new FunnelView(
                row.get("seq", Long.class),
                row.get("dimension", String.class),
                row.get("dimension_value", String.class),
                row.get("period", String.class),
                row.get("kind", String.class),
                json.readTree(row.get("stages", Json.class).asString()),
                row.get("won", Long.class),
                row.get("lost", Long.class),
                instant(row, "updated_at"));
    }

    private static StreamViews.PoolEventView poolEvent(Readable row) {
        return new StreamViews.PoolEventView(
                row.get("seq", Long.class),
                row.get("event_id", String.class),
                row.get("customer_id", String.class),
                row.get("type", String.class),
                row.get("actor", String.class),
                row.get("from_owner", String.class),
                row.get("to_owner", String.class),
                row.get("pool_id", String.class),
                row.get("rule", String.class),
                row.get("reason", String.class),
                instant(row, "deadline"),
                instant(row, "occurred_at"));
    }

    private StreamViews.IdentityEventView identityEvent(Readable row) {
        return new StreamViews.IdentityEventView(
                row.get("seq", Long.class),
                row.get("event_id", String.class),
                row.get("type", String.class),
                row.get("customer_id", String.class),
                row.get("other_customer_id", String.class),
                row.get("lead_id", String.class),
                row.get("holder", String.class),
                row.get("intended_owner", String.class),
                json.readTree(row.get("evidence", Json.class).asString()),
                instant(row, "occurred_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
