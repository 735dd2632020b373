package io.leadflow.bench.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.matching.CreditCodes;
import io.leadflow.matching.MatchingProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class B2bLeadGeneratorTest {

    @Test
    void ingestRefusesALeadWithNothingItReadsAndAcceptsOneWithAnyOfItsKeys() {
        assertThat(B2bLeadGenerator.acceptedByIngest(Map.of(B2bLeadGenerator.ID, "r1")))
                .isFalse();
        assertThat(B2bLeadGenerator.acceptedByIngest(
                        Map.of(B2bLeadGenerator.ID, "r1", MatchingProfile.WEBSITE, "www.xingyun.com.cn")))
                .isFalse();
        Map<String, String> keys = Map.of(
                MatchingProfile.NAME, "上海星云科技有限公司",
                MatchingProfile.CREDIT_CODE, CreditCodes.withCheckCharacters("91310000MA1FL000"),
                MatchingProfile.PHONE, "021-6000 0000",
                MatchingProfile.MOBILE, "13800138000",
                MatchingProfile.EMAIL, "li.lei@xingyun.com.cn");
        keys.forEach((field, value) -> assertThat(
                        B2bLeadGenerator.acceptedByIngest(Map.of(B2bLeadGenerator.ID, "r1", field, value)))
                .as(field)
                .isTrue());
    }

    @Test
    void theLeadsOfASeedAreTheAcceptedOnesOfEveryLeadDrawnInTheSameOrder() {
        List<Map<String, String>> leads = new B2bLeadGenerator(42).leads(2_000);

        assertThat(leads).allMatch(B2bLeadGenerator::acceptedByIngest);
        assertThat(leads).isNotEmpty();
        assertThat(new B2bLeadGenerator(42).leads(2_000)).isEqualTo(leads);
        // ids are numbered as drawn: a gap is a refused lead, so at this size some are left out
        long drawn = leads.stream()
                        .mapToLong(lead ->
                                Long.parseLong(lead.get(B2bLeadGenerator.ID).substring(1)))
                        .max()
                        .orElseThrow()
                + 1;
        assertThat(drawn).isGreaterThan(leads.size());
    }
}
