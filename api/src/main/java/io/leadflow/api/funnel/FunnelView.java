package io.leadflow.api.funnel;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One funnel figure: per stage count, amount, weighted amount, reached, conversion and time in stage.
 *
 * @param seq the change number of the figure's latest change (see the live streams)
 */
public record FunnelView(
        long seq,
        String dimension,
        String value,
        String period,
        String kind,
        JsonNode stages,
        long won,
        long lost,
        Instant updatedAt) {}
