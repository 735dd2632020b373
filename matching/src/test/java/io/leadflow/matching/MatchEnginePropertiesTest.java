package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Invariants of the engine over arbitrary input. */
class MatchEnginePropertiesTest {

    private final MatchEngine engine = MatchEngine.crm("CN");

    @Property(tries = 300)
    void aRememberedRecordIsFoundAgainUnlessItHasNoKey(
            @ForAll @StringLength(max = 30) String name,
            @ForAll @StringLength(max = 30) String email,
            @ForAll @StringLength(max = 20) String phone) {
        InMemoryMatchIndex index = new InMemoryMatchIndex();
        PreparedRecord record = engine.prepare(Map.of("name", name, "email", email, "phone", phone));
        engine.remember(record, "c", index);

        Decision again = engine.decide(record, index);

        if (record.keys().isEmpty()) {
            assertThat(again.joined()).isEmpty();
        } else {
            assertThat(again.joined())
                    .hasValueSatisfying(match -> assertThat(match.customerId()).isEqualTo("c"));
        }
    }

    @Property(tries = 300)
    void blankFieldsNeverMatch(@ForAll("blanks") String blank) {
        InMemoryMatchIndex index = new InMemoryMatchIndex();
        Map<String, String> fields = Map.of("name", blank, "email", blank, "phone", blank, "website", blank);
        engine.remember(engine.prepare(fields), "c", index);

        assertThat(engine.check(fields, index)).isEmpty();
    }

    /**
     * The company-name normaliser is idempotent on its keys: a NAME key read again as a name ({@link
     * MatchEngine#rekeyed}) gives itself alone. This property found {@code (北京)上海市星云} (key {@code 北京上海市星云},
     * read back as {@code 北京上海星云}), {@code (北京)南山支行} and {@code &上海市南山支行} (no branch, while {@code
     * 北京南山支行} has one) and {@code Branch&Acme分公司上海}; key rules 3 spell them as their read-back does.
     */
    @Property(tries = 3000)
    void nameKeysReadBackAsThemselves(@ForAll("companyNames") String name) {
        PreparedRecord record = engine.prepare(Map.of("name", name));

        for (MatchKey key : record.matchKeys()) {
            assertThat(engine.rekeyed(key)).as("%s of %s", key, name).containsExactly(key);
        }
    }

    /**
     * The e-mail, phone, website and credit-code normalisers are idempotent on their keys: a key read again as what
     * its kind is made from gives itself and no other key of its kind (an e-mail also gives its company's domain). Otherwise a lead written as a stored key would make another key and not
     * find its customer, and a re-key would add a spelling that no lead makes.
     */
    @Property(tries = 3000)
    void contactAndCodeKeysReadBackAsThemselves(
            @ForAll("emails") String email,
            @ForAll("phones") String phone,
            @ForAll("websites") String website,
            @ForAll("creditCodes") String creditCode) {
        PreparedRecord record =
                engine.prepare(Map.of("email", email, "phone", phone, "website", website, "creditCode", creditCode));

        for (MatchKey key : record.matchKeys()) {
            if (key.kind() != KeyKind.NAME) {
                assertThat(engine.rekeyed(key).stream().filter(again -> again.kind() == key.kind()))
                        .as("%s of %s", key, record)
                        .containsExactly(key);
            }
        }
    }

