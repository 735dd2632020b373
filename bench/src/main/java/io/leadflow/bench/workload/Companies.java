package io.leadflow.bench.workload;

import io.leadflow.matching.CreditCodes;
import io.leadflow.matching.KeyKind;
import io.leadflow.standalone.demo.NameParts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Makes companies (Chinese and Latin names, each with its own domain, e-mail, mobile and, for most Chinese
 * ones, a unified social credit code with valid check characters) and the leads that name them: the first
 * lead with every field, and later ones that repeat the company's <em>primary key</em> in another spelling
 * (e-mail in other case, mobile in another format, credit code in lower case or with spaces) under another
 * form of its name, sometimes for another contact. Whether a made-up company clashes with another one is
 * checked by {@link Workload}, not here.
 */
final class Companies {

    /** Administrative divisions of the cities above, for credit codes. */
    private static final String[] CITY_DIVISIONS = {
        "310000", "110000", "440300", "330100", "440100", "320500", "510100", "320100", "420100", "610100"
    };

    private static final String[] LATIN_FIRST_NAMES = {"Anna", "James", "Lucas", "Sofia", "Noah", "Marie", "Jonas"};
    private static final String[] LATIN_LAST_NAMES = {"Müller", "Smith", "Martin", "Rossi", "Jansen", "Dubois"};
    private static final String[] LEVELS = {"A", "B", "B", "C", "C"};

    /** Characters of a credit code's organisation body (no I, O, S, V, Z). */
    private static final String BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /**
     * A company as its first lead names it.
     *
     * @param primary the key kind every lead of the company carries (CREDIT_CODE, EMAIL or PHONE)
     */
    record Company(
            String name,
            String shortName,
            String creditCode,
            String email,
            String mobile,
            String website,
            String domain,
            boolean chinese,
            KeyKind primary) {}

    private final Random random;

    Companies(Random random) {
        this.random = random;
    }

    Company next() {
        return random.nextInt(100) < 65 ? chinese() : latin();
    }

    private Company chinese() {
        NameParts.ChineseCompany made = NameParts.chineseCompany(random);
        String creditCode = random.nextInt(100) < 80 ? creditCode(CITY_DIVISIONS[made.city()]) : null;
        KeyKind primary = creditCode != null && random.nextInt(3) == 0 ? KeyKind.CREDIT_CODE : emailOrPhone();
        return new Company(
                made.name(),
                made.shortName(),
                creditCode,
                made.email(),
                mobile(),
                "https://www." + made.domain(),
                made.domain(),
                true,
                primary);
    }

    private Company latin() {
        String first = pick(NameParts.LATIN_HEADS) + pick(NameParts.LATIN_TAILS);
        String second = pick(NameParts.LATIN_SECOND);
        String shortName = first + " " + second;
        String domain = (first + "-" + second).toLowerCase(Locale.ROOT) + ".com";
        String email = pick(LATIN_FIRST_NAMES).toLowerCase(Locale.ROOT) + "." + latinLastName() + "@" + domain;
        return new Company(
                shortName + " " + pick(NameParts.LATIN_SUFFIXES),
                shortName,
                null,
                email,
                mobile(),
                "https://" + domain,
                domain,
                false,
                emailOrPhone());
    }

    private KeyKind emailOrPhone() {
        return random.nextBoolean() ? KeyKind.EMAIL : KeyKind.PHONE;
    }

