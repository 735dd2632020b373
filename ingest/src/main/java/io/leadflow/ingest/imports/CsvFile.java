package io.leadflow.ingest.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * A spooled CSV upload: its character set (UTF-8, or GB18030 which also reads GBK and GB2312), its delimiter
 * (comma or tab) and its header row. Both are detected when the client does not say: a file that is not
 * valid UTF-8 in its first 64 KiB is read as GB18030, and a header with more tabs than commas is
 * tab-separated. Rows are read one at a time, so a file of any length is read in constant memory.
 */
record CsvFile(Path path, Charset charset, char delimiter, List<String> headers) {

    static final Charset GB18030 = Charset.forName("GB18030");
    private static final int SNIFF_BYTES = 64 * 1024;
    private static final char BOM = '\uFEFF';

    /**
     * Reads the header of {@code path}.
     *
     * @param charset the character set the client named, or {@code null} to detect it
     * @param delimiter the delimiter the client named, or {@code null} to detect it
     * @throws IllegalArgumentException if the file has no header row, or one that is not text in {@code charset}
     *     or not CSV
     */
    static CsvFile inspect(Path path, Charset charset, Character delimiter) throws IOException {
        Charset actual = charset != null ? charset : detectCharset(path);
        String headerLine;
        try (var reader = Files.newBufferedReader(path, actual)) {
            headerLine = reader.readLine();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the header row is not valid " + actual.name());
        }
        if (headerLine == null || headerLine.isBlank()) {
            throw new IllegalArgumentException("the file is empty; its first row must name the columns");
        }
        if (headerLine.charAt(0) == BOM) {
            headerLine = headerLine.substring(1);
        }
        char actualDelimiter = delimiter != null ? delimiter : detectDelimiter(headerLine);
        List<String> headers;
        try (CSVParser parser = format(actualDelimiter).parse(new java.io.StringReader(headerLine))) {
            List<CSVRecord> records = parser.getRecords();
            headers = records.isEmpty()
                    ? List.of()
                    : new ArrayList<>(Arrays.asList(records.get(0).values()));
        } catch (UncheckedIOException e) {
            // commons-csv reports a malformed row (an unclosed quote, say) as an I/O error of its reader.
            throw new IllegalArgumentException(
                    "the header row is not valid CSV: " + e.getCause().getMessage());
        }
        headers.replaceAll(String::strip);
        return new CsvFile(path, actual, actualDelimiter, List.copyOf(headers));
    }

    /** Opens the data rows (the header row skipped); the caller closes the parser. */
    CSVParser rows() throws IOException {
        Reader reader = Files.newBufferedReader(path, charset);
        reader.mark(1);
        if (reader.read() != BOM) {
            reader.reset();
        }
        return CSVFormat.Builder.create(format(delimiter))
                .setHeader(headers.toArray(String[]::new))
                .setSkipHeaderRecord(true)
                .get()
                .parse(reader);
    }

    private static CSVFormat format(char delimiter) {
        return CSVFormat.RFC4180
                .builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .get();
    }

    static Charset detectCharset(Path path) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(head.length);
        // endOfInput=false: a character cut by the sniff window is not an error.
        var result = utf8.decode(ByteBuffer.wrap(head), out, head.length < SNIFF_BYTES);
        return result.isError() ? GB18030 : StandardCharsets.UTF_8;
    }

    private static char detectDelimiter(String headerLine) {
        long tabs = headerLine.chars().filter(c -> c == '\t').count();
        long commas = headerLine.chars().filter(c -> c == ',').count();
        return tabs > commas ? '\t' : ',';
    }
}
