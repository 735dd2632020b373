package io.leadflow.processor.funnel;

/**
 * A customer's funnel facts before and after a change; either may be null (a new customer, a customer
 * merged away). It carries both so the figures take back exactly what the customer added before.
 */
record FactsChange(CustomerFacts before, CustomerFacts after) {

    FactsChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("A change needs a before or an after");
        }
    }
}
