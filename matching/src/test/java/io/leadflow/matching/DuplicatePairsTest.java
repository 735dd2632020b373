package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The duplicate corpus ({@code duplicate-pairs.tsv}): existing customers ({@code existing}, then {@code
 * existing2}, … separated by {@code ||}), an incoming lead, and what the CRM engine must decide: SAME
 * (joins {@code existing}, with the strongest evidence kind), LIKELY (joins {@code existing} by the name
 * rule in the kind column), POSSIBLE (a new customer; {@code existing} is a possible duplicate for review),
 * NEW (a new customer, whatever is flagged) or NONE (a new customer, no finding).
 */
class DuplicatePairsTest {

    private final MatchEngine engine = MatchEngine.crm("CN");

    static Stream<Arguments> pairs() {
        return TsvCases.read("/duplicate-pairs.tsv", 5);
    }

    @ParameterizedTest(name = "{4}: {0} / {1}")
    @MethodSource("pairs")
    void decidesLikeTheCorpus(String existing, String incoming, String expected, String kind, String note) {
        InMemoryMatchIndex index = new InMemoryMatchIndex();
        String[] customers = existing.split("\\|\\|");
        for (int i = 0; i < customers.length; i++) {
            engine.remember(engine.prepare(fields(customers[i])), i == 0 ? "existing" : "existing" + (i + 1), index);
        }

        Decision decision = engine.decide(engine.prepare(fields(incoming)), index);

        switch (expected) {
            case "SAME" -> {
                assertThat(decision.joined()).hasValueSatisfying(match -> {
                    assertThat(match.customerId()).isEqualTo("existing");
                    assertThat(match.verdict()).isEqualTo(Match.Verdict.SAME);
                    assertThat(match.evidence().get(0).kind()).isEqualTo(kind);
                    assertThat(match.evidence().get(0).score()).isEqualTo(1.0);
                });
            }
            case "LIKELY" -> {
                assertThat(decision.joined()).hasValueSatisfying(match -> {
                    assertThat(match.customerId()).isEqualTo("existing");
                    assertThat(match.verdict()).isEqualTo(Match.Verdict.LIKELY);
                    assertThat(match.evidence()).extracting(Evidence::rule).containsExactly(kind);
                });
            }
            case "POSSIBLE" -> {
                assertThat(decision.foundsNewCustomer()).isTrue();
                assertThat(decision.possibleDuplicates()).hasSize(customers.length);
                assertThat(decision.possibleDuplicates())
                        .filteredOn(match -> match.customerId().equals("existing"))
                        .singleElement()
                        .satisfies(match -> {
                            assertThat(match.score()).isBetween(NameSimilarity.POSSIBLE_DUPLICATE, 1.0);
                            assertThat(match.evidence())
                                    .extracting(Evidence::kind)
                                    .contains(kind);
                        });
            }
            case "NEW" -> assertThat(decision.foundsNewCustomer()).isTrue();
            case "NONE" -> {
                assertThat(decision.foundsNewCustomer()).isTrue();
                assertThat(decision.possibleDuplicates()).isEmpty();
            }
            default -> throw new IllegalArgumentException("unknown expectation " + expected);
        }
    }

    /** {@code name=…|email=…} to a field map; an empty value stays (and must give nothing). */
    static Map<String, String> fields(String cell) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : List.of(cell.split("\\|"))) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return fields;
    }
}
