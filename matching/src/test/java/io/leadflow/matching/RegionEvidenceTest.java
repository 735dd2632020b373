package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionEvidenceTest {

    private final MatchEngine engine = MatchEngine.crm("CN");

    static Stream<Arguments> cases() {
        return TsvCases.read("/region-evidence.tsv", 4);
    }

    @ParameterizedTest(name = "{3}: {0} vs {1}")
    @MethodSource("cases")
    void saysWhetherStrongKeysPutTheCompanyElsewhere(String keys, String region, String contradicts, String note) {
        PreparedRecord record = engine.prepare(DuplicatePairsTest.fields(keys));

        assertThat(RegionEvidence.of(record.keys()).contradicts(region)).isEqualTo(Boolean.parseBoolean(contradicts));
    }
}
