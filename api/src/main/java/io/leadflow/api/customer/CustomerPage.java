package io.leadflow.api.customer;

import java.util.List;

/**
 * One page of a customer listing, with the total so clients can page. Counting every match of a broad filter
 * over a million customers costs a scan of them all, on every page: the total is counted up to {@link
 * #TOTAL_LIMIT} ({@link #SEARCH_TOTAL_LIMIT} for a free-text search), and {@code totalExact} is false when there are
 * more (show "1,000+", "200+").
 */
public record CustomerPage(List<CustomerView> items, int page, int size, long total, boolean totalExact) {

    public static final int TOTAL_LIMIT = 1_000;

    /**
     * A free-text search's matches are counted from the table, row by row (the character pairs say which names
     * match, not who may see them): up to 200, ten pages of 20, which is as far as a name search is read before it is
     * refined. Up to 1,000 took a salesperson's two-character search to p99 22–28 ms at a million customers.
     */
    public static final int SEARCH_TOTAL_LIMIT = 200;

    /** A page whose matches were counted up to {@code limit + 1}. */
    public static CustomerPage of(
            List<CustomerView> items, int page, int size, long countedUpToLimitPlusOne, int limit) {
        boolean exact = countedUpToLimitPlusOne <= limit;
        return new CustomerPage(items, page, size, exact ? countedUpToLimitPlusOne : limit, exact);
    }
}
