package io.leadflow.api.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerPageTest {

    @Test
    void theTotalIsExactUpToTheLimitAndALowerBoundBeyondIt() {
        assertThat(CustomerPage.of(List.of(), 0, 20, 0, CustomerPage.TOTAL_LIMIT))
                .extracting("total", "totalExact")
                .containsExactly(0L, true);
        assertThat(CustomerPage.of(List.of(), 0, 20, CustomerPage.TOTAL_LIMIT, CustomerPage.TOTAL_LIMIT))
                .extracting("total", "totalExact")
                .containsExactly((long) CustomerPage.TOTAL_LIMIT, true);
        assertThat(CustomerPage.of(List.of(), 0, 20, CustomerPage.TOTAL_LIMIT + 1, CustomerPage.TOTAL_LIMIT))
                .extracting("total", "totalExact")
                .containsExactly((long) CustomerPage.TOTAL_LIMIT, false);
        assertThat(CustomerPage.of(
                        List.of(), 0, 20, CustomerPage.SEARCH_TOTAL_LIMIT + 1, CustomerPage.SEARCH_TOTAL_LIMIT))
                .extracting("total", "totalExact")
                .containsExactly((long) CustomerPage.SEARCH_TOTAL_LIMIT, false);
    }

    @Test
    void anUncountedPageCountsToItsEndAndSaysWhetherMoreFollow() {
        List<CustomerView> three = List.of(customer("a"), customer("b"), customer("c"));
        CustomerPage full = CustomerPage.uncounted(three, 2, 2);
        assertThat(full.items()).extracting(CustomerView::customerId).containsExactly("a", "b");
        assertThat(full).extracting("total", "totalExact").containsExactly(6L, false);
        assertThat(CustomerPage.uncounted(three.subList(0, 2), 2, 2))
                .extracting("total", "totalExact")
                .containsExactly(6L, true);
        assertThat(CustomerPage.uncounted(three.subList(0, 1), 0, 2))
                .extracting("total", "totalExact")
                .containsExactly(1L, true);
    }

    private static CustomerView customer(String id) {
        return new CustomerView(
                id, 1, null, null, null, List.of(), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, false);
    }
}
