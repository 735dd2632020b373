package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

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

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> blanks() {
        return net.jqwik.api.Arbitraries.strings()
                .withChars(' ', '\t', '\u3000', '\n')
                .ofMaxLength(5);
    }
}
