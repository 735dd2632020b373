package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MatchEngineTest {

    private final MatchEngine engine = MatchEngine.crm("CN");
    private final InMemoryMatchIndex index = new InMemoryMatchIndex();

    private void customer(String id, Map<String, String> fields) {
        engine.remember(engine.prepare(fields), id, index);
    }

    @Test
    void joinsTheCustomerOfTheStrongestKeyAndSuggestsMergingTheOther() {
        customer("by-phone", Map.of("phone", "021-60000000"));
        customer("by-email", Map.of("email", "wang@example.cn"));

        Decision decision =
                engine.decide(engine.prepare(Map.of("phone", "+86 21 6000 0000", "email", "WANG@example.cn")), index);

        assertThat(decision.joined()).hasValueSatisfying(match -> {
            assertThat(match.customerId()).isEqualTo("by-email");
            assertThat(match.evidence()).extracting(Evidence::rule).contains("exact-email");
        });
        assertThat(decision.mergeSuggestions()).singleElement().satisfies(match -> {
            assertThat(match.customerId()).isEqualTo("by-phone");
            assertThat(match.evidence())
                    .singleElement()
                    .satisfies(evidence -> assertThat(evidence.value()).isEqualTo("+862160000000"));
        });
        assertThat(decision.possibleDuplicates()).isEmpty();
    }

    @Test
    void creditCodeOutranksEveryOtherKey() {
        customer("by-email", Map.of("email", "wang@example.cn"));
        customer("by-code", Map.of("creditCode", "91310000MA1XY0AB85"));

        Decision decision = engine.decide(
                engine.prepare(Map.of("email", "wang@example.cn", "creditCode", "91310000MA1XY0AB85")), index);

        assertThat(decision.joined().orElseThrow().customerId()).isEqualTo("by-code");
        assertThat(decision.mergeSuggestions()).extracting(Match::customerId).containsExactly("by-email");
    }

    @Test
    void aKeyHeldByAnotherCustomerStaysThereUntilAnExplicitMerge() {
        customer("a", Map.of("email", "wang@example.cn"));
        customer("b", Map.of("phone", "021-60000000"));
        PreparedRecord both = engine.prepare(Map.of("email", "wang@example.cn", "phone", "021-60000000"));

        engine.remember(both, "a", index);

        assertThat(index.holderOf(new MatchKey(KeyKind.PHONE, "+862160000000"))).contains("b");
    }

    @Test
    void anUnheldKeyOfAJoiningRecordPointsAtItsCustomer() {
        customer("a", Map.of("email", "wang@example.cn"));

        engine.remember(engine.prepare(Map.of("email", "wang@example.cn", "mobile", "13800138000")), "a", index);

        assertThat(engine.decide(engine.prepare(Map.of("phone", "+8613800138000")), index)
                        .joined()
                        .map(Match::customerId))
                .contains("a");
    }

    @Test
    void mergePointsEveryKeyAndBlockOfTheMergedCustomerAtTheSurvivor() {
        customer("survivor", Map.of("email", "wang@example.cn"));
        PreparedRecord merged = engine.prepare(Map.of("name", "上海星云科技有限公司", "phone", "021-60000000"));
        engine.remember(merged, "merged", index);

        engine.merge("survivor", "merged", merged.matchKeys(), index);

        assertThat(engine.decide(engine.prepare(Map.of("phone", "02160000000")), index)
                        .joined()
                        .map(Match::customerId))
                .contains("survivor");
        assertThat(engine.decide(engine.prepare(Map.of("name", "北京星云科技有限公司")), index)
                        .possibleDuplicates())
                .extracting(Match::customerId)
                .containsExactly("survivor");
    }

    @Test
    void refusesToMergeACustomerIntoItself() {
        assertThatThrownBy(() -> engine.merge("a", "a", List.of(), index)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void similarNameIsOnlyAPossibleDuplicateInTheCrmProfile() {
        customer("a", Map.of("name", "上海星云科技有限公司"));

        Decision decision = engine.decide(engine.prepare(Map.of("name", "北京星云科技有限公司")), index);

        assertThat(decision.foundsNewCustomer()).isTrue();
        assertThat(decision.possibleDuplicates()).singleElement().satisfies(match -> {
            assertThat(match.verdict()).isEqualTo(Match.Verdict.POSSIBLE);
            assertThat(match.evidence()).singleElement().satisfies(evidence -> {
                assertThat(evidence.kind()).isEqualTo("ORGANISATION_NAME");
                assertThat(evidence.value()).isEqualTo("北京星云科技 ~ 上海星云科技");
                assertThat(evidence.rule()).isEqualTo("similar-name");
                assertThat(evidence.score()).isBetween(0.7, 0.99);
            });
        });
    }

    @Test
    void joinsNameWithoutRegionToTheOneCustomerOfThatNameAndSaysWhy() {
        customer("a", Map.of("name", "上海星云科技有限公司"));

        Decision decision = engine.decide(engine.prepare(Map.of("name", "星云科技有限公司")), index);

        assertThat(decision.joined()).hasValueSatisfying(match -> {
            assertThat(match.customerId()).isEqualTo("a");
            assertThat(match.verdict()).isEqualTo(Match.Verdict.LIKELY);
            assertThat(match.evidence()).singleElement().satisfies(evidence -> {
                assertThat(evidence.kind()).isEqualTo("ORGANISATION_NAME");
                assertThat(evidence.value()).isEqualTo("星云科技 ~ 上海星云科技");
                assertThat(evidence.rule()).isEqualTo("same-name-apart-from-region");
                assertThat(evidence.score()).isBetween(0.7, 0.99);
            });
        });
    }

    @Test
    void theDuplicateCheckListsExactAndPossibleMatchesAndChangesNothing() {
        customer("same-email", Map.of("email", "wang@example.cn", "name", "上海银河贸易有限公司"));
        customer("similar-name", Map.of("name", "北京星云科技有限公司"));
        int keysBefore = index.keyCount();

        List<Match> matches =
                engine.check(new LeadFields("上海星云科技有限公司", null, "wang@example.cn", null, null, null), index);

        assertThat(matches).extracting(Match::customerId).containsExactly("same-email", "similar-name");
        assertThat(matches).extracting(Match::verdict).containsExactly(Match.Verdict.SAME, Match.Verdict.POSSIBLE);
        assertThat(index.keyCount()).isEqualTo(keysBefore);
    }

    @Test
    void aRecordWithoutUsableFieldsMatchesNothing() {
        customer("a", Map.of("name", "有限公司", "email", "n/a"));

        PreparedRecord blank = engine.prepare(Map.of("name", "有限公司", "email", "n/a", "phone", " "));

        assertThat(blank.isUnmatchable()).isTrue();
        assertThat(engine.decide(blank, index).foundsNewCustomer()).isTrue();
        assertThat(engine.decide(blank, index).possibleDuplicates()).isEmpty();
    }

    @Test
    void aProfileWithAJoinThresholdJoinsOnFieldByFieldEvidence() {
        MatchEngine people = new MatchEngine(peopleProfile());
        InMemoryMatchIndex people_index = new InMemoryMatchIndex();
        people.remember(
                people.prepare(Map.of("given", "katherine", "surname", "harrington", "postcode", "3465")),
                "kate",
                people_index);

        Decision typo = people.decide(
                people.prepare(Map.of("given", "katherine", "surname", "harringtom", "postcode", "3465")),
                people_index);
        Decision namesake = people.decide(
                people.prepare(Map.of("given", "katherine", "surname", "harrington", "postcode", "2000")),
                people_index);

        assertThat(typo.joined()).hasValueSatisfying(match -> {
            assertThat(match.verdict()).isEqualTo(Match.Verdict.LIKELY);
            assertThat(match.evidence()).extracting(Evidence::field).containsExactly("given", "postcode", "surname");
        });
        assertThat(namesake.foundsNewCustomer()).isTrue();
        assertThat(namesake.possibleDuplicates()).extracting(Match::customerId).containsExactly("kate");
    }

    @Test
    void readsAProfileFromProperties() {
        MatchingProfile profile = peopleProfile();

        assertThat(profile.fields()).extracting(FieldRule::field).containsExactly("given", "id", "postcode", "surname");
        assertThat(profile.fields().get(3)).isEqualTo(new FieldRule("surname", Role.PERSON_NAME, 4, 2));
        assertThat(profile.joinsOnFuzzyEvidence()).isTrue();
        assertThat(MatchingProfile.crm("CN").joinsOnFuzzyEvidence()).isFalse();
    }

    private static MatchingProfile peopleProfile() {
        Properties properties = new Properties();
        properties.setProperty("name", "people");
        properties.setProperty("region", "AU");
        properties.setProperty("review-threshold", "4");
        properties.setProperty("join-threshold", "8");
        properties.setProperty("field.given", "PERSON_NAME,3,1");
        properties.setProperty("field.surname", "PERSON_NAME,4,2");
        properties.setProperty("field.postcode", "POSTCODE,2,2");
        properties.setProperty("field.id", "IDENTIFIER");
        return MatchingProfile.fromProperties(properties);
    }
}
