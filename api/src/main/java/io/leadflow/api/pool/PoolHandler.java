package io.leadflow.api.pool;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.customer.CustomerFilter;
import io.leadflow.api.customer.CustomerQueries;
import io.leadflow.api.rules.RulesDocument;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.rules.Visibility;
import io.leadflow.api.web.Params;
import io.leadflow.api.web.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Pool queries: the public pools (公海) a user may see, with their customers, and an owner's private pool
 * (私海) with days left before each customer returns, the capacity used and the owner's figures. A salesperson
 * reads only their own private pool; a manager also their team's (the listing shows only customers held by the
 * team); an admin anyone's. An owner's figures (held, capacity, claims today): a salesperson their own, a manager
 * or an admin any owner's of the tenant.
 */
@Component
class PoolHandler {

    private final TenantRulesService rules;
    private final CustomerQueries customers;
    private final PoolRepository pools;
    private final OwnerFiguresRepository figures;
    private final Clock clock;

    PoolHandler(
            TenantRulesService rules, CustomerQueries customers, PoolRepository pools, OwnerFiguresRepository figures) {
        this.rules = rules;
        this.customers = customers;
        this.pools = pools;
        this.figures = figures;
        this.clock = Clock.systemUTC();
    }

    Mono<ServerResponse> publicPools(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        return rules.of(viewer.tenant())
                .flatMap(document -> pools.publicCounts(viewer.tenant(), document.defaultPoolId())
                        .map(counts -> document.poolsVisibleTo(viewer).stream()
                                .map(pool -> new PoolViews.PublicPool(
                                        pool.poolId(),
                                        pool.name(),
                                        pool.isDefault(),
                                        counts.getOrDefault(pool.poolId(), 0L)))
                                .toList()))
                .flatMap(list -> ServerResponse.ok().bodyValue(list));
    }

    Mono<ServerResponse> publicPoolCustomers(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String poolId = request.pathVariable("poolId");
        Params.Paging paging = Params.paging(request);
        return rules.of(viewer.tenant())
                .map(document -> Visibility.of(viewer, document))
                .filter(visibility -> visibility.canSeePool(poolId))
                .flatMap(visibility ->
                        customers.page(visibility, CustomerFilter.inPool(poolId), paging.page(), paging.size()))
                .flatMap(page -> ServerResponse.ok().bodyValue(page))
                .switchIfEmpty(Mono.defer(() -> Problems.notFound("pool " + poolId)));
    }

    Mono<ServerResponse> myPrivatePool(ServerRequest request) {
        return privatePool(request, ViewerFilter.viewer(request).user());
    }

    Mono<ServerResponse> privatePoolOf(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String owner = request.pathVariable("owner");
        if (!owner.equals(viewer.user()) && !viewer.isManager()) {
            return Problems.forbidden("only managers and admins read another owner's private pool");
        }
        return privatePool(request, owner);
    }

    /** {@code GET /api/v1/owners/{user}/figures}: an owner's figures, read as of now. */
    Mono<ServerResponse> ownerFigures(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        String owner = request.pathVariable("user");
        if (!owner.equals(viewer.user()) && !viewer.isManager()) {
            return Problems.forbidden("only managers and admins read another owner's figures");
        }
        return rules.of(viewer.tenant())
                .flatMap(document -> figuresOf(viewer, owner, document, clock.instant()))
                .flatMap(found -> ServerResponse.ok().bodyValue(found));
    }

    private Mono<ServerResponse> privatePool(ServerRequest request, String owner) {
        Viewer viewer = ViewerFilter.viewer(request);
        Params.Paging paging = Params.paging(request);
        Instant now = clock.instant();
        return rules.of(viewer.tenant()).flatMap(document -> {
            Visibility visibility = Visibility.of(viewer, document);
            return Mono.zip(
                            customers.page(visibility, CustomerFilter.ownedBy(owner), paging.page(), paging.size()),
                            used(viewer, owner, document),
                            figuresOf(viewer, owner, document, now))
                    .flatMap(result -> ServerResponse.ok()
                            .bodyValue(new PoolViews.PrivatePool(
                                    owner,
                                    document.capacityOf(
                                            owner,
                                            result.getT1().items().stream()
                                                    .map(customer -> customer.team())
                                                    .filter(team -> team != null)
                                                    .findFirst()
                                                    .orElse(owner.equals(viewer.user()) ? viewer.team() : null)),
                                    result.getT2(),
                                    result.getT3(),
                                    result.getT1().items().stream()
                                            .map(customer -> new PoolViews.HeldCustomer(
                                                    customer, daysLeft(now, customer.returnDeadline())))
                                            .toList(),
                                    paging.page(),
                                    paging.size(),
                                    result.getT1().total())));
        });
    }

    /** The owner's projected figures as of {@code now}; all zero under the tenant's rules when there are none yet. */
    private Mono<PoolViews.OwnerFigures> figuresOf(Viewer viewer, String owner, RulesDocument document, Instant now) {
        String team = owner.equals(viewer.user()) ? viewer.team() : null;
        return figures.of(viewer.tenant(), owner)
                .map(found -> found.asOf(now))
                .defaultIfEmpty(PoolViews.OwnerFigures.none(owner, team, document, now));
    }

    /** Capacity used; only counted over customers the viewer may see, so a manager learns nothing beyond the team. */
    private Mono<Long> used(Viewer viewer, String owner, RulesDocument document) {
        return pools.used(viewer.tenant(), owner, document.countsWonInCapacity(), document.wonStages());
    }

    /** Whole days until {@code deadline}, rounded up, never negative; null without a deadline. */
    static Long daysLeft(Instant now, Instant deadline) {
        if (deadline == null) {
            return null;
        }
        long millis = Duration.between(now, deadline).toMillis();
        if (millis <= 0) {
            return 0L;
        }
        return (millis + Duration.ofDays(1).toMillis() - 1) / Duration.ofDays(1).toMillis();
    }
}
