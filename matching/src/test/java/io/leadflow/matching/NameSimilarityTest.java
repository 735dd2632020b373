package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NameSimilarityTest {

    private final CompanyNameNormalizer names = new CompanyNameNormalizer();

    private double score(String a, String b) {
        return NameSimilarity.score(names.normalize(a), names.normalize(b));
    }

    @Test
    void scoresSameCompanyWithDifferentLegalFormAndRegionHigh() {
        assertThat(score("上海星云科技有限公司", "星云科技股份有限公司")).isGreaterThanOrEqualTo(0.85);
        assertThat(score("上海市星云信息技术有限公司", "星云信息技术有限公司")).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void flagsSameTradeNameInAnotherCityAsPossibleDuplicateButNotIdentical() {
        double score = score("上海星云科技有限公司", "北京星云科技有限公司");

        assertThat(score)
                .isGreaterThanOrEqualTo(NameSimilarity.POSSIBLE_DUPLICATE)
                .isLessThan(1.0);
    }

    @Test
    void scoresZeroWhenOnlyRegionAndIndustryWordsAreShared() {
        assertThat(score("上海星云科技有限公司", "上海银河科技有限公司")).isZero();
        assertThat(score("Acme Trading Co., Ltd.", "Zenith Trading Co., Ltd.")).isZero();
    }

    @Test
    void givesSameKeyAndFullScoreToLatinLegalFormVariants() {
        NormalizedName a = names.normalize("Acme Trading Co., Ltd.");
        NormalizedName b = names.normalize("ACME Trading Limited");

        assertThat(a.key()).isEqualTo(b.key());
        assertThat(NameSimilarity.score(a, b)).isEqualTo(1.0);
    }

    @Test
    void scoresOnlyEqualKeysAsOne() {
        assertThat(score("星云科技(上海)有限公司", "上海星云科技有限公司")).isLessThan(1.0).isGreaterThan(0.9);
    }

    @Test
    void acceptsNearIdenticalLongDistinctiveCore() {
        assertThat(score("Acmee Trading Ltd", "Acme Trading Ltd"))
                .isGreaterThanOrEqualTo(NameSimilarity.POSSIBLE_DUPLICATE);
    }

    @Test
    void doesNotTreatShortCoresOneEditApartAsEvidence() {
        assertThat(score("Abc Ltd", "Abd Ltd")).isZero();
        assertThat(score("星云科技有限公司", "星芸科技有限公司")).isZero();
    }

    @Test
    void comparesChineseTradeNamesByBigrams() {
        double extended = score("星云天科技有限公司", "星云科技有限公司");

        assertThat(extended)
                .isGreaterThanOrEqualTo(NameSimilarity.POSSIBLE_DUPLICATE)
                .isLessThan(0.8);
    }

    @Test
    void scoresBranchBelowItsHeadOfficeWithoutMatchingExactly() {
        double score = score("上海星云科技有限公司北京分公司", "上海星云科技有限公司");

        assertThat(score).isCloseTo(0.95, within(1e-9));
    }

    @Test
    void scoresZeroWhenEitherNameHasNoCore() {
        assertThat(score("有限公司", "有限公司")).isZero();
        assertThat(score("", "星云科技")).isZero();
        assertThat(score("上海市", "上海市")).isZero();
    }

    @Test
    void isSymmetric() {
        assertThat(score("星云天科技有限公司", "上海星云科技有限公司")).isEqualTo(score("上海星云科技有限公司", "星云天科技有限公司"));
    }

    @Test
    void boundedEditDistanceCountsOneEdit() {
        assertThat(NameSimilarity.Levenshtein.atMostOne("acme", "acme")).isTrue();
        assertThat(NameSimilarity.Levenshtein.atMostOne("acmee", "acme")).isTrue();
        assertThat(NameSimilarity.Levenshtein.atMostOne("acme", "acne")).isTrue();
        assertThat(NameSimilarity.Levenshtein.atMostOne("acme", "cmea")).isFalse();
        assertThat(NameSimilarity.Levenshtein.atMostOne("acme", "ac")).isFalse();
    }
}
