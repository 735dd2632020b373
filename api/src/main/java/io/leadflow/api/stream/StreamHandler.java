package io.leadflow.api.stream;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.funnel.FunnelAccess;
import io.leadflow.api.projection.Change;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.rules.Visibility;
import io.leadflow.api.web.BadParameter;
import io.leadflow.api.web.Params;
import io.leadflow.api.web.Problems;
import io.leadflow.avro.FunnelDimension;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live streams (Server-Sent Events), scoped and permission-checked like the REST queries: the funnel
 * figures of a dimension the caller may see, the caller's own pool events and collisions, and the events of a
 * public pool the caller belongs to. A client resumes with {@code Last-Event-ID} (or {@code ?lastEventId=}); the
 * funnel stream without it starts with the current figures, the event streams with what happens next.
 */
@Component
class StreamHandler {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    private final LiveStream live;
    private final StreamRepository rows;
    private final TenantRulesService rules;

    StreamHandler(LiveStream live, StreamRepository rows, TenantRulesService rules) {
        this.live = live;
        this.rows = rows;
        this.rules = rules;
    }

    Mono<ServerResponse> funnel(ServerRequest request) {
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
        long after = lastEventId(request).orElse(0L);
        return respond(
                request,
                viewer,
                Set.of(Change.FUNNEL),
                Mono.just(after),
                cursor -> rows.funnelAfter(viewer.tenant(), cursor, dimension.name(), value));
    }

    Mono<ServerResponse> myEvents(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        return respond(
                request,
                viewer,
                Set.of(Change.POOL, Change.IDENTITY),
                start(request, viewer),
                cursor -> rows.userEventsAfter(viewer.tenant(), cursor, viewer.user()));
    }

    Mono<ServerResponse> pool(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String poolId = request.pathVariable("poolId");
        Mono<Long> start = start(request, viewer);
        return rules.of(viewer.tenant())
                .filter(document -> Visibility.of(viewer, document).canSeePool(poolId))
                .flatMap(document -> respond(
                        request,
                        viewer,
                        Set.of(Change.POOL),
                        start,
                        cursor -> rows.poolEventsAfter(
                                viewer.tenant(), cursor, poolId, poolId.equals(document.defaultPoolId()))))
                .switchIfEmpty(Mono.defer(() -> Problems.notFound("pool " + poolId)));
    }

    private Mono<ServerResponse> respond(
            ServerRequest request,
            Viewer viewer,
            Set<String> streams,
            Mono<Long> start,
            LongFunction<Flux<StreamItem>> rowsAfter) {
        return Mono.zip(start, expiry(request)).flatMap(begin -> {
            Instant expiresAt = begin.getT2().orElse(null);
            Flux<ServerSentEvent<Object>> events =
                    live.follow(viewer.tenant(), streams, begin.getT1(), rowsAfter, expiresAt);
            return ServerResponse.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no")
                    .body(BodyInserters.fromServerSentEvents(events));
        });
    }

    /** After {@code Last-Event-ID} when given, else after the tenant's latest change (only what happens next). */
    private Mono<Long> start(ServerRequest request, Viewer viewer) {
        return lastEventId(request).map(Mono::just).orElseGet(() -> rows.latest(viewer.tenant()));
    }

    static Optional<Long> lastEventId(ServerRequest request) {
        Optional<String> raw = Optional.ofNullable(request.headers().firstHeader(LAST_EVENT_ID))
                .or(() -> request.queryParam("lastEventId"))
                .map(String::strip)
                .filter(text -> !text.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!raw.get().matches("\\d{1,18}")) {
            throw BadParameter.parameter(LAST_EVENT_ID, "must be the id of an event of this stream");
        }
        return Optional.of(Long.parseLong(raw.get()));
    }

    private static Mono<Optional<Instant>> expiry(ServerRequest request) {
        return request.principal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> Optional.ofNullable(
                        ((JwtAuthenticationToken) principal).getToken().getExpiresAt()))
                .defaultIfEmpty(Optional.empty());
    }
}
