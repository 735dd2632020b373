package io.leadflow.api.projection;

import io.leadflow.avro.FunnelFigure;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.r2dbc.postgresql.codec.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the latest funnel figure per key in {@code funnel_figure}. A key lives in one partition, so the
 * record's offset orders its figures: a figure replaces the row only when its offset is higher, which makes
 * replays and late records harmless. Each change takes its tenant's next change number ({@link ChangeNumbers}),
 * which funnel streams resume from.
 */
@Component
class FunnelRows implements Projector<FunnelFigure> {

    private static final String UPSERT = ChangeNumbers.NEXT + """
            INSERT INTO funnel_figure (tenant, dimension, period, dimension_value, kind, stages, won, lost, updated_at,
                source_offset, seq)
            SELECT :tenant, :dimension, :period, :value, :kind, :stages, :won, :lost, :updatedAt, :offset, number.id
            FROM number
            ON CONFLICT (tenant, dimension, period, dimension_value) DO UPDATE SET
                kind = EXCLUDED.kind, stages = EXCLUDED.stages, won = EXCLUDED.won, lost = EXCLUDED.lost,
                updated_at = EXCLUDED.updated_at, source_offset = EXCLUDED.source_offset, seq = EXCLUDED.seq
            WHERE funnel_figure.source_offset < EXCLUDED.source_offset
            """;

    private static final String DELETE = """
            DELETE FROM funnel_figure WHERE tenant = :tenant AND dimension = :dimension AND period = :period
                AND dimension_value = :value AND source_offset < :offset
            """;

    private final DatabaseClient db;
    private final JsonMapper json;

    FunnelRows(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public TopicSpec<String, FunnelFigure> topic() {
        return Topics.FUNNEL;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, FunnelFigure figure, long offset) {
        String tenant = Keys.tenantOf(key);
        Mono<Long> write = figure == null ? delete(key, tenant, offset) : upsert(figure, offset);
        return write.map(rows -> rows > 0 ? Optional.of(new Change(Change.FUNNEL, tenant)) : Optional.empty());
    }

    private Mono<Long> upsert(FunnelFigure figure, long offset) {
        var stages = figure.getStages().stream()
                .map(stage -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("stage", stage.getStage());
                    fields.put("count", stage.getCount());
                    fields.put("amount", stage.getAmount());
                    fields.put("weightedAmount", stage.getWeightedAmount());
                    fields.put("reached", stage.getReached());
                    fields.put("conversionRate", stage.getConversionRate());
                    fields.put("timeInStageP50Millis", stage.getTimeInStageP50Millis());
                    fields.put("timeInStageP90Millis", stage.getTimeInStageP90Millis());
                    return fields;
                })
                .toList();
        DatabaseClient.GenericExecuteSpec spec = db.sql(UPSERT)
                .bind("tenant", figure.getTenant())
                .bind("dimension", figure.getDimension().name())
                .bind("period", figure.getPeriod())
                .bind("value", figure.getDimensionValue())
                .bind("kind", figure.getKind().name())
                .bind("stages", Json.of(json.writeValueAsString(stages)))
                .bind("won", figure.getWon())
                .bind("lost", figure.getLost())
                .bind("offset", offset);
        return Bind.instant(spec, "updatedAt", figure.getUpdatedAt()).fetch().rowsUpdated();
    }

    /** A tombstone: key {@code tenant/DIMENSION/period/value}; the value may itself contain '/'. */
    private Mono<Long> delete(String key, String tenant, long offset) {
        String[] parts = key.substring(tenant.length() + 1).split("/", 3);
        if (parts.length < 3) {
            return Mono.just(0L);
        }
        return db.sql(DELETE)
                .bind("tenant", tenant)
                .bind("dimension", parts[0])
                .bind("period", parts[1])
                .bind("value", parts[2])
                .bind("offset", offset)
                .fetch()
                .rowsUpdated();
    }
}
