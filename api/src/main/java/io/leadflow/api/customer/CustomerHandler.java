package io.leadflow.api.customer;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.rules.Visibility;
import io.leadflow.api.web.Params;
import io.leadflow.api.web.Problems;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Customer queries, always within the viewer's tenant and limited to what the viewer may see (a customer
 * they may not see answers 404, as if it did not exist).
 */
@Component
class CustomerHandler {

    private final CustomerRepository customers;
    private final TenantRulesService rules;
    private final Clock clock;

    CustomerHandler(CustomerRepository customers, TenantRulesService rules) {
        this.customers = customers;
        this.rules = rules;
        this.clock = Clock.systemUTC();
    }

    Mono<ServerResponse> byId(ServerRequest request) {
        String customerId = request.pathVariable("id");
        return visibility(request)
                .flatMap(visibility -> customers.findById(visibility, customerId))
                .flatMap(customer -> ServerResponse.ok().bodyValue(customer))
                .switchIfEmpty(Mono.defer(() -> Problems.notFound("customer " + customerId)));
    }

    Mono<ServerResponse> history(ServerRequest request) {
        String customerId = request.pathVariable("id");
        return visibility(request)
                .flatMap(visibility -> customers.findById(visibility, customerId))
                .flatMap(customer ->
                        customers.history(ViewerFilter.viewer(request).tenant(), customerId))
                .flatMap(events -> ServerResponse.ok().bodyValue(new CustomerHistory(customerId, events)))
                .switchIfEmpty(Mono.defer(() -> Problems.notFound("customer " + customerId)));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        Params.Paging paging = Params.paging(request);
        Integer returnsWithinDays = Params.integer(
                        request, "returnsWithinDays", 0, 3650, "must be a whole number of days from 0 to 3650")
                .orElse(null);
        CustomerFilter filter = new CustomerFilter(
                Params.text(request, "q").orElse(null),
                Params.text(request, "owner").orElse(null),
                Params.text(request, "team").orElse(null),
                Params.text(request, "pool").orElse(null),
                Params.text(request, "stage").orElse(null),
                Params.text(request, "level").orElse(null),
                Params.text(request, "source").orElse(null),
                Params.text(request, "campaign").orElse(null),
                returnsWithinDays == null ? null : clock.instant().plus(Duration.ofDays(returnsWithinDays)));
        boolean countSearch = Params.flag(request, "count", false);
        return visibility(request)
                .flatMap(visibility -> customers.page(visibility, filter, paging.page(), paging.size(), countSearch))
                .flatMap(page -> ServerResponse.ok().bodyValue(page));
    }

    private Mono<Visibility> visibility(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        return rules.of(viewer.tenant()).map(document -> Visibility.of(viewer, document));
    }
}
