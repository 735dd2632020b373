package io.leadflow.api.funnel;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Reads projected funnel figures of one tenant. */
@Repository
class FunnelRepository {

    static final int MAX_FIGURES = 1000;

    private static final String COLUMNS =
            "seq, dimension, dimension_value, period, kind, stages, won, lost, updated_at";

    private static final String FIGURES = "SELECT " + COLUMNS + " FROM funnel_figure"
            + " WHERE tenant = :tenant AND dimension = :dimension AND kind = :kind"
            + " AND (CAST(:value AS text) IS NULL OR dimension_value = :value)"
            + " AND (CAST(:periodPattern AS text) IS NULL OR period ~ :periodPattern)"
            + " AND (CAST(:from AS text) IS NULL OR period >= :from)"
            + " AND (CAST(:to AS text) IS NULL OR period <= :to)"
            + " ORDER BY dimension_value, period LIMIT " + MAX_FIGURES;

    private final DatabaseClient db;
    private final JsonMapper json;

    FunnelRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<List<FunnelView>> figures(
            String tenant, String dimension, String kind, String value, String periodPattern, String from, String to) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(FIGURES)
                .bind("tenant", tenant)
                .bind("dimension", dimension)
                .bind("kind", kind);
        spec = text(spec, "value", value);
        spec = text(spec, "periodPattern", periodPattern);
        spec = text(spec, "from", from);
        spec = text(spec, "to", to);
        return spec.map(this::view).all().collectList();
    }

    private static DatabaseClient.GenericExecuteSpec text(
            DatabaseClient.GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private FunnelView view(Readable row) {
        return new FunnelView(
                row.get("seq", Long.class),
                row.get("dimension", String.class),
                row.get("dimension_value", String.class),
                row.get("period", String.class),
                row.get("kind", String.class),
                json.readTree(row.get("stages", Json.class).asString()),
                row.get("won", Long.class),
                row.get("lost", Long.class),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
