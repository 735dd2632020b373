package io.leadflow.api.customer;

import io.leadflow.api.rules.Visibility;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Customer reads for other features (pools, commands), with the same visibility rule as the listing. */
@Service
public class CustomerQueries {

    private final CustomerRepository customers;

    CustomerQueries(CustomerRepository customers) {
        this.customers = customers;
    }

    public Mono<CustomerView> find(Visibility visibility, String customerId) {
        return customers.findById(visibility, customerId);
    }

    public Mono<CustomerPage> page(Visibility visibility, CustomerFilter filter, int page, int size) {
        Mono<List<CustomerView>> items = customers.search(visibility, filter, page, size);
        return items.zipWith(customers.count(visibility, filter))
                .map(result -> new CustomerPage(result.getT1(), page, size, result.getT2()));
    }

    public Mono<Long> count(Visibility visibility, CustomerFilter filter) {
        return customers.count(visibility, filter);
    }
}
