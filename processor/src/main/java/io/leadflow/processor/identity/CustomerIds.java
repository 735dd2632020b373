package io.leadflow.processor.identity;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A customer's id is derived from the tenant and the lead that founded it (a name-based UUID), so
 * reprocessing the same input after a crash yields the same ids, and a client that knows which of its
 * leads founded a customer knows the customer's id without asking.
 */
public final class CustomerIds {

    private CustomerIds() {}

    /** The id of the customer that lead {@code leadId} of {@code tenant} founded. */
    public static String ofFoundingLead(String tenant, String leadId) {
        return UUID.nameUUIDFromBytes((tenant + "/" + leadId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
