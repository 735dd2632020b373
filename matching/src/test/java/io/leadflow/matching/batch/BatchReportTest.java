package io.leadflow.matching.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.matching.MatchingProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BatchReportTest {

    @Test
    void clustersALegacyCustomerListWithTheCrmProfile() throws IOException {
        String csv = """
                id,company,mail,tel
                1,上海星云科技有限公司,wang@xingyun.cn,021-60000000
                2,上海星雲科技股份有限公司,,
                3,北京银河贸易有限公司,,+86 21 6000 0000
                4,北京星云科技有限公司,li@163.com,
                """;
        MatchingProfile profile = MatchingProfile.fromProperties(
                properties("field.company", "ORGANISATION_NAME,1", "field.mail", "EMAIL", "field.tel", "PHONE"));

        List<BatchReport.Row> rows = new BatchReport(profile, "id").run(new StringReader(csv));

        assertThat(rows)
                .extracting(BatchReport.Row::recordId, BatchReport.Row::clusterId, BatchReport.Row::decision)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", "1", "NEW"),
                        org.assertj.core.groups.Tuple.tuple("2", "1", "SAME"),
                        org.assertj.core.groups.Tuple.tuple("3", "1", "SAME"),
                        org.assertj.core.groups.Tuple.tuple("4", "4", "NEW"));
        assertThat(rows.get(3).detail().possibleDuplicates())
                .extracting(match -> match.customerId())
                .containsExactly("1");
        StringWriter out = new StringWriter();
        BatchReport.write(rows, out);
        assertThat(out.toString().lines())
                .first()
                .isEqualTo("record_id,cluster_id,decision,evidence,merge_suggestions,possible_duplicates");
        assertThat(out.toString()).contains("exact-phone");
    }

    @Test
    void scoresAtLeastPointNineNineOnFebrlDatasetOne() throws IOException {
        Properties profile = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/febrl/febrl.properties")) {
            profile.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        List<BatchReport.Row> rows;
        try (Reader csv =
                new InputStreamReader(getClass().getResourceAsStream("/febrl/dataset1.csv"), StandardCharsets.UTF_8)) {
            rows = new BatchReport(MatchingProfile.fromProperties(profile), "rec_id").run(csv);
        }
        Map<String, String> labels = new HashMap<>();
        rows.forEach(row -> labels.put(row.recordId(), row.recordId().replaceAll("^rec-(\\d+)-.*$", "$1")));

        PairwiseScore score = PairwiseScore.of(BatchReport.clusters(rows), labels);

        assertThat(score.truePairs()).isEqualTo(500);
        assertThat(score.precision()).isGreaterThanOrEqualTo(0.995);
        assertThat(score.f1()).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void pairwiseScoreCountsPairsWithinClustersAndLabels() {
        PairwiseScore score = PairwiseScore.of(
                Map.of("a", "1", "b", "1", "c", "1", "d", "2"), Map.of("a", "x", "b", "x", "c", "y", "d", "y"));

        assertThat(score.predictedPairs()).isEqualTo(3);
        assertThat(score.truePairs()).isEqualTo(2);
        assertThat(score.truePositives()).isEqualTo(1);
        assertThat(score.f1()).isEqualTo(0.4);
    }

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }
}
