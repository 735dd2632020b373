package io.leadflow.api.funnel;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.BadParameter;
import io.leadflow.api.web.Params;
import io.leadflow.api.web.Problems;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelKind;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Funnel figures: the live snapshot ({@code period = live}) and cohorts by day ({@code 2026-11-27}), ISO week
 * ({@code 2026-W48}) or month ({@code 2026-11}) of lead arrival, per dimension (TENANT, TEAM, OWNER, SOURCE,
 * CAMPAIGN). Who sees which figures: {@link FunnelAccess}.
 */
@Component
class FunnelHandler {

    private static final Map<String, String> GRAINS = Map.of(
            "day", "^\\d{4}-\\d{2}-\\d{2}$",
            "week", "^\\d{4}-W\\d{2}$",
            "month", "^\\d{4}-\\d{2}$");

    private final FunnelRepository figures;

    FunnelHandler(FunnelRepository figures) {
        this.figures = figures;
    }

    Mono<ServerResponse> snapshot(ServerRequest request) {
        return figures(request, FunnelKind.SNAPSHOT, null, null, null);
    }

    Mono<ServerResponse> cohorts(ServerRequest request) {
        String grain = Params.text(request, "grain")
                .map(g -> g.toLowerCase(Locale.ROOT))
                .orElse("day");
        if (!GRAINS.containsKey(grain)) {
            throw BadParameter.parameter("grain", "must be day, week or month");
        }
        return figures(
                request,
                FunnelKind.COHORT,
                GRAINS.get(grain),
                Params.text(request, "from").orElse(null),
                Params.text(request, "to").orElse(null));
    }

    private Mono<ServerResponse> figures(
            ServerRequest request, FunnelKind kind, String periodPattern, String from, String to) {
        Viewer viewer = ViewerFilter.viewer(request);
        FunnelDimension dimension =
                Params.choice(request, "dimension", FunnelDimension.class).orElse(FunnelDimension.TENANT);
        String value = Params.text(request, "value")
                .orElse(
                        dimension == FunnelDimension.TENANT
                                ? viewer.tenant()
                                : FunnelAccess.onlyValue(viewer, dimension));
        if (value != null && !FunnelAccess.maySee(viewer, dimension, value)) {
            return Problems.forbidden("you may not see the " + dimension + " figures of " + value);
        }
        return figures.figures(viewer.tenant(), dimension.name(), kind.name(), value, periodPattern, from, to)
                .flatMap(list -> ServerResponse.ok().bodyValue(list));
    }
}
