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

    private static final String[] CITIES = {"上海", "北京", "深圳", "杭州", "广州", "苏州", "成都", "南京", "武汉", "西安"};
    private static final String[] CITY_PINYIN = {
        "shanghai", "beijing", "shenzhen", "hangzhou", "guangzhou", "suzhou", "chengdu", "nanjing", "wuhan", "xian"
    };
    /** Two characters make a brand (星 + 云 = 星云): 400 brands, so look-alikes stay the exception. */
    private static final String[] BRAND_FIRST = {
        "星", "蓝", "华", "恒", "瑞", "中", "博", "天", "金", "新", "鼎", "智", "远", "汇", "安", "青", "宏", "东", "嘉", "盛"
    };

    private static final String[] BRAND_FIRST_PINYIN = {
        "xing", "lan", "hua", "heng", "rui", "zhong", "bo", "tian", "jin", "xin", "ding", "zhi", "yuan", "hui", "an",
        "qing", "hong", "dong", "jia", "sheng"
    };
    private static final String[] BRAND_SECOND = {
        "云", "海", "信", "泰", "丰", "科", "辰", "宇", "桥", "源", "达", "联", "景", "通", "捷", "禾", "创", "峰", "越", "隆"
    };
    private static final String[] BRAND_SECOND_PINYIN = {
        "yun", "hai", "xin", "tai", "feng", "ke", "chen", "yu", "qiao", "yuan", "da", "lian", "jing", "tong", "jie",
        "he", "chuang", "feng", "yue", "long"
    };
    private static final String[] TRADES = {"科技", "电子", "贸易", "机械", "医疗器械", "信息技术", "新材料", "物流"};
    private static final String[] TRADE_PINYIN = {"tech", "dz", "trade", "jx", "med", "it", "xcl", "wl"};
    private static final String[] CN_SUFFIXES = {"有限公司", "股份有限公司", "有限责任公司"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    private static final String[] SURNAME_PINYIN = {
        "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu"
    };
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"};
    private static final String[] GIVEN_PINYIN = {
        "wei", "fang", "na", "min", "jing", "lei", "yang", "yong", "yan", "jie"
    };
    private static final String[] CN_TITLES = {"采购经理", "总经理", "IT 主管", "运营总监", "行政经理"};

    private static final String[] LATIN_HEADS = {"Nor", "Vel", "Tar", "Quin", "Bra", "Lum", "Zen", "Cor", "Alt", "Ver"};
    private static final String[] LATIN_TAILS = {"dex", "ova", "ton", "ix", "ara", "ent", "ica", "olt", "ium", "wick"};
    private static final String[] LATIN_SECOND = {"Trading", "Industrial", "Logistics", "Systems", "Medical", "Foods"};
    private static final String[] LATIN_SUFFIXES = {"Co., Ltd.", "GmbH", "Inc.", "N.V.", "Ltd", "AG"};
    private static final String[] LATIN_PEOPLE = {
        "Anna Müller", "James Smith", "Lucas Martin", "Sofia Rossi", "Noah Jansen"
    };
    private static final String[] LATIN_TITLES = {"Procurement Manager", "CTO", "Head of Operations", "Buyer"};

    private static final String[] SOURCES = {"web-form", "expo", "referral", "cold-call", "wechat"};
    private static final String[] CAMPAIGNS = {"2026-spring-expo", "2026-q4-webinar", "partner-program", "always-on"};
    private static final String[] INDUSTRIES = {"manufacturing", "retail", "healthcare", "logistics", "software"};

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
                : company.shortName() + " Holding " + pick(LATIN_SUFFIXES);
        Company lookalike =
                new Company(name, name, "info@lookalike-" + sequence + ".com", mobile(), null, company.chinese());
        sent.add(lookalike);
        return lead(name, contact(lookalike, lookalike.email(), lookalike.mobile()), lookalike);
    }

    private Company chineseCompany() {
        int city = random.nextInt(CITIES.length);
        int first = random.nextInt(BRAND_FIRST.length);
        int second = random.nextInt(BRAND_SECOND.length);
        int trade = random.nextInt(TRADES.length);
        String shortName = BRAND_FIRST[first] + BRAND_SECOND[second] + TRADES[trade];
        String name = CITIES[city] + shortName + pick(CN_SUFFIXES);
        String domain = BRAND_FIRST_PINYIN[first] + BRAND_SECOND_PINYIN[second] + "-" + TRADE_PINYIN[trade] + "-"
                + CITY_PINYIN[city] + ".com.cn";
        int surname = random.nextInt(SURNAMES.length);
        int given = random.nextInt(GIVEN.length);
        String email = GIVEN_PINYIN[given] + "." + SURNAME_PINYIN[surname] + "@" + domain;
        return new Company(name, shortName, email, mobile(), "https://www." + domain, true);
    }

    private Company latinCompany() {
        String first = pick(LATIN_HEADS) + pick(LATIN_TAILS);
        String second = pick(LATIN_SECOND);
        String shortName = first + " " + second;
        String domain = (first + "-" + second).toLowerCase(Locale.ROOT) + ".com";
        String person = pick(LATIN_PEOPLE);
        String email = person.toLowerCase(Locale.ROOT).replace(' ', '.').replace("ü", "ue") + "@" + domain;
        return new Company(
                shortName + " " + pick(LATIN_SUFFIXES), shortName, email, mobile(), "https://" + domain, false);
    }

    private Map<String, Object> lead(String name, Map<String, Object> contact, Company company) {
        Map<String, Object> companyFields = new LinkedHashMap<>();
        companyFields.put("name", name);
        if (company.website() != null && random.nextBoolean()) {
            companyFields.put("website", company.website());
        }
        companyFields.put("industry", pick(INDUSTRIES));
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("leadId", "demo-" + sequence);
        lead.put("source", pick(SOURCES));
        lead.put("campaign", pick(CAMPAIGNS));
        lead.put("company", companyFields);
        lead.put("contact", contact);
        lead.put("level", pick(new String[] {"A", "B", "B", "C", "C"}));
        return lead;
    }

    private Map<String, Object> contact(Company company, String email, String mobile) {
        Map<String, Object> contact = new LinkedHashMap<>();
        if (company.chinese()) {
            contact.put("name", pick(SURNAMES) + pick(GIVEN));
            contact.put("title", pick(CN_TITLES));
        } else {
            contact.put("name", pick(LATIN_PEOPLE));
            contact.put("title", pick(LATIN_TITLES));
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
