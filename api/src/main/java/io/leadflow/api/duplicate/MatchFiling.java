package io.leadflow.api.duplicate;

import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.PreparedRecord;
import java.util.List;

/**
 * How a projected customer is filed for 查重: the blocking keys and the fingerprint the matching engine gives
 * its company (name, credit code, website) and first contact, as the processor files the leads it resolves. The
 * projection stores both with the customer row; {@link DuplicateCheck} reads them back as the engine's index.
 *
 * @param blocks the blocking keys ({@code field:unit}) the customer is found under
 * @param fingerprint the comparable values the engine scores a candidate by
 */
public record MatchFiling(List<String> blocks, String fingerprint) {

    /**
     * Phone region for numbers without a country code: the processor's ({@code IdentityTopology.DEFAULT_REGION}),
     * so both derive the same keys from the same input.
     */
    public static final String DEFAULT_REGION = "CN";

    /** The engine both 查重 and the projection use. */
    public static final MatchEngine ENGINE = MatchEngine.crm(DEFAULT_REGION);

    public MatchFiling {
        blocks = List.copyOf(blocks);
    }

    /** The filing of a customer with these company fields and (first) contact; any may be null. */
    public static MatchFiling of(
            String companyName, String creditCode, String website, String email, String phone, String mobile) {
        PreparedRecord record =
                ENGINE.prepare(new LeadFields(companyName, creditCode, email, phone, mobile, website).toMap());
        return new MatchFiling(record.blocks().stream().sorted().toList(), record.fingerprint());
    }
}
