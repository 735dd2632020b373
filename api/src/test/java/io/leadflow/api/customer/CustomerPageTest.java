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
}
