package io.leadflow.standalone.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Realistic demonstration leads, a pure function of the seed: Chinese and Latin companies with contacts, and,
 * in a fixed share, the same company again (a duplicate by e-mail in other case, by phone in another format, or
 * by the short form of its name), a company whose name only resembles an earlier one (a possible duplicate), or
 * an earlier company sent for a salesperson other than its holder (a collision, via {@code intendedOwner}).
 * Every company has its own registrable domain (made-up names under .com and .com.cn): a shared one such as
 * example.com would make every company a duplicate of every other by domain.
 */
final class LeadGenerator {

    /** One generated company as first sent: what later duplicates and collisions repeat. */
    record Company(String name, String shortName, String email, String mobile, String website, boolean chinese) {}

    private final Random random;
    private final List<Company> sent = new ArrayList<>();
    private long sequence;

    LeadGenerator(long seed) {
        this.random = new Random(seed);
    }

    /**
     * The next lead as ingest takes it (JSON body). {@code holders} maps e-mails of companies some simulated
     * salesperson holds to that salesperson; {@code salespeople} are the ones a collision may be sent for.
     */
    Map<String, Object> next(Map<String, String> holders, List<String> salespeople) {
        sequence++;
        int dice = random.nextInt(100);
        if (!sent.isEmpty() && dice < 12) {
            return duplicate(pick(sent));
        }
        if (!sent.isEmpty() && dice < 18) {
            return possibleDuplicate(pick(sent));
        }
        if (!holders.isEmpty() && dice < 26) {
            List<String> emails = new ArrayList<>(holders.keySet());
            emails.sort(null);
            String email = pick(emails);
            List<String> others = salespeople.stream()
                    .filter(user -> !user.equals(holders.get(email)))
                    .toList();
            Company company = sent.stream()
                    .filter(c -> c.email().equals(email))
                    .findFirst()
                    .orElse(null);
            if (company != null && !others.isEmpty()) {
                Map<String, Object> lead = lead(company.name(), contact(company, company.email(), null), company);
                lead.put("intendedOwner", pick(others));
                return lead;
            }
        }
        Company company = random.nextInt(100) < 65 ? chineseCompany() : latinCompany();
        sent.add(company);
        return lead(company.name(), contact(company, company.email(), company.mobile()), company);
    }

    /** The same company again: e-mail in other case, the phone formatted differently, or the short name. */
    private Map<String, Object> duplicate(Company company) {
        return switch (random.nextInt(3)) {
            case 0 ->
                lead(company.shortName(), contact(company, company.email().toUpperCase(Locale.ROOT), null), company);
            case 1 -> lead(company.name(), contact(company, null, formatted(company.mobile())), company);
            default -> lead(company.shortName(), contact(company, company.email(), company.mobile()), company);
        };
    }

    /** A company whose name resembles an earlier one but shares no key: a possible duplicate for review. */
    private Map<String, Object> possibleDuplicate(Company company) {
        String name = company.chinese()
                ? company.name().replace("有限公司", "发展有限公司").replace("股份发展", "发展股份")
                : company.shortName() + " Holding " + pick(NameParts.LATIN_SUFFIXES);
        Company lookalike =
                new Company(name, name, "info@lookalike-" + sequence + ".com", mobile(), null, company.chinese());
        sent.add(lookalike);
        return lead(name, contact(lookalike, lookalike.email(), lookalike.mobile()), lookalike);
    }

    private Company chineseCompany() {
        NameParts.ChineseCompany made = NameParts.chineseCompany(random);
        return new Company(made.name(), made.shortName(), made.email(), mobile(), "https://www." + made.domain(), true);
    }

    private Company latinCompany() {
        String first = pick(NameParts.LATIN_HEADS) + pick(NameParts.LATIN_TAILS);
        String second = pick(NameParts.LATIN_SECOND);
        String shortName = first + " " + second;
        String domain = (first + "-" + second).toLowerCase(Locale.ROOT) + ".com";
        String person = pick(NameParts.LATIN_PEOPLE);
        String email = person.toLowerCase(Locale.ROOT).replace(' ', '.').replace("ü", "ue") + "@" + domain;
        return new Company(
                shortName + " " + pick(NameParts.LATIN_SUFFIXES),
                shortName,
                email,
                mobile(),
                "https://" + domain,
                false);
    }

    private Map<String, Object> lead(String name, Map<String, Object> contact, Company company) {
        Map<String, Object> companyFields = new LinkedHashMap<>();
        companyFields.put("name", name);
        if (company.website() != null && random.nextBoolean()) {
            companyFields.put("website", company.website());
        }
        companyFields.put("industry", pick(NameParts.INDUSTRIES));
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("leadId", "demo-" + sequence);
        lead.put("source", pick(NameParts.SOURCES));
        lead.put("campaign", pick(NameParts.CAMPAIGNS));
        lead.put("company", companyFields);
        lead.put("contact", contact);
        lead.put("level", pick(new String[] {"A", "B", "B", "C", "C"}));
        return lead;
    }

    private Map<String, Object> contact(Company company, String email, String mobile) {
        Map<String, Object> contact = new LinkedHashMap<>();
        if (company.chinese()) {
            contact.put("name", pick(NameParts.SURNAMES) + pick(NameParts.GIVEN));
            contact.put("title", pick(NameParts.CN_TITLES));
        } else {
            contact.put("name", pick(NameParts.LATIN_PEOPLE));
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

    /** A mainland mobile number in E.164. */
    private String mobile() {
        return "+86 13" + random.nextInt(10) + " " + (1000 + random.nextInt(9000)) + " "
                + (1000 + random.nextInt(9000));
    }

    /** The same number as people also write it: national format without the country code. */
    private static String formatted(String mobile) {
        return mobile.replace("+86 ", "").replace(" ", "-");
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
