package io.leadflow.ingest.lead;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.FieldError;
import io.leadflow.matching.CreditCodes;
import io.leadflow.matching.EmailNormalizer;
import io.leadflow.matching.PhoneNormalizer;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON lead an upstream system sent into the Avro lead, or into the list of every field that is
 * wrong with it. Unknown fields are kept as free attributes rather than refused, because upstream forms
 * change more often than LeadFlow does. Text is trimmed and NFKC-folded for display; matching keys are
 * derived later by the processor; where folding changed a value, the value as sent is kept as the free
 * attribute {@code raw.<field>}. Phones must be valid numbers of the tenant's region (or carry their own
 * country code), e-mails must be addresses, credit codes must pass the GB 32100 check.
 */
public final class LeadParser {

    static final int MAX_TEXT = 200;
    static final int MAX_ADDRESS = 500;
    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_ATTRIBUTE_VALUE = 2_000;

    static final int MAX_LEAD_ID = 128;
    private static final Set<String> LEVELS = Set.of("A", "B", "C");

    static final String RAW_PREFIX = "raw.";

    private static final TimeBasedEpochGenerator LEAD_IDS = Generators.timeBasedEpochGenerator();

    private final Function<String, String> regionOfTenant;
    private final Map<String, PhoneNormalizer> phonesByRegion = new ConcurrentHashMap<>();

    /** A parser that reads phone numbers without a country code as Chinese ones. */
    public LeadParser() {
        this(tenant -> "CN");
    }

    /** @param regionOfTenant the region of phone numbers without a country code, per tenant */
    public LeadParser(Function<String, String> regionOfTenant) {
        this.regionOfTenant = regionOfTenant;
    }

    /** A new time-ordered lead id (UUIDv7), for leads their sender gave none. */
    public static String newLeadId() {
        return LEAD_IDS.generate().toString();
    }

