package io.leadflow.api.customer;

import java.util.List;

/**
 * One page of a customer listing, with the total so clients can page. Counting every match of a broad filter
 * over a million customers costs a scan of them all, on every page: the total is counted up to {@link
 * #TOTAL_LIMIT}, and {@code totalExact} is false when there are more (show "1,000+").
 */
public record CustomerPage(List<CustomerView> items, int page, int size, long total, boolean totalExact) {

    public static final int TOTAL_LIMIT = 1_000;

    /** A page whose matches were counted up to {@code TOTAL_LIMIT + 1}. */
    public static CustomerPage of(List<CustomerView> items, int page, int size, long countedUpToLimitPlusOne) {
        boolean exact = countedUpToLimitPlusOne <= TOTAL_LIMIT;
        return new CustomerPage(items, page, size, exact ? countedUpToLimitPlusOne : TOTAL_LIMIT, exact);
    }
}
