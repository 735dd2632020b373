package io.leadflow.api.customer;

import java.util.List;

/**
 * One page of a customer listing, with the total so clients can page. Counting every match of a broad filter
 * over a million customers costs a scan of them all, on every page: the total is counted up to {@link
 * #TOTAL_LIMIT} ({@link #SEARCH_TOTAL_LIMIT} for a free-text search that asks for a count), and {@code totalExact} is
 * false when there are more than {@code total} (show "1,000+", "200+"). A free-text search is not counted unless asked
 * ({@link #uncounted}): its total is the matches up to the end of this page, exact only on the last page ("20+").
 */
public record CustomerPage(List<CustomerView> items, int page, int size, long total, boolean totalExact) {

    public static final int TOTAL_LIMIT = 1_000;

    /**
     * A free-text search's matches are counted from the table, row by row (the character pairs say which names
     * match, not who may see them): up to 200, ten pages of 20, which is as far as a name search is read before it is
     * refined. Up to 1,000 took a salesperson's two-character search to p99 22–28 ms at a million customers; up to
     * 200 still cost more than the page (the character pairs' index lists every name with the query's characters
     * before the first is counted: 3.5 ms for a common pair, 6.5 ms for a common character), so a search is counted
     * only when asked.
     */
    public static final int SEARCH_TOTAL_LIMIT = 200;

    /**
     * A page of a search that was not counted: {@code found} holds up to {@code size + 1} matches from the page's
     * start, the one after the page telling that more follow.
     */
    public static CustomerPage uncounted(List<CustomerView> found, int page, int size) {
        boolean more = found.size() > size;
        List<CustomerView> items = more ? found.subList(0, size) : found;
        return new CustomerPage(List.copyOf(items), page, size, (long) page * size + items.size(), !more);
    }

    /** A page whose matches were counted up to {@code limit + 1}. */
    public static CustomerPage of(
            List<CustomerView> items, int page, int size, long countedUpToLimitPlusOne, int limit) {
        boolean exact = countedUpToLimitPlusOne <= limit;
        return new CustomerPage(items, page, size, exact ? countedUpToLimitPlusOne : limit, exact);
    }
}
