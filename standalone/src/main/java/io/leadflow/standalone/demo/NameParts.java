package io.leadflow.standalone.demo;

import java.util.List;
import java.util.Random;

/**
 * The parts realistic made-up companies are built of: Chinese cities, two-character brands and trades with
 * their pinyin (lists of the same length line up: {@code CITY_PINYIN.get(i)} is {@code CITIES.get(i)}), legal
 * suffixes, people and titles, Latin name parts, sources, campaigns and industries. Shared by the demonstration
 * data and the bench workload.
 */
public final class NameParts {

    private NameParts() {}

    public static final List<String> CITIES = List.of("上海", "北京", "深圳", "杭州", "广州", "苏州", "成都", "南京", "武汉", "西安");

    public static final List<String> CITY_PINYIN = List.of(
            "shanghai",
            "beijing",
            "shenzhen",
            "hangzhou",
            "guangzhou",
            "suzhou",
            "chengdu",
            "nanjing",
            "wuhan",
            "xian");

    /** Two characters make a brand (星 + 云 = 星云): 400 brands, so look-alikes stay the exception. */
    public static final List<String> BRAND_FIRST =
            List.of("星", "蓝", "华", "恒", "瑞", "中", "博", "天", "金", "新", "鼎", "智", "远", "汇", "安", "青", "宏", "东", "嘉", "盛");

    public static final List<String> BRAND_FIRST_PINYIN = List.of(
            "xing", "lan", "hua", "heng", "rui", "zhong", "bo", "tian", "jin", "xin", "ding", "zhi", "yuan", "hui",
            "an", "qing", "hong", "dong", "jia", "sheng");

    public static final List<String> BRAND_SECOND =
            List.of("云", "海", "信", "泰", "丰", "科", "辰", "宇", "桥", "源", "达", "联", "景", "通", "捷", "禾", "创", "峰", "越", "隆");

    public static final List<String> BRAND_SECOND_PINYIN = List.of(
            "yun", "hai", "xin", "tai", "feng", "ke", "chen", "yu", "qiao", "yuan", "da", "lian", "jing", "tong", "jie",
            "he", "chuang", "feng", "yue", "long");

    public static final List<String> TRADES = List.of("科技", "电子", "贸易", "机械", "医疗器械", "信息技术", "新材料", "物流");

    public static final List<String> TRADE_PINYIN = List.of("tech", "dz", "trade", "jx", "med", "it", "xcl", "wl");

    public static final List<String> CN_SUFFIXES = List.of("有限公司", "股份有限公司", "有限责任公司");

    public static final List<String> SURNAMES = List.of("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴");

    public static final List<String> SURNAME_PINYIN =
            List.of("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu");

    public static final List<String> GIVEN = List.of("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰");

    public static final List<String> GIVEN_PINYIN =
            List.of("wei", "fang", "na", "min", "jing", "lei", "yang", "yong", "yan", "jie");

    public static final List<String> CN_TITLES = List.of("采购经理", "总经理", "IT 主管", "运营总监", "行政经理");

    public static final List<String> LATIN_HEADS =
            List.of("Nor", "Vel", "Tar", "Quin", "Bra", "Lum", "Zen", "Cor", "Alt", "Ver");

    public static final List<String> LATIN_TAILS =
            List.of("dex", "ova", "ton", "ix", "ara", "ent", "ica", "olt", "ium", "wick");

    public static final List<String> LATIN_SECOND =
            List.of("Trading", "Industrial", "Logistics", "Systems", "Medical", "Foods");

    public static final List<String> LATIN_SUFFIXES = List.of("Co., Ltd.", "GmbH", "Inc.", "N.V.", "Ltd", "AG");

    public static final List<String> LATIN_PEOPLE =
            List.of("Anna Müller", "James Smith", "Lucas Martin", "Sofia Rossi", "Noah Jansen");

    public static final List<String> LATIN_TITLES =
            List.of("Procurement Manager", "CTO", "Head of Operations", "Buyer");

    public static final List<String> SOURCES = List.of("web-form", "expo", "referral", "cold-call", "wechat");

    public static final List<String> CAMPAIGNS =
            List.of("2026-spring-expo", "2026-q4-webinar", "partner-program", "always-on");

    public static final List<String> INDUSTRIES =
            List.of("manufacturing", "retail", "healthcare", "logistics", "software");

    /**
     * A made-up Chinese company: {@code 上海星云科技有限公司}, short name {@code 星云科技}, its own domain
     * {@code xingyun-tech-shanghai.com.cn} and a contact's e-mail there.
     *
     * @param city the index of its city in {@link #CITIES}
     */
    public record ChineseCompany(String name, String shortName, String domain, String email, int city) {}

    /** The next made-up Chinese company of {@code random}. */
    public static ChineseCompany chineseCompany(Random random) {
        int city = random.nextInt(CITIES.size());
        int first = random.nextInt(BRAND_FIRST.size());
        int second = random.nextInt(BRAND_SECOND.size());
        int trade = random.nextInt(TRADES.size());
        String shortName = BRAND_FIRST.get(first) + BRAND_SECOND.get(second) + TRADES.get(trade);
        String name = CITIES.get(city) + shortName + CN_SUFFIXES.get(random.nextInt(CN_SUFFIXES.size()));
        String domain = BRAND_FIRST_PINYIN.get(first) + BRAND_SECOND_PINYIN.get(second) + "-" + TRADE_PINYIN.get(trade)
                + "-" + CITY_PINYIN.get(city) + ".com.cn";
        int surname = random.nextInt(SURNAMES.size());
        int given = random.nextInt(GIVEN.size());
        String email = GIVEN_PINYIN.get(given) + "." + SURNAME_PINYIN.get(surname) + "@" + domain;
        return new ChineseCompany(name, shortName, domain, email, city);
    }
}
