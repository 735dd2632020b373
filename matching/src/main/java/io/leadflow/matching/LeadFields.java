package io.leadflow.matching;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw fields of a lead or customer that match keys come from; any of them may be null or blank.
 */
public record LeadFields(String name, String creditCode, String email, String phone, String mobile, String website) {

    public static LeadFields ofName(String name) {
        return new LeadFields(name, null, null, null, null, null);
    }

    /** The fields by the names of {@link MatchingProfile#crm}; null and blank values are left out. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        put(map, MatchingProfile.NAME, name);
        put(map, MatchingProfile.CREDIT_CODE, creditCode);
        put(map, MatchingProfile.EMAIL, email);
        put(map, MatchingProfile.PHONE, phone);
        put(map, MatchingProfile.MOBILE, mobile);
        put(map, MatchingProfile.WEBSITE, website);
        return map;
    }

    private static void put(Map<String, String> map, String field, String value) {
        if (!Text.isBlank(value)) {
            map.put(field, value);
        }
    }
}
