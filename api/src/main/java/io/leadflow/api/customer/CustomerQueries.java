package io.leadflow.api.customer;

import io.leadflow.api.rules.Visibility;
import java.time.Duration;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Customer reads for other features (pools, commands), with the same visibility rule as the listing. */
@Service
public class CustomerQueries {

    private static final Duration PROJECTION_POLL = Duration.ofMillis(20);

    private final CustomerRepository customers;

    CustomerQueries(CustomerRepository customers) {
        this.customers = customers;
    }

    public Mono<CustomerView> find(Visibility visibility, String customerId) {
        return customers.findById(visibility, customerId);
    }

    /**
     * Completes once the projection holds at least {@code version} of the customer, or after {@code atMost}:
     * a command answered {@code 200} is then visible to the reads that follow it.
     */
    public Mono<Void> awaitProjected(String tenant, String customerId, long version, Duration atMost) {
        return Mono.defer(() -> customers.projectedVersion(tenant, customerId))
                .filter(projected -> projected >= version)
                .repeatWhenEmpty(attempts -> attempts.delayElements(PROJECTION_POLL))
                .timeout(atMost, Mono.empty())
                .then();
    }

    public Mono<CustomerPage> page(Visibility visibility, CustomerFilter filter, int page, int size) {
        return customers.page(visibility, filter, page, size, true);
    }

    public Mono<Long> count(Visibility visibility, CustomerFilter filter) {
        return customers.count(visibility, filter);
    }
}
