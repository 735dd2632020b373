package io.leadflow.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CsvFileTest {

    @Test
    void detectsGbkAndTabsAndReadsChineseHeaders(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gbk.csv");
        Files.write(file, "公司名称\t手机\n上海星云科技有限公司\t13800138000\n".getBytes(Charset.forName("GBK")));

        CsvFile csv = CsvFile.inspect(file, null, null);

        assertThat(csv.charset()).isEqualTo(CsvFile.GB18030);
        assertThat(csv.delimiter()).isEqualTo('\t');
        assertThat(csv.headers()).containsExactly("公司名称", "手机");
        assertThat(rows(csv))
                .singleElement()
                .satisfies(row -> assertThat(row.get(0)).isEqualTo("上海星云科技有限公司"));
    }

    @Test
    void refusesAHeaderWithAnUnclosedQuoteOrThatIsNoTextInItsCharset(@TempDir Path dir) throws IOException {
        Path unclosed = dir.resolve("unclosed.csv");
        Files.writeString(unclosed, "\"company.name,contact.email\n星云,a@b.cn\n", StandardCharsets.UTF_8);
        Path binary = dir.resolve("binary.csv");
        Files.write(binary, new byte[] {(byte) 0x81, 0x30, (byte) 0xFF, (byte) 0xFF, ',', 'a', '\n'});

        assertThatThrownBy(() -> CsvFile.inspect(unclosed, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid CSV");
        assertThatThrownBy(() -> CsvFile.inspect(binary, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid GB18030");
    }

    @Test
    void readsUtf8WithByteOrderMarkAndQuotedNewlines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("utf8.csv");
        Files.writeString(file, "\uFEFFcompany.name,company.address\n星云,\"浦东\n张江\"\n", StandardCharsets.UTF_8);

        CsvFile csv = CsvFile.inspect(file, null, null);

        assertThat(csv.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(csv.delimiter()).isEqualTo(',');
        assertThat(csv.headers()).containsExactly("company.name", "company.address");
        assertThat(rows(csv))
                .singleElement()
                .satisfies(row -> assertThat(row.get(1)).isEqualTo("浦东\n张江"));
    }

    @Test
    void mapsColumnsToFieldsAndKeepsTheRestAsAttributes() {
        ColumnMapping mapping = new ColumnMapping(Map.of("公司名称", "company.name", "预算", "attributes.budget"));
        List<String> targets = mapping.targets(List.of("公司名称", "contact.email", "预算", "备注"));
        ObjectNode lead = JsonMapper.builder().build().createObjectNode();
        List<String> values = List.of("星云", "a@b.cn", "5万", "");
        for (int i = 0; i < targets.size(); i++) {
            ColumnMapping.put(lead, targets.get(i), values.get(i));
        }

        assertThat(targets).containsExactly("company.name", "contact.email", "attributes.budget", "attributes.备注");
        assertThat(lead.toString())
                .isEqualTo("{\"company\":{\"name\":\"星云\"},\"contact\":{\"email\":\"a@b.cn\"},"
                        + "\"attributes\":{\"budget\":\"5万\"}}");
        assertThat(ColumnMapping.problems(Map.of("x", "company.nmae")))
                .singleElement()
                .satisfies(error -> assertThat(error.field()).isEqualTo("mapping.x"));
        assertThat(mapping.problemsWith(List.of("公司名称")))
                .singleElement()
                .satisfies(error -> assertThat(error.field()).isEqualTo("mapping.预算"));
    }

    private static List<CSVRecord> rows(CsvFile csv) throws IOException {
        try (CSVParser parser = csv.rows()) {
            return new ArrayList<>(parser.getRecords());
        }
    }
}
