package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.ingest.lead.NdjsonLines.Line;
import io.leadflow.ingest.lead.NdjsonLines.Text;
import io.leadflow.ingest.lead.NdjsonLines.TooLong;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

class NdjsonLinesTest {

    private static final int LIMIT = 8;

    /**
     * Each body split at every possible buffer size gives the same lines: {@code |} separates the expected
     * lines, {@code !n} is a line of n bytes that was too long, {@code ''} an empty body or no lines. Bodies use {@code \n} for a
     * line feed.
     */
    @ParameterizedTest(name = "[{0}] → [{1}]")
    @CsvSource(
            delimiter = ';',
            value = {
                "a\\nb\\n; a|b",
                "a\\nb; a|b",
                "\\n\\nx; ||x",
                "''; ''",
                "12345678\\n; 12345678",
                "123456789\\nok; !9|ok",
                "123456789; !9",
                "abcdefghijklmnop\\n\\nz\\n; !16||z",
                "短\\n星云科\\n; 短|!9",
                "{}\\r\\n; {}\\r",
            })
    void splitsLinesAtEveryBufferSize(String body, String expected) {
        byte[] bytes = body.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);
        List<String> wanted = expected.isEmpty() ? List.of() : Arrays.asList(expected.split("\\|", -1));
        for (int size = 1; size <= Math.max(1, bytes.length); size++) {
            assertThat(render(split(bytes, size)))
                    .as("buffers of %d bytes", size)
                    .containsExactlyElementsOf(wanted.stream()
                            .map(line -> line.replace("\\r", "\r"))
                            .toList());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7})
    void numbersEveryLineFromOneAndReadsAMultiByteCharacterSplitAcrossBuffers(int size) {
        byte[] bytes = "\n星\n\n云".getBytes(StandardCharsets.UTF_8);

        List<Line> lines = split(bytes, size);

        assertThat(lines).extracting(Line::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lines).extracting(line -> ((Text) line).text()).containsExactly("", "星", "", "云");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64})
    void malformedUtf8ReadsAsReplacementCharacters(int size) {
        byte[] bytes = {'a', (byte) 0xFF, 'b', '\n'};

        assertThat(split(bytes, size)).containsExactly(new Text(1, "a\uFFFDb"));
    }

    private static List<String> render(List<Line> lines) {
        List<String> rendered = new ArrayList<>();
        for (Line line : lines) {
            rendered.add(line instanceof TooLong tooLong ? "!" + tooLong.bytes() : ((Text) line).text());
        }
        return rendered;
    }

    private static List<Line> split(byte[] bytes, int bufferSize) {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += bufferSize) {
            buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(
                    Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + bufferSize))));
        }
        return NdjsonLines.split(Flux.fromIterable(buffers), LIMIT)
                .collectList()
                .block();
    }
}
