package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatchKeyExtractorTest {

    private final MatchKeyExtractor extractor = new MatchKeyExtractor("CN");

    @Test
    void extractsEveryKindStrongestFirst() {
        MatchKeys keys = extractor.extract(new LeadFields(
                "上海星云科技有限公司",
                "91310000MA1FL0007C",
                "Wang.Wei@Example.cn",
                "021-6000 0000",
                "+86 138 0013 8000",
                "https://www.example.cn"));

        assertThat(keys.keys())
                .containsExactly(
                        new MatchKey(KeyKind.CREDIT_CODE, "91310000MA1FL0007C"),
                        new MatchKey(KeyKind.EMAIL, "wang.wei@example.cn"),
                        new MatchKey(KeyKind.PHONE, "+862160000000"),
                        new MatchKey(KeyKind.PHONE, "+8613800138000"),
                        new MatchKey(KeyKind.DOMAIN, "example.cn"),
                        new MatchKey(KeyKind.NAME, "上海星云科技"));
        assertThat(keys.strongest()).contains(new MatchKey(KeyKind.CREDIT_CODE, "91310000MA1FL0007C"));
    }

    @Test
    void blankFieldsYieldNoKeys() {
        MatchKeys keys = extractor.extract(new LeadFields("", " ", null, "", "  ", ""));

        assertThat(keys.isEmpty()).isTrue();
        assertThat(keys.strongest()).isEmpty();
    }

    @Test
    void invalidCreditCodeAndPhonesYieldNoKeys() {
        MatchKeys keys = extractor.extract(new LeadFields(null, "91310000MA1FL0000N", null, "12345", "95588", null));

        assertThat(keys.keys()).isEmpty();
    }

    @Test
    void freeMailDomainYieldsNoDomainKey() {
        MatchKeys keys = extractor.extract(new LeadFields(null, null, "12345678@QQ.com", null, null, null));

        assertThat(keys.keys()).containsExactly(new MatchKey(KeyKind.EMAIL, "12345678@qq.com"));
    }

    @Test
    void companyMailDomainYieldsRegistrableDomainKeySharedWithWebsite() {
        MatchKeys keys = extractor.extract(
                new LeadFields(null, null, "wang@sh.example.com.cn", null, null, "www.example.com.cn"));

        assertThat(keys.valuesOf(KeyKind.DOMAIN)).containsExactly("example.com.cn");
    }

    @Test
    void nameWithoutDistinctiveCoreYieldsNoNameKey() {
        assertThat(extractor.extract(LeadFields.ofName("北京有限公司")).valuesOf(KeyKind.NAME))
                .isEmpty();
        assertThat(extractor.extract(LeadFields.ofName("北京星云有限公司")).valuesOf(KeyKind.NAME))
                .containsExactly("北京星云");
    }

    @Test
    void sameMobileInPhoneAndMobileFieldsYieldsOneKey() {
        MatchKeys keys = extractor.extract(new LeadFields(null, null, null, "13800138000", "+86 138 0013 8000", null));

        assertThat(keys.valuesOf(KeyKind.PHONE)).containsExactly("+8613800138000");
    }

    @Test
    void keyKindsAreOrderedByStrength() {
        assertThat(KeyKind.CREDIT_CODE.strength()).isGreaterThan(KeyKind.EMAIL.strength());
        assertThat(KeyKind.EMAIL.strength()).isGreaterThan(KeyKind.PHONE.strength());
        assertThat(KeyKind.PHONE.strength()).isGreaterThan(KeyKind.DOMAIN.strength());
        assertThat(KeyKind.DOMAIN.strength()).isGreaterThan(KeyKind.NAME.strength());
    }
}
