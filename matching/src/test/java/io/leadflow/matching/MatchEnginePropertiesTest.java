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
     * A re-key ({@link MatchEngine#rekeyed}) keeps every key the current rules make: some do not read back as
     * themselves (this property found {@code (北京)上海市星云}, whose key {@code 北京上海市星云} reads back as
     * {@code 北京上海星云}), and a re-key that kept only the reading would lose that input's matches.
     */
    @Property(tries = 2000)
    void aRekeyKeepsEveryKeyTheEngineMakes(
            @ForAll("companyNames") String name,
            @ForAll @StringLength(max = 30) String email,
            @ForAll("websites") String website) {
        PreparedRecord record = engine.prepare(Map.of("name", name, "email", email, "website", website));

        for (MatchKey key : record.matchKeys()) {
            assertThat(engine.rekeyed(key)).as("%s of %s", key, name).contains(key);
        }
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
