package io.leadflow.api.customer;

import io.leadflow.api.auth.TokenAuthenticator;
import io.leadflow.api.auth.Viewer;
import io.leadflow.api.web.Problems;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Customer queries, always within the viewer's tenant. */
@Component
class CustomerHandler {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_QUERY_LENGTH = 200;

    private final CustomerRepository customers;

    CustomerHandler(CustomerRepository customers) {
        this.customers = customers;
    }

    Mono<ServerResponse> byId(ServerRequest request) {
        Viewer viewer = TokenAuthenticator.viewer(request);
        String customerId = request.pathVariable("id");
        return customers
                .findById(viewer.tenant(), customerId)
                .flatMap(customer -> ServerResponse.ok().bodyValue(customer))
                .switchIfEmpty(Mono.defer(() -> Problems.notFound("customer " + customerId)));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        Viewer viewer = TokenAuthenticator.viewer(request);
        Optional<Integer> page = intParam(request, "page");
        Optional<Integer> size = intParam(request, "size");
        if (page.isEmpty() && request.queryParam("page").isPresent() || page.orElse(0) < 0) {
            return Problems.badParameter("page", "must be a whole number of at least 0");
        }
        if (size.isEmpty() && request.queryParam("size").isPresent()
                || size.orElse(DEFAULT_PAGE_SIZE) < 1
                || size.orElse(DEFAULT_PAGE_SIZE) > MAX_PAGE_SIZE) {
            return Problems.badParameter("size", "must be a whole number from 1 to " + MAX_PAGE_SIZE);
        }
        String query = request.queryParam("q")
                .map(String::strip)
                .filter(q -> !q.isEmpty())
                .orElse(null);
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            return Problems.badParameter("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        int pageNumber = page.orElse(0);
        int pageSize = size.orElse(DEFAULT_PAGE_SIZE);
        return customers
                .search(viewer.tenant(), query, pageNumber, pageSize)
                .zipWith(customers.count(viewer.tenant(), query))
                .flatMap(result -> ServerResponse.ok()
                        .bodyValue(new CustomerPage(result.getT1(), pageNumber, pageSize, result.getT2())));
    }

    private static Optional<Integer> intParam(ServerRequest request, String name) {
        try {
            return request.queryParam(name).map(String::strip).map(Integer::valueOf);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
