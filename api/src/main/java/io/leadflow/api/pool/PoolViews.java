package io.leadflow.api.pool;

import io.leadflow.api.customer.CustomerView;
import java.util.List;

/** Bodies of the pool queries. */
final class PoolViews {

    private PoolViews() {}

    /** A public pool the viewer may see, with how many customers sit in it. */
    record PublicPool(String poolId, String name, boolean isDefault, long customers) {}

    /** A customer of a private pool, with the whole days left before it returns (null when exempt). */
    record HeldCustomer(CustomerView customer, Long daysLeft) {}

    /**
     * An owner's private pool (私海).
     *
     * @param capacity how many customers the owner may hold (null: unlimited)
     * @param used how many of them count against it (won customers only when the rules say so)
     */
    record PrivatePool(
            String owner, Integer capacity, long used, List<HeldCustomer> items, int page, int size, long total) {}
}