    /** Addresses as people write them: case, dots, tags, brackets, full-width {@code ＠}, providers that alias. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> emails() {
        return net.jqwik.api.Combinators.combine(
                        net.jqwik.api.Arbitraries.of("", " ", "<", "mailto:", "\"Li\" <", "李雷 <"),
                        upTo(4, "Li LI.Lei li.lei . .. + +crm +CRM - _ 李 ＬＩ wang.wei 1234567"),
                        net.jqwik.api.Arbitraries.of("@", "＠", " @ ", "@@"),
                        upTo(3, """
                                gmail.com GMAIL.COM googlemail.com outlook.com hotmail.co.uk qq.com 163.com xingyun.com.cn
                                星云.中国 xn--fiq228c.cn sub. .com . -"""),
                        net.jqwik.api.Arbitraries.of("", " ", ">", "> ", "."))
                .as((before, local, at, domain, after) -> before + local + at + domain + after);
    }

    /** Numbers as people write them: country and area codes, brackets, separators, full width, extensions. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> phones() {
        return net.jqwik.api.Combinators.combine(
                        net.jqwik.api.Arbitraries.of("", " ", "+86 ", "＋８６", "0086-", "+86(0)", "86 ", "+1 "),
                        net.jqwik.api.Arbitraries.of("", "010", "(010)", "（021）", "021-", "0755 ", "０２１", "400"),
                        upTo(4, "1380013 8000 １３８ ００１３ 6000 0000 12345 139 1 2 _ - － ·"),
                        net.jqwik.api.Arbitraries.of("", " ext 12", "转 8001", "分机8", "#3", " x1", "-"))
                .as((country, area, number, extension) -> country + area + number + extension);
    }

    /** Valid codes as written (case, a space or dash) and strings of a code's characters. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> creditCodes() {
        net.jqwik.api.Arbitrary<String> valid = net.jqwik.api.Combinators.combine(
                        net.jqwik.api.Arbitraries.of(List.of("123456789ANY".split(""))),
                        net.jqwik.api.Arbitraries.strings().numeric().ofLength(7),
                        net.jqwik.api.Arbitraries.of(List.of(CreditCodes.CHARSET.split("")))
                                .list()
                                .ofSize(8)
                                .map(chars -> String.join("", chars)))
                .as((authority, categoryAndDivision, body) -> CreditCodes.withCheckCharacters(
                        authority + categoryAndDivision.replaceFirst("^0", "1") + body));
        net.jqwik.api.Arbitrary<String> written = net.jqwik.api.Combinators.combine(
                        valid,
                        net.jqwik.api.Arbitraries.of("", " ", "-", "　"),
                        net.jqwik.api.Arbitraries.integers().between(0, 18),
                        net.jqwik.api.Arbitraries.of(true, false))
                .as((code, separator, at, lower) -> {
                    String spelled = code.substring(0, at) + separator + code.substring(at);
                    return lower ? spelled.toLowerCase(java.util.Locale.ROOT) : spelled;
                });
        net.jqwik.api.Arbitrary<String> noise = net.jqwik.api.Arbitraries.of(
                        List.of("0123456789ABCDEFGHJKLMNPQRTUWXYabcIOSVZ -".split("")))
                .list()
                .ofMinSize(16)
                .ofMaxSize(20)
                .map(chars -> String.join("", chars));
        return net.jqwik.api.Arbitraries.oneOf(written, noise);
    }

    /** Names made of the parts company names are made of: regions, trade names, industries, legal forms, branches. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> companyNames() {
        return upTo(7, """
                上海 上海市 北京 (北京) （深圳） 星云 星雲 华为 银行 科技 贸易 集团 有限公司 有限责任公司 股份 股份有限公司 分公司
                第一分公司 南山支行 营业部 办事处 Acme ACME Trading Co., Ltd. Inc GmbH AG & Shanghai Branch Office _ - ·
                １２ Ｘｙｚ # 's""");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> websites() {
        return upTo(
                5, "https://www. http:// WWW. shop. acme xn--fiq228c 星云 .com .com.cn .cn .github.io /about :8080 ?x=1");
    }

    /** Up to {@code count} of the parts (separated by white space; {@code _} is a space), written together. */
    private static net.jqwik.api.Arbitrary<String> upTo(int count, String parts) {
        return net.jqwik.api.Arbitraries.of(List.of(parts.trim().split("\\s+")))
                .map(part -> part.equals("_") ? " " : part)
                .list()
                .ofMaxSize(count)
                .map(chosen -> String.join("", chosen));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> blanks() {
        return net.jqwik.api.Arbitraries.strings()
                .withChars(' ', '\t', '\u3000', '\n')
                .ofMaxLength(5);
    }
}