    /** The outcome of reading one lead: exactly one of {@code lead} and a non-empty {@code errors}. */
    public record Result(Lead lead, List<FieldError> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public Result parse(JsonNode body, Caller caller, Instant receivedAt) {
        return parse(body, caller, receivedAt, LeadParser::newLeadId);
    }

    /**
     * Reads one lead of {@code caller}.
     *
     * @param idIfAbsent the lead id to use when the body has none
     */
    public Result parse(JsonNode body, Caller caller, Instant receivedAt, Supplier<String> idIfAbsent) {
        if (body == null || !body.isObject()) {
            return invalid(List.of(new FieldError("$", "a lead must be a JSON object")));
        }
        Reader reader = new Reader(phones(caller.tenant()));
        Map<String, String> attributes = new LinkedHashMap<>();
        reader.keepUnknown(body, LeadParser::isTopLevelField, "", attributes);
        Company company = reader.company(body.get("company"), attributes);
        Contact contact = reader.contact(body.get("contact"), attributes);
        reader.attributes(body.get("attributes"), attributes);
        String leadId = reader.text(body, "leadId", "leadId", MAX_LEAD_ID);
        if (leadId != null && !isLeadId(leadId)) {
            reader.error("leadId", "must be 1-128 characters of A-Z a-z 0-9 . _ : @ / + -");
        }
        String level = reader.text(body, "level", "level", 1);
        if (level != null && !LEVELS.contains(level.toUpperCase(java.util.Locale.ROOT))) {
            reader.error("level", "must be one of A, B, C");
        }
        requireSomethingToMatchOn(reader, company, contact);
        // Records made with their setters, not their builders: a builder copies its schema's field list and checks
        // every value, 8 % of reading a lead; every field of these records is set here, the required ones never null.
        Lead lead = new Lead();
        lead.setLeadId(leadId != null ? leadId : idIfAbsent.get());
        lead.setTenant(Objects.requireNonNull(caller.tenant(), "tenant"));
        lead.setSourceSystem(Objects.requireNonNull(caller.source(), "source"));
        lead.setSource(reader.text(body, "source", "source", MAX_TEXT));
        lead.setCampaign(reader.text(body, "campaign", "campaign", MAX_TEXT));
        lead.setCompany(company);
        lead.setContact(contact);
        lead.setIntendedOwner(reader.text(body, "intendedOwner", "intendedOwner", MAX_TEXT));
        lead.setLevel(level == null ? null : level.toUpperCase(java.util.Locale.ROOT));
        lead.setAttributes(attributes);
        lead.setReceivedAt(Objects.requireNonNull(receivedAt, "receivedAt"));
        int freeAttributes = 0;
        for (String name : attributes.keySet()) {
            if (!name.startsWith(RAW_PREFIX)) {
                freeAttributes++;
            }
        }
        attributes.putAll(reader.raw);
        if (freeAttributes > MAX_ATTRIBUTES) {
            reader.error("attributes", "at most " + MAX_ATTRIBUTES + " free attributes are kept");
        }
        return reader.errors.isEmpty() ? new Result(lead, List.of()) : invalid(reader.errors);
    }

    private PhoneNormalizer phones(String tenant) {
        String region = regionOfTenant.apply(tenant);
        PhoneNormalizer phones = phonesByRegion.get(region);
        return phones != null ? phones : phonesByRegion.computeIfAbsent(region, PhoneNormalizer::new);
    }

    /** 1-128 characters of A-Z a-z 0-9 . _ : @ / + - */
    static boolean isLeadId(String id) {
        if (id.isEmpty() || id.length() > MAX_LEAD_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '@'
                    || c == '/'
                    || c == '+'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fields a lead, its company and its contact have; any other is kept as a free attribute. Switches on the
     * name rather than {@code Set.of(...).contains}: the sets' probing was 18 % of reading a lead.
     */
    private static boolean isTopLevelField(String name) {
        return switch (name) {
            case "leadId", "source", "campaign", "company", "contact", "intendedOwner", "level", "attributes" -> true;
            default -> false;
        };
    }

    private static boolean isCompanyField(String name) {
        return switch (name) {
            case "name", "creditCode", "website", "industry", "address" -> true;
            default -> false;
        };
    }

    private static boolean isContactField(String name) {
        return switch (name) {
            case "name", "title", "phone", "mobile", "email" -> true;
            default -> false;
        };
    }

    private static void requireSomethingToMatchOn(Reader reader, Company company, Contact contact) {
        boolean hasKey = company != null && (company.getName() != null || company.getCreditCode() != null)
                || contact != null
                        && (contact.getPhone() != null || contact.getMobile() != null || contact.getEmail() != null);
        if (!hasKey && reader.errors.isEmpty()) {
            reader.error(
                    "company.name",
                    "at least one of company.name, company.creditCode, contact.phone, contact.mobile, contact.email"
                            + " is required");
        }
    }

    private static Result invalid(List<FieldError> errors) {
        return new Result(null, List.copyOf(errors));
    }

    /** Collects field errors while reading, so one answer names every bad field. */
    private static final class Reader {

        private final List<FieldError> errors = new ArrayList<>();
        private final Map<String, String> raw = new LinkedHashMap<>();
        private final PhoneNormalizer phones;

        Reader(PhoneNormalizer phones) {
            this.phones = phones;
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        Company company(JsonNode node, Map<String, String> attributes) {
            if (!isObjectOrAbsent(node, "company")) {
                return null;
            }
            keepUnknown(node, LeadParser::isCompanyField, "company.", attributes);
            String creditCode = text(node, "creditCode", "company.creditCode", 40);
            if (creditCode != null && CreditCodes.normalize(creditCode).isEmpty()) {
                error("company.creditCode", "is not a valid unified social credit code (GB 32100)");
            }
            Company company = new Company();
            company.setName(text(node, "name", "company.name", MAX_TEXT));
            company.setCreditCode(creditCode);
            company.setWebsite(text(node, "website", "company.website", MAX_TEXT));
            company.setIndustry(text(node, "industry", "company.industry", MAX_TEXT));
            company.setAddress(text(node, "address", "company.address", MAX_ADDRESS));
            return isEmpty(company) ? null : company;
        }

        Contact contact(JsonNode node, Map<String, String> attributes) {
            if (!isObjectOrAbsent(node, "contact")) {
                return null;
            }
            keepUnknown(node, LeadParser::isContactField, "contact.", attributes);
            String email = text(node, "email", "contact.email", 254);
            if (email != null && EmailNormalizer.normalize(email).isEmpty()) {
                error("contact.email", "is not an e-mail address");
            }
            Contact contact = new Contact();
            contact.setName(text(node, "name", "contact.name", MAX_TEXT));
            contact.setTitle(text(node, "title", "contact.title", MAX_TEXT));
            contact.setPhone(phone(node, "phone"));
            contact.setMobile(phone(node, "mobile"));
            contact.setEmail(email);
            return isEmpty(contact) ? null : contact;
        }

        private String phone(JsonNode contact, String name) {
            String phone = text(contact, name, "contact." + name, 40);
            if (phone != null && phones.toE164(phone).isEmpty()) {
                error(
                        "contact." + name,
                        "is not a valid phone number (numbers without a country code are read as "
                                + phones.defaultRegion() + ")");
            }
            return phone;
        }

        void attributes(JsonNode node, Map<String, String> attributes) {
            if (isObjectOrAbsent(node, "attributes") && node != null && !node.isNull()) {
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    attributes.put(entry.getKey(), attributeValue(entry.getValue(), "attributes." + entry.getKey()));
                }
            }
        }

        void keepUnknown(JsonNode node, Predicate<String> known, String prefix, Map<String, String> attributes) {
            if (node == null || node.isNull()) {
                return;
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!known.test(entry.getKey())) {
                    attributes.put(prefix + entry.getKey(), attributeValue(entry.getValue(), prefix + entry.getKey()));
                }
            }
        }

        /** A trimmed, NFKC-folded text field; {@code null} when absent, JSON null or blank. */
        String text(JsonNode parent, String name, String path, int maxLength) {
            JsonNode node = parent == null ? null : parent.get(name);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isString() && !node.isNumber()) {
                error(path, "must be a string");
                return null;
            }
            String sent = node.asString();
            String value = display(sent);
            if (value.isEmpty()) {
                return null;
            }
            if (node.isString() && !value.equals(sent) && sent.length() <= MAX_ATTRIBUTE_VALUE) {
                raw.put(RAW_PREFIX + path, sent);
            }
            if (value.codePointCount(0, value.length()) > maxLength) {
                error(path, "must be at most " + maxLength + " characters");
                return null;
            }
            return value;
        }

        private String attributeValue(JsonNode node, String path) {
            String value = node.isValueNode() ? node.asString() : node.toString();
            if (value.length() > MAX_ATTRIBUTE_VALUE) {
                error(path, "must be at most " + MAX_ATTRIBUTE_VALUE + " characters");
            }
            return value;
        }

        private boolean isObjectOrAbsent(JsonNode node, String path) {
            if (node == null || node.isNull() || node.isObject()) {
                return true;
            }
            error(path, "must be an object");
            return false;
        }
    }

    static String display(String raw) {
        return Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
    }

    private static boolean isEmpty(Company company) {
        return company.getName() == null
                && company.getCreditCode() == null
                && company.getWebsite() == null
                && company.getIndustry() == null
                && company.getAddress() == null;
    }

    private static boolean isEmpty(Contact contact) {
        return contact.getName() == null
                && contact.getTitle() == null
                && contact.getPhone() == null
                && contact.getMobile() == null
                && contact.getEmail() == null;
    }
}
