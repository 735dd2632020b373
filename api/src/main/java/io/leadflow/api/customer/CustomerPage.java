package io.leadflow.api.customer;

import java.util.List;

/** One page of a customer listing, with the total so clients can page. */
public record CustomerPage(List<CustomerView> items, int page, int size, long total) {}
