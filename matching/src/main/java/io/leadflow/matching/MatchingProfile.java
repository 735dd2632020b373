package io.leadflow.matching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Which fields of a record matter to matching and how (configuration, so the same engine runs on CRM
 * leads, a legacy customer list or any other data).
 *
 * <p>Rules: exact keys always join (strongest kind wins). A fuzzy candidate scoring at least {@code
 * joinThreshold} joins too (the CRM default never joins on fuzzy evidence: {@code
 * Double.POSITIVE_INFINITY}); one scoring at least {@code reviewThreshold} is a possible duplicate for
 * review. {@code blockLimit} caps the candidates read per blocking key, so a common word costs a bounded
 * amount of work; with {@code blockStopUnits}, a blocking key that already holds {@code blockLimit}
 * customers is a stop-unit, like a stop word: it retrieves no candidate at all (a bigram that many trade
 * names share is no evidence, and which {@code blockLimit} of its customers a scan would return is
 * arbitrary).
 *
 * @param name shown in reports
 * @param fields the fields, in a fixed order (it is the order of a stored fingerprint)
 * @param defaultRegion phone region for numbers without a country code, e.g. "CN"
 */
public record MatchingProfile(
        String name,
        List<FieldRule> fields,
        String defaultRegion,
        double reviewThreshold,
        double joinThreshold,
        int blockLimit,
        boolean blockStopUnits) {

    /** Field names of the CRM default, as {@link LeadFields#toMap()} writes them. */
    public static final String NAME = "name";

    public static final String CREDIT_CODE = "creditCode";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String MOBILE = "mobile";
    public static final String WEBSITE = "website";

    public MatchingProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one field");
        }
        Set<String> names = new HashSet<>();
        for (FieldRule field : fields) {
            if (!names.add(field.field())) {
                throw new IllegalArgumentException("field " + field.field() + " appears twice");
            }
        }
        if (!(reviewThreshold > 0) || joinThreshold < reviewThreshold) {
            throw new IllegalArgumentException("need 0 < reviewThreshold <= joinThreshold");
        }
        if (blockLimit < 1) {
            throw new IllegalArgumentException("blockLimit must be positive");
        }
    }

    /**
     * The CRM default: credit code, e-mail, phone, mobile and website give exact keys; the company name
     * gives an exact NAME key and, scored by {@link NameSimilarity}, possible duplicates at {@value
     * NameSimilarity#POSSIBLE_DUPLICATE}; fuzzy evidence never joins, except the one name rule of the engine: the
     * same name apart from a leading region only one side gives, unambiguous and not contradicted by the record's
     * credit code or switchboard ({@code same-name-apart-from-region}, see {@link MatchEngine}).
     */
    public static MatchingProfile crm(String defaultRegion) {
        return new MatchingProfile(
                "crm",
                List.of(
                        FieldRule.key(CREDIT_CODE, Role.CREDIT_CODE),
                        FieldRule.key(EMAIL, Role.EMAIL),
                        FieldRule.key(PHONE, Role.PHONE),
                        FieldRule.key(MOBILE, Role.PHONE),
                        FieldRule.key(WEBSITE, Role.WEBSITE),
                        new FieldRule(NAME, Role.ORGANISATION_NAME, 1, 0)),
                defaultRegion,
                NameSimilarity.POSSIBLE_DUPLICATE,
                Double.POSITIVE_INFINITY,
                64,
                true);
    }

    /**
     * Reads a profile from properties:
     *
     * <pre>
     * name=febrl
     * region=AU
     * review-threshold=6
     * join-threshold=9            # or "never"
     * block-limit=64
     * block-stop-units=true       # a blocking key holding block-limit customers retrieves none
     * field.surname=PERSON_NAME,3,1   # role[,weight[,penalty]]
     * field.soc_sec_id=IDENTIFIER
     * </pre>
     *
     * Fields are ordered by name.
     */
    public static MatchingProfile fromProperties(Properties properties) {
        List<FieldRule> fields = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("field.")) {
                continue;
            }
            String[] parts = properties.getProperty(key).split(",");
            Role role = Role.valueOf(parts[0].strip().toUpperCase(Locale.ROOT));
            double weight = parts.length > 1 ? Double.parseDouble(parts[1].strip()) : 0;
            double penalty = parts.length > 2 ? Double.parseDouble(parts[2].strip()) : 0;
            fields.add(new FieldRule(key.substring("field.".length()), role, weight, penalty));
        }
        fields.sort(Comparator.comparing(FieldRule::field));
        String join = properties.getProperty("join-threshold", "never").strip();
        return new MatchingProfile(
                properties.getProperty("name", "custom"),
                fields,
                properties.getProperty("region", "CN").strip(),
                Double.parseDouble(
                        properties.getProperty("review-threshold", "0.7").strip()),
                join.equals("never") ? Double.POSITIVE_INFINITY : Double.parseDouble(join),
                Integer.parseInt(properties.getProperty("block-limit", "64").strip()),
                Boolean.parseBoolean(
                        properties.getProperty("block-stop-units", "true").strip()));
    }

    /** Whether fuzzy evidence alone may join a record to a customer. */
    public boolean joinsOnFuzzyEvidence() {
        return joinThreshold != Double.POSITIVE_INFINITY;
    }

    List<FieldRule> comparedFields() {
        return fields.stream().filter(FieldRule::isCompared).toList();
    }
}
