package io.leadflow.bench.identity;

import com.github.houbb.opencc4j.util.ZhConverterUtil;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.lead.LeadParser;
import io.leadflow.matching.CreditCodes;
import io.leadflow.matching.MatchingProfile;
import io.leadflow.matching.PhoneNormalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A deterministic (seeded) generator of realistic B2B leads with known duplicates. Each company (an
 * entity) has a name, maybe a credit code, website, switchboard and a few contacts; it sends one or
 * more leads, each a noisy copy: another legal form, full-width letters, Traditional characters, a
 * region with or without 市, a dropped region, a typo, phones in many formats, e-mails in other case or
 * with surrounding spaces, and fields left out (a lead left with nothing ingest accepts is not sent, as ingest
 * would refuse it: {@link #acceptedByIngest}). Hard negatives: companies with the same trade name in
 * another city, with only region and industry words in common, branches of a head office (their own
 * phone and contacts), and free-mail addresses.
 *
 * <p>Each generated record carries {@code id}, its entity in {@code entity} (the truth label) and in
 * {@code noise} the name variant it was given ({@code name-absent}, {@code name-region-dropped}, …), for
 * breaking misses down, and in {@code evidence} what of its company it carries ({@link #evidence}); the
 * matching profile reads none of the four.
 */
final class B2bLeadGenerator {

    static final String ID = "id";
    static final String ENTITY = "entity";
    static final String NOISE = "noise";
    static final String EVIDENCE = "evidence";

    private static final String[] REGIONS = {"北京", "上海", "深圳", "广州", "杭州", "成都", "苏州", "南京", "武汉", "天津"};
    private static final String[] AREA_CODES = {"10", "21", "755", "20", "571", "28", "512", "25", "27", "22"};
    private static final String[] DIVISIONS = {
        "110000", "310000", "440300", "440100", "330100", "510100", "320500", "320100", "420100", "120000"
    };
    private static final String TRADE_CHARS = "星云银河恒达华信瑞丰嘉禾宏图鑫源博远锦程盛世天成中联泰和宝德永安金石鼎新汇通创维长风明远东方启航卓越凯旋海纳百川正阳蓝海青松晨光";
    private static final String[] INDUSTRIES = {"科技", "贸易", "信息技术", "网络科技", "电子", "机械", "实业", "物流", "医疗器械", "文化传媒"};
    private static final String[] LEGAL_FORMS = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
    private static final Pattern LEGAL_FORM = Pattern.compile("股份有限公司|有限责任公司|集团有限公司|有限公司");
    private static final String[] LATIN_WORDS = {
        "Acme",
        "Zenith",
        "Nova",
        "Apex",
        "Orion",
        "Vertex",
        "Helix",
        "Summit",
        "Pioneer",
        "Crescent",
        "Falcon",
        "Harbor",
        "Meridian",
        "Quantum",
        "Sterling",
        "Atlas",
        "Beacon",
        "Cobalt",
        "Everest",
        "Granite"
    };
    private static final String[] LATIN_INDUSTRIES = {
        "Trading", "Logistics", "Technology", "Manufacturing", "Software", "Consulting"
    };
    private static final String[] LATIN_LEGAL_FORMS = {"Co., Ltd.", "Ltd.", "Limited", "Inc.", "GmbH", "LLC", "Corp."};
    private static final String[] SURNAMES = {
        "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu"
    };
    private static final String[] TLDS = {".com.cn", ".cn", ".com", ".net.cn"};
    private static final PhoneNormalizer PHONES = new PhoneNormalizer("CN");
    private static final LeadParser INGEST = new LeadParser();
    private static final Caller SENDER = new Caller("bench", "generator");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Random random;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedDomains = new HashSet<>();
    private final Set<String> usedTrades = new HashSet<>();
    private final List<String> heads = new ArrayList<>();
    private final List<String> trades = new ArrayList<>();
    private int nextRecord;

    B2bLeadGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** A company and its ground truth. */
    record Entity(
            String id,
            String name,
            String baseForNegatives,
            String creditCode,
            String domain,
            String switchboard,
            List<String[]> contacts) {}

    /**
     * Record id → company and the part of it that shared evidence links ({@code e12/0}, {@code e12/1}): the
     * truth as far as the data can tell it. Leads of one company that share no evidence, not even through
     * other leads of it, get different labels.
     */
    static Map<String, String> evidenceLabels(List<Map<String, String>> leads) {
        Map<String, String> parent = new HashMap<>();
        for (Map<String, String> lead : leads) {
            String id = lead.get(ID);
            parent.putIfAbsent(id, id);
            for (String item : lead.get(EVIDENCE).split(" ")) {
                if (!item.isEmpty()) {
                    union(parent, id, lead.get(ENTITY) + "|" + item);
                }
            }
        }
        Map<String, Integer> parts = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        for (Map<String, String> lead : leads) {
            String root = find(parent, lead.get(ID));
            Integer part = parts.computeIfAbsent(root, r -> parts.size());
            labels.put(lead.get(ID), lead.get(ENTITY) + "/" + part);
        }
        return labels;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.putIfAbsent(b, b);
        parent.put(find(parent, a), find(parent, b));
    }

    private static String find(Map<String, String> parent, String id) {
        String root = id;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    /**
     * {@code entities} companies and their leads that ingest accepts, in a shuffled arrival order. A lead drawn
     * with nothing ingest accepts is left out after the shuffle rather than drawn again, so the other leads and
     * their order are those of earlier versions of this generator with the same seed.
     */
    List<Map<String, String>> leads(int entities) {
        List<Map<String, String>> leads = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            Entity entity = entity("e" + i);
            int copies = 1 + geometric(0.45);
            for (int c = 0; c < copies; c++) {
                leads.add(lead(entity));
            }
        }
        java.util.Collections.shuffle(leads, random);
        leads.removeIf(lead -> !acceptedByIngest(lead));
        return leads;
    }

    /** One lead of {@code entity} that ingest accepts, drawn again until it is one. */
    Map<String, String> acceptedLead(Entity entity) {
        Map<String, String> lead;
        do {
            lead = lead(entity);
        } while (!acceptedByIngest(lead));
        return lead;
    }

    /**
     * Whether ingest's own parser accepts the lead as its JSON would carry it. Ingest refuses a lead with no
     * company name, credit code, phone, mobile or e-mail (about 0.5 % of those drawn here: the fields are left
     * out independently), so no such lead reaches the engine in LeadFlow, and none is scored here.
     */
    static boolean acceptedByIngest(Map<String, String> lead) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode company = body.putObject("company");
        putIfPresent(company, "name", lead.get(MatchingProfile.NAME));
        putIfPresent(company, "creditCode", lead.get(MatchingProfile.CREDIT_CODE));
        putIfPresent(company, "website", lead.get(MatchingProfile.WEBSITE));
        ObjectNode contact = body.putObject("contact");
        putIfPresent(contact, "phone", lead.get(MatchingProfile.PHONE));
        putIfPresent(contact, "mobile", lead.get(MatchingProfile.MOBILE));
        putIfPresent(contact, "email", lead.get(MatchingProfile.EMAIL));
        return INGEST.parse(body, SENDER, Instant.EPOCH, () -> lead.get(ID)).isValid();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** One company; some are hard negatives of an earlier one (same trade name elsewhere, or a branch). */
    Entity entity(String id) {
        boolean latin = random.nextInt(10) < 3;
        int region = random.nextInt(REGIONS.length);
        String name;
        do {
            name = latin ? latinName() : chineseName(region);
        } while (!usedNames.add(withoutLegalForm(name)));
        String domain = random.nextInt(10) < 6 ? domain() : null;
        String creditCode = !latin && random.nextInt(10) < 6 ? creditCode(region) : null;
        String switchboard = landline(region);
        List<String[]> contacts = new ArrayList<>();
        int people = 1 + random.nextInt(3);
        for (int p = 0; p < people; p++) {
            contacts.add(contact(domain));
        }
        return new Entity(id, name, name, creditCode, domain, switchboard, contacts);
    }

    private String chineseName(int region) {
        int roll = random.nextInt(20);
        if (roll == 0 && !heads.isEmpty()) {
            // a branch of an earlier head office: a customer of its own
            return heads.get(random.nextInt(heads.size())) + pick(REGIONS) + "分公司";
        }
        if (roll == 1 && !trades.isEmpty()) {
            // the same trade name in another city: a different company
            return REGIONS[region] + trades.get(random.nextInt(trades.size())) + pick(LEGAL_FORMS);
        }
        String trade;
        do {
            trade = tradeName();
        } while (!usedTrades.add(trade));
        String industry = pick(INDUSTRIES);
        String head = REGIONS[region] + trade + industry + pick(LEGAL_FORMS);
        heads.add(head);
        trades.add(trade + industry);
        return head;
    }

    /**
     * Companies are told apart by their name without legal form (as the normaliser does, and as company
     * registration does: one name with another legal form is the same name), so two companies never differ
     * only in their legal form. Longest form first: {@code 股份有限公司} is one form, not {@code 股份} + {@code
     * 有限公司}.
     */
    private static String withoutLegalForm(String name) {
        String head = LEGAL_FORM.matcher(name).replaceAll("");
        for (String legal : LATIN_LEGAL_FORMS) {
            if (head.endsWith(" " + legal)) {
                head = head.substring(0, head.length() - legal.length() - 1);
            }
        }
        return head.toLowerCase(Locale.ROOT);
    }

    private String tradeName() {
        int length = 2 + random.nextInt(5) / 2;
        StringBuilder trade = new StringBuilder();
        for (int i = 0; i < length; i++) {
            trade.append(TRADE_CHARS.charAt(random.nextInt(TRADE_CHARS.length())));
        }
        return trade.toString();
    }

    private String latinName() {
        String words = pick(LATIN_WORDS) + " " + pick(LATIN_WORDS) + " " + pick(LATIN_WORDS)
                + (random.nextBoolean() ? " " + pick(LATIN_WORDS) : "");
        return words + " " + pick(LATIN_INDUSTRIES) + " " + pick(LATIN_LEGAL_FORMS);
    }

    private String domain() {
        String domain;
        do {
            StringBuilder label = new StringBuilder();
            int length = 5 + random.nextInt(6);
            for (int i = 0; i < length; i++) {
                label.append((char) ('a' + random.nextInt(26)));
            }
            domain = label + pick(TLDS);
        } while (!usedDomains.add(domain));
        return domain;
    }

    private String creditCode(int region) {
        String charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder body = new StringBuilder("91").append(DIVISIONS[region]).append("MA");
        for (int i = 0; i < 6; i++) {
            body.append(charset.charAt(random.nextInt(charset.length())));
        }
        return CreditCodes.withCheckCharacters(body.toString());
    }

    private String landline(int region) {
        while (true) {
            String area = AREA_CODES[region];
            int digits = area.length() == 2 ? 8 : 7 + random.nextInt(2);
            StringBuilder number = new StringBuilder().append(2 + random.nextInt(7));
            for (int i = 1; i < digits; i++) {
                number.append(random.nextInt(10));
            }
            String candidate = "0" + area + "-" + number;
            if (PHONES.toE164(candidate).isPresent()) {
                return candidate;
            }
        }
    }

    private String[] contact(String domain) {
        String mobile =
                "13" + (5 + random.nextInt(5)) + String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
        String person = pick(SURNAMES) + "." + pick(SURNAMES) + random.nextInt(1_000_000);
        String email = domain != null && random.nextInt(10) < 7
                ? person + "@" + domain
                : (random.nextBoolean()
                        ? String.valueOf(10_000_000 + random.nextInt(900_000_000)) + "@qq.com"
                        : person + "@163.com");
        return new String[] {mobile, email};
    }

    /** One noisy lead of {@code entity}. */
    Map<String, String> lead(Entity entity) {
        Map<String, String> lead = new LinkedHashMap<>();
        lead.put(ID, "r" + nextRecord++);
        lead.put(ENTITY, entity.id());
        String[] contact =
                entity.contacts().get(random.nextInt(entity.contacts().size()));
        String[] name = nameVariantAndKind(entity.name());
        putSometimes(lead, MatchingProfile.NAME, name[0], 0.9);
        lead.put(NOISE, lead.containsKey(MatchingProfile.NAME) ? name[1] : "name-absent");
        if (entity.creditCode() != null) {
            putSometimes(lead, MatchingProfile.CREDIT_CODE, codeVariant(entity.creditCode()), 0.4);
        }
        if (entity.domain() != null) {
            putSometimes(lead, MatchingProfile.WEBSITE, websiteVariant(entity.domain()), 0.35);
        }
        putSometimes(lead, MatchingProfile.PHONE, phoneVariant(entity.switchboard()), 0.45);
        putSometimes(lead, MatchingProfile.MOBILE, mobileVariant(contact[0]), 0.6);
        putSometimes(lead, MatchingProfile.EMAIL, emailVariant(contact[1]), 0.65);
        lead.put(EVIDENCE, String.join(" ", evidence(lead, entity, contact)));
        return lead;
    }

    /**
     * What of its company a lead carries, whatever its spelling: the name (in any variant, even with a typo),
     * the credit code, the company's domain (website or an address at it), the switchboard, and which
     * contact's mobile and e-mail. Two leads of one company that share none of it, not even through other
     * leads of the company, carry no shared evidence: nobody could tell from the data that they belong
     * together.
     */
    private static List<String> evidence(Map<String, String> lead, Entity entity, String[] contact) {
        List<String> evidence = new ArrayList<>();
        if (lead.containsKey(MatchingProfile.NAME)) {
            evidence.add("name");
        }
        if (lead.containsKey(MatchingProfile.CREDIT_CODE)) {
            evidence.add("credit-code");
        }
        if (lead.containsKey(MatchingProfile.WEBSITE)
                || (lead.containsKey(MatchingProfile.EMAIL) && contact[1].endsWith("@" + entity.domain()))) {
            evidence.add("domain");
        }
        if (lead.containsKey(MatchingProfile.PHONE)) {
            evidence.add("switchboard");
        }
        if (lead.containsKey(MatchingProfile.MOBILE)) {
            evidence.add("mobile:" + contact[0]);
        }
        if (lead.containsKey(MatchingProfile.EMAIL)) {
            evidence.add("email:" + contact[1]);
        }
        return evidence;
    }

    private void putSometimes(Map<String, String> lead, String field, String value, double probability) {
        if (random.nextDouble() < probability) {
            lead.put(field, value);
        }
    }

    String nameVariant(String name) {
        return nameVariantAndKind(name)[0];
    }

    /** {variant, kind of noise}. */
    private String[] nameVariantAndKind(String name) {
        String variant = name;
        String kind = "name-legal-form-only";
        if (isHan(name)) {
            for (String legal : LEGAL_FORMS) {
                if (variant.contains(legal) && !variant.contains("分公司")) {
                    variant = variant.replace(legal, pick(LEGAL_FORMS));
                    break;
                }
            }
            int roll = random.nextInt(100);
            if (roll < 15) {
                variant = ZhConverterUtil.toTraditional(variant);
                kind = "name-traditional";
            } else if (roll < 25) {
                variant = variant.replaceFirst("^(北京|上海|深圳|广州|杭州|成都|苏州|南京|武汉|天津)", "$1市");
                kind = "name-city-suffix";
            } else if (roll < 30) {
                variant = " " + variant.replace("有限公司", " 有限公司") + " ";
                kind = "name-spaces";
            } else if (roll < 36) {
                variant = variant.replaceFirst("^(北京|上海|深圳|广州|杭州|成都|苏州|南京|武汉|天津)", "");
                kind = "name-region-dropped";
            } else if (roll < 40) {
                variant = typo(variant);
                kind = "name-typo";
            }
        } else {
            String head = variant.substring(0, variant.lastIndexOf(' ') + 1);
            variant = head + pick(LATIN_LEGAL_FORMS);
            int roll = random.nextInt(100);
            if (roll < 20) {
                variant = variant.toUpperCase(Locale.ROOT);
                kind = "name-upper-case";
            } else if (roll < 30) {
                variant = fullWidth(variant);
                kind = "name-full-width";
            } else if (roll < 34) {
                variant = typo(variant);
                kind = "name-typo";
            }
        }
        return new String[] {variant, kind};
    }

    private String typo(String text) {
        int[] cps = text.codePoints().toArray();
        int at = random.nextInt(Math.max(1, Math.min(cps.length, 6)));
        cps[at] = isHan(text) ? TRADE_CHARS.codePointAt(random.nextInt(TRADE_CHARS.length())) : 'x';
        return new String(cps, 0, cps.length);
    }

    private String codeVariant(String code) {
        return switch (random.nextInt(3)) {
            case 0 -> code.toLowerCase(Locale.ROOT);
            case 1 -> code.substring(0, 6) + " " + code.substring(6, 12) + " " + code.substring(12);
            default -> code;
        };
    }

    private String websiteVariant(String domain) {
        return switch (random.nextInt(4)) {
            case 0 -> "https://www." + domain + "/";
            case 1 -> "http://" + domain + "/about";
            case 2 -> "WWW." + domain.toUpperCase(Locale.ROOT);
            default -> domain;
        };
    }

    private String phoneVariant(String national) {
        String area = national.substring(0, national.indexOf('-'));
        String number = national.substring(national.indexOf('-') + 1);
        return switch (random.nextInt(6)) {
            case 0 -> area + "-" + number;
            case 1 -> "(" + area + ")" + number;
            case 2 -> "+86 " + area.substring(1) + " " + number;
            case 3 -> "0086-" + area.substring(1) + "-" + number;
            case 4 -> area + " " + number + " 转 " + (800 + random.nextInt(100));
            default -> fullWidth(area + number);
        };
    }

    private String mobileVariant(String mobile) {
        return switch (random.nextInt(5)) {
            case 0 -> mobile.substring(0, 3) + " " + mobile.substring(3, 7) + " " + mobile.substring(7);
            case 1 -> "+86 " + mobile;
            case 2 -> mobile.substring(0, 3) + "-" + mobile.substring(3, 7) + "-" + mobile.substring(7);
            case 3 -> fullWidth(mobile);
            default -> mobile;
        };
    }

    private String emailVariant(String email) {
        return switch (random.nextInt(6)) {
            case 0 -> email.toUpperCase(Locale.ROOT);
            case 1 -> Character.toUpperCase(email.charAt(0)) + email.substring(1);
            case 2 -> " " + email + " ";
            case 3 -> "<" + email + ">";
            default -> email;
        };
    }

    private static String fullWidth(String text) {
        StringBuilder wide = new StringBuilder();
        for (char c : text.toCharArray()) {
            wide.append(c > 0x20 && c < 0x7f ? (char) (c + 0xFEE0) : c == ' ' ? '\u3000' : c);
        }
        return wide.toString();
    }

    private static boolean isHan(String text) {
        return text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private int geometric(double p) {
        int n = 0;
        while (random.nextDouble() < p && n < 8) {
            n++;
        }
        return n;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
