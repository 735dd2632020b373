package io.leadflow.matching;

/**
 * The raw fields of a lead or customer that match keys come from; any of them may be null or blank.
 */
public record LeadFields(String name, String creditCode, String email, String phone, String mobile, String website) {

    public static LeadFields ofName(String name) {
        return new LeadFields(name, null, null, null, null, null);
    }
}
