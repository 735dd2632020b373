package io.leadflow.api.duplicate;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Bodies of the duplicate check and the identity findings. */
final class DuplicateViews {

    private DuplicateViews() {}

    /** A 查重 request: any of the fields; at least one. */
    record CheckRequest(String name, String phone, String email, String creditCode, String website) {}

    /** One normalised key of the request. */
    record Key(String kind, String value) {}

    /**
     * Why a customer matched, as the matching engine says: the key kind or compared role, the input field, the
     * normalised value ({@code "mine ~ theirs"} for a comparison), its score and the rule.
     */
    record Evidence(String kind, String field, String value, double score, String rule) {}

    /** A contact, possibly masked. */
    record Contact(String name, String title, String phone, String mobile, String email) {}

    /**
     * A customer that matches: {@code verdict} SAME (shares an exact key; {@code score} 1), LIKELY (the same name
     * apart from a region only one of the two gives, and nothing ambiguous: a lead would join it) or POSSIBLE (a
     * similar name; {@code score} the name similarity). Owner and pool are always shown; contact data and the credit code
     * are masked unless the caller may see the customer ({@code masked}).
     */
    record Match(
            String customerId,
            String verdict,
            double score,
            String companyName,
            String creditCode,
            String website,
            String owner,
            String team,
            String poolId,
            String stage,
            boolean masked,
            List<Contact> contacts,
            List<Evidence> evidence) {}

    /** The answer: the keys the input normalised to, and the matches, strongest first. */
    record CheckResult(List<Key> keys, List<Match> matches) {}

    /** A collision, possible duplicate, merge suggestion or merge. */
    record Finding(
            long seq,
            String eventId,
            String type,
            String customerId,
            String otherCustomerId,
            String leadId,
            String holder,
            String intendedOwner,
            JsonNode evidence,
            Instant occurredAt) {}

    /** A page of findings. */
    record FindingPage(List<Finding> items, int page, int size) {}
}