    /** The company's first lead: every field it has. */
    Map<String, Object> firstLead(Company company) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", company.name());
        if (company.creditCode() != null) {
            fields.put("creditCode", company.creditCode());
        }
        if (random.nextBoolean()) {
            fields.put("website", company.website());
        }
        fields.put("industry", pick(NameParts.INDUSTRIES));
        return lead(fields, contact(company, company.email(), company.mobile()));
    }

    /**
     * A later lead of the company: its primary key in another spelling, another form of its name, sometimes
     * another contact of the company (a new e-mail at its domain).
     *
     * @param variant which spelling (callers try another when one clashes with another company)
     * @param sequence makes a new contact's e-mail unique
     */
    Map<String, Object> repeatLead(Company company, int variant, long sequence) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", otherName(company, variant));
        String email = null;
        String mobile = null;
        String phone = null;
        switch (company.primary()) {
            case CREDIT_CODE -> fields.put("creditCode", otherSpelling(company.creditCode(), variant));
            case EMAIL -> email = otherCase(company.email(), variant);
            default -> {
                if (variant % 2 == 0) {
                    mobile = nationalFormat(company.mobile(), variant);
                } else {
                    phone = nationalFormat(company.mobile(), variant);
                }
            }
        }
        if (email == null && variant % 3 == 1) {
            email = "contact" + sequence + "@" + company.domain();
        }
        Map<String, Object> contact = contact(company, email, mobile);
        if (phone != null) {
            contact.put("phone", phone);
        }
        return lead(fields, contact);
    }

    private Map<String, Object> lead(Map<String, Object> company, Map<String, Object> contact) {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("source", pick(NameParts.SOURCES));
        lead.put("campaign", pick(NameParts.CAMPAIGNS));
        lead.put("company", company);
        lead.put("contact", contact);
        lead.put("level", pick(LEVELS));
        return lead;
    }

    private Map<String, Object> contact(Company company, String email, String mobile) {
        Map<String, Object> contact = new LinkedHashMap<>();
        if (company.chinese()) {
            contact.put("name", pick(NameParts.SURNAMES) + pick(NameParts.GIVEN));
            contact.put("title", pick(NameParts.CN_TITLES));
        } else {
            contact.put("name", pick(LATIN_FIRST_NAMES) + " " + pick(LATIN_LAST_NAMES));
            contact.put("title", pick(NameParts.LATIN_TITLES));
        }
        if (email != null) {
            contact.put("email", email);
        }
        if (mobile != null) {
            contact.put("mobile", mobile);
        }
        return contact;
    }

    private static String otherName(Company company, int variant) {
        return switch (variant % 3) {
            case 0 -> company.shortName();
            case 1 -> company.name();
            default ->
                company.chinese()
                        ? company.name().replaceAll("(股份有限公司|有限责任公司|有限公司)$", "有限公司")
                        : company.shortName() + " Ltd.";
        };
    }

    /** The same address in other case: upper case, or capitalised parts. */
    private static String otherCase(String email, int variant) {
        if (variant % 2 == 0) {
            return email.toUpperCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(email.length());
        boolean start = true;
        for (char c : email.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == '.' || c == '@' || c == '-';
        }
        return out.toString();
    }

    /** The same code as people also write it: lower case, in groups, or with full-width characters. */
    private static String otherSpelling(String code, int variant) {
        return switch (variant % 3) {
            case 0 -> code.toLowerCase(Locale.ROOT);
            case 1 -> code.substring(0, 6) + " " + code.substring(6, 12) + " " + code.substring(12);
            default -> fullWidth(code);
        };
    }

    /** The same number without the country code: {@code 13812345678} or {@code 138-1234-5678}. */
    private static String nationalFormat(String mobile, int variant) {
        String digits = mobile.replace("+86 ", "");
        return variant % 3 == 0 ? digits.replace(" ", "") : digits.replace(" ", "-");
    }

    private static String fullWidth(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c >= '!' && c <= '~' ? (char) (c - '!' + '！') : c);
        }
        return out.toString();
    }

    /** A valid code: authority 9 (enterprise), category 1, the city's division, a random organisation body. */
    private String creditCode(String division) {
        StringBuilder body = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            body.append(BODY_CHARS.charAt(random.nextInt(BODY_CHARS.length())));
        }
        return CreditCodes.withCheckCharacters("91" + division + body);
    }

    /** A mainland mobile number in international format, e.g. {@code +86 138 1234 5678}. */
    private String mobile() {
        String prefix = random.nextBoolean() ? "13" : "18";
        return "+86 " + prefix + random.nextInt(10) + " " + (1000 + random.nextInt(9000)) + " "
                + (1000 + random.nextInt(9000));
    }

    private String latinLastName() {
        return pick(LATIN_LAST_NAMES).toLowerCase(Locale.ROOT).replace("ü", "ue");
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
