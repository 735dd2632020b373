package io.leadflow.ingest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.ingest.support.TestIngest;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import io.leadflow.testsupport.StallDiagnostics;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Bad input against every ingest endpoint on a real broker: a seeded corpus of malformed and hostile bodies
 * (truncated and mistyped JSON, deep nesting, megabyte strings, invalid UTF-8, control characters,
 * injection strings, broken NDJSON lines and CSV rows, random bytes as Avro). No input may earn a
 * {@code 5xx} or an answer slower than {@link #ANSWER_WITHIN}; every {@code 4xx} is problem+json naming its
 * problem; and a good lead is still accepted afterwards. Cases that once broke the service are in
 * {@link #regressions()} and run every time.
 */
class IngestFuzzIT {

    private static final long SEED = 20261127L;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final String TENANT = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY = "key-" + TENANT;
    private static final MediaType AVRO = MediaType.parseMediaType("application/avro");
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final MediaType CSV = MediaType.parseMediaType("text/csv");
    private static final String GOOD_LEAD =
            "{\"leadId\":\"%s\",\"company\":{\"name\":\"上海星云科技有限公司\"},\"contact\":{\"email\":\"wang.wei@example.cn\"}}";
    private static final String GOOD_ACTIVITY =
            "{\"leadId\":\"fuzz-1\",\"kind\":\"FOLLOW_UP\",\"followUpType\":\"CALL\",\"note\":\"called\"}";
    private static final String CSV_MAPPING =
            "{\"company\":\"company.name\",\"email\":\"contact.email\",\"mobile\":\"contact.mobile\"}";

    /** Strings that have broken parsers, normalisers, databases and pages elsewhere. */
    private static final List<String> HOSTILE = List.of(
            "'; DROP TABLE customer; --",
            "\" OR \"1\"=\"1",
            "1; SELECT pg_sleep(30)",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "${jndi:ldap://127.0.0.1/a}",
            "#{7*7}{{7*7}}",
            "%s%s%s%n",
            "../../../../etc/passwd",
            "\u0000",
            "a\u0000b",
            "\u0001\u0002\u0007\b\u001b[31m",
            "\r\n\r\nX-Injected: 1",
            "\uFEFF星云科技",
            "\u202E\u202Dtxet",
            "\u200B\u200C\u200D\u2060",
            "ﬁ\uFB01ｆｕｌｌ－ｗｉｄｔｈ",
            "\uD83D\uDE00\uD83C\uDDE8\uD83C\uDDF3",
            "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
            "\uFDFD".repeat(200),
            "\u00DF".repeat(1000),
            "ǅ",
            "İ",
            "+86 138 0000 0000 ext. 99999999999999999999",
            "+".repeat(300),
            "a@" + "b".repeat(300) + ".cn",
            "@@@@",
            "91350100M000100Y4",
            "9135010" + "0".repeat(100),
            "",
            " ",
            "\t\n\u000b\f\r");

    /** Values of the wrong JSON type, or out of range, for any field. */
    private static final List<String> ODD_VALUES = List.of(
            "null",
            "true",
            "0",
            "-1",
            "1e309",
            "-1e309",
            "123456789012345678901234567890",
            "0.000000000000000000000000000000000000001",
            "NaN",
            "[]",
            "[1,2]",
            "{}",
            "{\"a\":{}}",
            "\"\\ud800\"",
            "\"\\udc00\\ud800\"",
            "\"\\u0000\"",
            "1.5e-400",
            "9223372036854775808");

    private static ConfigurableApplicationContext ingest;
    private static WebTestClient client;
    private static String baseUrl;

    @BeforeAll
    static void startIngest() {
        List<String> args = new ArrayList<>(
                List.of(TestIngest.key(0, KEY, TENANT, "fuzz", "rate-per-second=100000", "burst=100000")));
        args.add("--leadflow.ingest.produce-timeout=5s");
        ingest = TestIngest.start(SharedKafka.bootstrapServers(), args.toArray(String[]::new));
        baseUrl = "http://localhost:" + ingest.getEnvironment().getProperty("local.server.port");
        // A new connection for every case: a case the service refuses before reading all of its body ends
        // with the connection closed, and a pooled connection could carry that close into the next case.
        client = WebTestClient.bindToServer(
                        new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl(baseUrl)
                .responseTimeout(ANSWER_WITHIN)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void noBadInputEarnsAServerErrorOrAStuckRequestAndAGoodLeadIsAcceptedAfterwards() {
        List<FuzzCase> corpus = new ArrayList<>(regressions());
        corpus.addAll(generated(new Random(SEED)));
        assertThat(corpus).hasSizeBetween(300, 600);

        List<String> failures = new ArrayList<>();
        for (FuzzCase fuzz : corpus) {
            String failure = check(fuzz);
            if (failure != null) {
                failures.add(fuzz.name() + " → " + failure);
            }
        }

        assertThat(failures).as("cases that failed, of %d", corpus.size()).isEmpty();
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(GOOD_LEAD.formatted("after-fuzz-" + UUID.randomUUID()))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.ACCEPTED);
    }

    /**
     * A body over the size limit may be refused (413) and the connection closed while the client is still
     * sending it; the client then reports the closed connection ("while sending request body", or a reset
     * when the close overtook the last bytes) instead of the answer. That is a prompt refusal, not a stuck
     * request — but only for bodies over the limit, and only when it came quickly. The NDJSON stream has no
     * limit: it reads every body to its end (a line too long is refused by itself), so there it is a failure.
     */
    private static boolean refusedWhileSending(FuzzCase fuzz, Throwable failure, long startedNanos) {
        boolean quick = Duration.ofNanos(System.nanoTime() - startedNanos).compareTo(ANSWER_WITHIN) < 0;
        return fuzz.body().length > SINGLE_BODY_LIMIT
                && !fuzz.uri().startsWith("/ingest/v1/leads/stream")
                && quick
                && (String.valueOf(failure.getMessage()).contains("while sending request body")
                        || String.valueOf(failure.getMessage()).contains("Connection reset by peer"));
    }

    /** The failure of one case, or null when the service answered it well. */
    private static String check(FuzzCase fuzz) {
        long started = System.nanoTime();
        EntityExchangeResult<byte[]> result;
        try {
            result = client.post()
                    .uri(URI.create(baseUrl + fuzz.uri())) // as given: no template expansion, no re-encoding
                    .header("X-Api-Key", KEY)
                    .header("Content-Type", fuzz.contentType())
                    .bodyValue(fuzz.body())
                    .exchange()
                    .expectBody()
                    .returnResult();
        } catch (RuntimeException | AssertionError e) {
            if (refusedWhileSending(fuzz, e, started)) {
                return null;
            }
            if (StallDiagnostics.isTimeout(e)) {
                System.err.println(StallDiagnostics.dump(fuzz.name()));
            }
            return "no answer within " + ANSWER_WITHIN + ": " + e;
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        int status = result.getStatus().value();
        String body =
                result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
        if (status >= 500) {
            return status + " " + abbreviate(body);
        }
        if (millis > ANSWER_WITHIN.toMillis()) {
            return "answered after " + millis + " ms";
        }
        if (status >= 400) {
            MediaType type = result.getResponseHeaders().getContentType();
            if (type == null || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
                return status + " not problem+json but " + type + ": " + abbreviate(body);
            }
            if (!body.contains("\"type\":\"https://leadflow.io/problems/")) {
                return status + " problem without a leadflow type: " + abbreviate(body);
            }
        }
        if (fuzz.uri().startsWith("/ingest/v1/leads/stream") && body.contains("\"status\":\"error\"")) {
            return "stream line answered with an error: " + abbreviate(body);
        }
        return null;
    }

    /** Inputs that once earned a 5xx or hung; kept so they never do again. */
    private static List<FuzzCase> regressions() {
        return List.of(
                // Was 503 "long overflow": the far-past instant could not be encoded as timestamp-millis.
                new FuzzCase(
                        "regression: activity occurredAt in year -999999999",
                        "/ingest/v1/activities",
                        MediaType.APPLICATION_JSON,
                        utf8("{\"kind\":\"FOLLOW_UP\",\"leadId\":\"l\",\"followUpType\":\"CALL\","
                                + "\"occurredAt\":\"-999999999-01-01T00:00:00Z\"}")),
                // Was 500 "Could not find first boundary".
                new FuzzCase(
                        "regression: multipart import without a boundary in the body",
                        "/ingest/v1/imports",
                        MediaType.parseMediaType("multipart/form-data;boundary=xyz"),
                        utf8("no boundary here")),
                // Was 500 "EOF reached before encapsulated token finished".
                new FuzzCase(
                        "regression: CSV header with an unclosed quote",
                        "/ingest/v1/imports?mapping=" + URLEncoder.encode(CSV_MAPPING, StandardCharsets.UTF_8),
                        CSV,
                        utf8("\"company,email,mobile\na,b@c.cn,\n")),
                // Was 500 MalformedInputException: random bytes, detected as GB18030, do not decode.
                new FuzzCase(
                        "regression: CSV header that is no GB18030 text",
                        "/ingest/v1/imports?mapping=" + URLEncoder.encode(CSV_MAPPING, StandardCharsets.UTF_8),
                        CSV,
                        new byte[] {(byte) 0x81, 0x30, (byte) 0xFF, (byte) 0xFF, ',', 'a', '\n'}));
    }

    private static List<FuzzCase> generated(Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        String[] jsonPaths = {"/ingest/v1/leads", "/ingest/v1/activities"};
        for (String path : jsonPaths) {
            String good = path.endsWith("leads") ? GOOD_LEAD.formatted("fuzz-good") : GOOD_ACTIVITY;
            cases.addAll(structural(path, good));
            cases.addAll(truncations(path, good, random, 12));
            cases.addAll(byteFlips(path, good, random, 12));
            cases.addAll(hostileValues(path, random));
            cases.addAll(oddValues(path, random));
        }
        for (String path : new String[] {"/ingest/v1/leads/batch", "/ingest/v1/activities/batch"}) {
            String good = path.contains("leads") ? GOOD_LEAD.formatted("fuzz-good") : GOOD_ACTIVITY;
            cases.addAll(batches(path, good, random));
        }
        cases.addAll(streams(random));
        cases.addAll(csvImports(random));
        cases.addAll(avro(random));
        cases.addAll(hugeStrings(random));
        return cases;
    }

    /** Bodies that are not JSON objects at all, or objects of a strange shape. */
    private static List<FuzzCase> structural(String path, String good) {
        List<FuzzCase> cases = new ArrayList<>();
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String deepUnclosed = "{\"company\":".repeat(10_000);
        String[] bodies = {
            "",
            " ",
            "null",
            "true",
            "42",
            "\"lead\"",
            "[]",
            "[" + good + "]",
            "{",
            "}",
            "{}",
            "{\"\":\"\"}",
            "{\"leadId\":}",
            "{,}",
            "{\"a\":1,}",
            "{'company':{'name':'x'}}",
            "{company:{name:\"x\"}}",
            good + good,
            good + " trailing",
            good + "\u0000",
            "\uFEFF" + good,
            "\uFEFF\uFEFF" + good,
            "{\"company\":{\"name\":\"星云\"},\"company\":{\"name\":\"x\"}}",
            "{\"contact\":{\"email\":\"a@b.cn\",\"email\":\"c@d.cn\"},\"leadId\":\"d\",\"leadId\":\"e\"}",
            "{\"company\":{\"name\":\"a\"}/*comment*/}",
            "{\"company\":{\"name\":\"a\"}}//c",
            "{\"company\":{\"name\":\"a\\x41\"}}",
            "{\"company\":{\"name\":\"\\u12\"}}",
            "{\"company\":{\"name\":\"\\ud83d\"}}",
            "{\"company\":{\"name\":\"\\udc00\"}}",
            "{\"company\":{\"name\":\"tab\there\"}}",
            "{\"company\":{\"name\":\"nl\nhere\"}}",
            "{\"kind\":\"WON\",\"leadId\":\"l\",\"amount\":1e999999999}",
            "{\"kind\":\"WON\",\"leadId\":\"l\",\"amount\":\"1e999999999\"}",
            "{\"kind\":\"WON\",\"leadId\":\"l\",\"amount\":-0.001}",
            "{\"kind\":\"WON\",\"leadId\":\"l\",\"amount\":" + "9".repeat(5000) + "}",
            "{\"kind\":\"STAGE_CHANGE\",\"leadId\":\"l\",\"stage\":null}",
            "{\"kind\":\"FOLLOW_UP\",\"customerId\":\"c\",\"followUpType\":\"CALL\",\"occurredAt\":\"+999999999-12-31T23:59:59Z\"}",
            "{\"kind\":\"FOLLOW_UP\",\"customerId\":\"c\",\"followUpType\":\"CALL\",\"occurredAt\":\"-999999999-01-01T00:00:00Z\"}",
            "{\"kind\":\"FOLLOW_UP\",\"customerId\":\"c\",\"followUpType\":\"CALL\",\"occurredAt\":99999999999999999}",
            "{\"kind\":\"FOLLOW_UP\",\"customerId\":\"c\",\"followUpType\":\"CALL\",\"occurredAt\":\"2026-02-30T00:00:00Z\"}",
            "{\"attributes\":{\"" + "k".repeat(5000) + "\":\"v\"},\"company\":{\"name\":\"a\"}}",
            "{\"company\":{\"name\":\"a\"}," + attributes(2000) + "}",
            "{\"company\":{\"name\":\"a\"},\"attributes\":[1,2,3]}",
            "{\"company\":{\"name\":\"a\"},\"attributes\":{\"x\":{\"y\":{\"z\":[null]}}}}",
            "{\"company\":\"just a string\"}",
            "{\"contact\":[]}",
            "{\"company\":{\"name\":[\"a\",\"b\"]}}",
            "{\"company\":{\"name\":{\"$gt\":\"\"}}}",
            "{\"__proto__\":{\"admin\":true},\"company\":{\"name\":\"a\"}}",
            deepArrays,
            deepObjects,
            deepUnclosed,
            "[" + deepObjects + "]",
        };
        for (int i = 0; i < bodies.length; i++) {
            cases.add(new FuzzCase(path + " structural #" + i, path, MediaType.APPLICATION_JSON, utf8(bodies[i])));
        }
        return cases;
    }

    private static String attributes(int count) {
        StringBuilder json = new StringBuilder("\"attributes\":{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("\"a")
                    .append(i)
                    .append("\":\"v")
                    .append(i)
                    .append('"');
        }
        return json.append('}').toString();
    }

    private static List<FuzzCase> truncations(String path, String good, Random random, int count) {
        List<FuzzCase> cases = new ArrayList<>();
        byte[] bytes = utf8(good);
        for (int i = 0; i < count; i++) {
            int cut = 1 + random.nextInt(bytes.length - 1);
            cases.add(new FuzzCase(
                    path + " truncated at " + cut, path, MediaType.APPLICATION_JSON, Arrays.copyOf(bytes, cut)));
        }
        return cases;
    }

    /** The good body with random bytes replaced, among them invalid UTF-8 (lone continuation, overlong, 0xFF). */
    private static List<FuzzCase> byteFlips(String path, String good, Random random, int count) {
        byte[][] poison = {
            {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE4, (byte) 0xB8}, {0}, {0x1B}
        };
        List<FuzzCase> cases = new ArrayList<>();
        byte[] bytes = utf8(good);
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(bytes.length);
            byte[] inserted = poison[random.nextInt(poison.length)];
            byte[] body = new byte[bytes.length + inserted.length];
            System.arraycopy(bytes, 0, body, 0, at);
            System.arraycopy(inserted, 0, body, at, inserted.length);
            System.arraycopy(bytes, at, body, at + inserted.length, bytes.length - at);
            cases.add(new FuzzCase(path + " bytes inserted at " + at, path, MediaType.APPLICATION_JSON, body));
        }
        return cases;
    }

    private static final String[] LEAD_FIELDS = {
        "leadId",
        "source",
        "campaign",
        "intendedOwner",
        "level",
        "company.name",
        "company.creditCode",
        "company.website",
        "company.industry",
        "company.address",
        "contact.name",
        "contact.title",
        "contact.phone",
        "contact.mobile",
        "contact.email",
        "attributes.note",
        "tenant"
    };
    private static final String[] ACTIVITY_FIELDS = {
        "activityId", "customerId", "leadId", "kind", "followUpType", "stage", "amount", "actor", "note", "occurredAt"
    };

    /** Hostile strings in random fields of a lead or an activity. */
    private static List<FuzzCase> hostileValues(String path, Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        String[] fields = path.endsWith("leads") ? LEAD_FIELDS : ACTIVITY_FIELDS;
        for (String value : HOSTILE) {
            String field = fields[random.nextInt(fields.length)];
            cases.add(new FuzzCase(
                    path + " " + field + "=" + printable(value),
                    path,
                    MediaType.APPLICATION_JSON,
                    utf8(body(path, field, quote(value)))));
        }
        return cases;
    }

    /** Wrong types and out-of-range numbers in random fields. */
    private static List<FuzzCase> oddValues(String path, Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        String[] fields = path.endsWith("leads") ? LEAD_FIELDS : ACTIVITY_FIELDS;
        for (String value : ODD_VALUES) {
            String field = fields[random.nextInt(fields.length)];
            cases.add(new FuzzCase(
                    path + " " + field + ":" + value,
                    path,
                    MediaType.APPLICATION_JSON,
                    utf8(body(path, field, value))));
        }
        return cases;
    }

    /** A otherwise valid lead or activity with {@code field} set to the raw JSON {@code value}. */
    private static String body(String path, String field, String value) {
        if (path.endsWith("activities")) {
            String base = "\"kind\":\"WON\",\"leadId\":\"fuzz-1\",\"amount\":\"12.50\"";
            return "{" + base + ",\"" + field + "\":" + value + "}";
        }
        int dot = field.indexOf('.');
        String base = "\"company\":{\"name\":\"星云科技\"},\"contact\":{\"email\":\"a@example.cn\"}";
        if (dot < 0) {
            return "{" + base + ",\"" + field + "\":" + value + "}";
        }
        String outer = field.substring(0, dot);
        String inner = field.substring(dot + 1);
        return "{\"" + outer + "\":{\"" + inner + "\":" + value + "},"
                + base.replace("\"" + outer + "\":", "\"x" + outer + "\":") + "}";
    }

    private static List<FuzzCase> batches(String path, String good, Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        List<String> items = new ArrayList<>(List.of(good, "null", "1", "\"x\"", "[]", "{}", "{\"company\":{}}"));
        for (String value : HOSTILE.subList(0, 12)) {
            items.add(body(path.replace("/batch", ""), "company.name", quote(value)));
        }
        for (int i = 0; i < 10; i++) {
            StringBuilder batch = new StringBuilder("[");
            int size = 1 + random.nextInt(20);
            for (int j = 0; j < size; j++) {
                batch.append(j == 0 ? "" : ",").append(items.get(random.nextInt(items.size())));
            }
            cases.add(new FuzzCase(path + " mixed #" + i, path, MediaType.APPLICATION_JSON, utf8(batch + "]")));
        }
        String[] bodies = {
            "",
            "{}",
            "{\"items\":[]}",
            "[",
            "[,]",
            "[" + good + ",]",
            "[" + good,
            "[null]",
            "[[]]",
            "[" + (good + ",").repeat(1000) + good + "]", // one more than batch.max-items
            "[" + "[".repeat(10_000) + "]".repeat(10_000) + "]",
            "\uFEFF[" + good + "]",
            "[" + good + "]\u0000",
        };
        for (int i = 0; i < bodies.length; i++) {
            cases.add(new FuzzCase(path + " shape #" + i, path, MediaType.APPLICATION_JSON, utf8(bodies[i])));
        }
        byte[] invalidUtf8 = utf8("[" + good + "]");
        invalidUtf8[invalidUtf8.length / 2] = (byte) 0xFF;
        cases.add(new FuzzCase(path + " invalid UTF-8", path, MediaType.APPLICATION_JSON, invalidUtf8));
        return cases;
    }

    private static List<FuzzCase> streams(Random random) {
        String path = "/ingest/v1/leads/stream";
        List<String> lines = new ArrayList<>(List.of(
                GOOD_LEAD.formatted("s-good"),
                "",
                " ",
                "null",
                "[]",
                "{",
                "}",
                "{}",
                "\"x\"",
                "42",
                "{\"company\":{\"name\":\"a\"}} trailing",
                "\uFEFF" + GOOD_LEAD.formatted("s-bom"),
                "[".repeat(10_000),
                "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
                "\u0000",
                "\r",
                "{\"company\":{\"name\":\"a\"},\"company\":{\"name\":\"b\"}}"));
        for (String value : HOSTILE) {
            lines.add(body("/ingest/v1/leads", "company.name", quote(value)));
        }
        List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StringBuilder body = new StringBuilder();
            int size = 1 + random.nextInt(30);
            for (int j = 0; j < size; j++) {
                body.append(lines.get(random.nextInt(lines.size()))).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            cases.add(new FuzzCase(path + " mixed #" + i, path, NDJSON, utf8(body.toString())));
        }
        byte[] invalid = utf8(GOOD_LEAD.formatted("s-1") + "\n" + GOOD_LEAD.formatted("s-2") + "\n");
        invalid[10] = (byte) 0xC0;
        invalid[invalid.length - 10] = (byte) 0xFF;
        cases.add(new FuzzCase(path + " invalid UTF-8", path, NDJSON, invalid));
        cases.add(new FuzzCase(path + " no final newline", path, NDJSON, utf8(GOOD_LEAD.formatted("s-3"))));
        cases.add(new FuzzCase(path + " only newlines", path, NDJSON, utf8("\n".repeat(10_000))));
        cases.add(new FuzzCase(
                path + " line over 64KB",
                path,
                NDJSON,
                utf8("{\"company\":{\"name\":\"" + "x".repeat(70_000) + "\"}}\n" + GOOD_LEAD.formatted("s-4") + "\n")));
        cases.add(new FuzzCase(path + " line of 1MB without newline", path, NDJSON, utf8("y".repeat(1 << 20))));
        cases.add(new FuzzCase(path + " empty", path, NDJSON, new byte[0]));
        cases.add(new FuzzCase(path + " random bytes", path, NDJSON, randomBytes(random, 4096)));
        return cases;
    }

    private static List<FuzzCase> csvImports(Random random) {
        String mapping = URLEncoder.encode(CSV_MAPPING, StandardCharsets.UTF_8);
        String path = "/ingest/v1/imports?mapping=" + mapping;
        String header = "company,email,mobile\n";
        List<String> rows = new ArrayList<>(List.of(
                "星云科技,a@example.cn,13800000000",
                ",,",
                "\"unclosed,a@b.cn,1",
                "a,b,c,d,e,f",
                "only-one",
                "\"\"\"\",\"\",\"",
                "\"a\nb\",c@d.cn,",
                "=cmd|' /C calc'!A0,e@f.cn,",
                "@SUM(1+1),,",
                "\u0000,\u0000,\u0000",
                "\uFEFFbom,x@y.cn,",
                "a;b;c",
                ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"));
        for (String value : HOSTILE) {
            rows.add("\"" + value.replace("\"", "\"\"") + "\",x@example.cn,");
        }
        List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            StringBuilder csv = new StringBuilder(header);
            int size = 1 + random.nextInt(20);
            for (int j = 0; j < size; j++) {
                csv.append(rows.get(random.nextInt(rows.size()))).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            cases.add(new FuzzCase("imports mixed #" + i, path, CSV, utf8(csv.toString())));
        }
        String[] bodies = {
            "",
            "\n",
            header,
            "\uFEFF" + header + "a,b@c.cn,\n",
            "company\tcsv,email\n",
            "\"company,email,mobile\n",
            "company,company,company\nx,y,z\n",
            header + "\"" + "x".repeat(200_000) + "\",a@b.cn,\n",
            "x".repeat(300_000),
            header.repeat(1000),
        };
        for (int i = 0; i < bodies.length; i++) {
            cases.add(new FuzzCase("imports shape #" + i, path, CSV, utf8(bodies[i])));
        }
        cases.add(new FuzzCase("imports random bytes", path, CSV, randomBytes(random, 8192)));
        cases.add(new FuzzCase("imports bad mapping", "/ingest/v1/imports?mapping=%7B", CSV, utf8(header)));
        cases.add(new FuzzCase(
                "imports mapping to unknown field",
                "/ingest/v1/imports?mapping=" + URLEncoder.encode("{\"company\":\"nope.x\"}", StandardCharsets.UTF_8),
                CSV,
                utf8(header)));
        cases.add(new FuzzCase(
                "imports mapping deep",
                "/ingest/v1/imports?mapping=" + URLEncoder.encode("[".repeat(1000), StandardCharsets.UTF_8),
                CSV,
                utf8(header)));
        cases.add(new FuzzCase("imports no mapping", "/ingest/v1/imports", CSV, utf8(header + "a,b@c.cn,\n")));
        cases.add(new FuzzCase("imports odd delimiter", path + "&delimiter=%00", CSV, utf8(header)));
        cases.add(new FuzzCase(
                "imports GBK declared, UTF-8 sent",
                path,
                MediaType.parseMediaType("text/csv;charset=GBK"),
                utf8(header + "星云科技,a@b.cn,\n")));
        cases.add(new FuzzCase(
                "imports multipart without parts",
                "/ingest/v1/imports",
                MediaType.parseMediaType("multipart/form-data;boundary=xyz"),
                utf8("--xyz--\r\n")));
        cases.add(new FuzzCase(
                "imports multipart garbage",
                "/ingest/v1/imports",
                MediaType.parseMediaType("multipart/form-data;boundary=xyz"),
                randomBytes(random, 2048)));
        return cases;
    }

    private static List<FuzzCase> avro(Random random) {
        String path = "/ingest/v1/leads";
        Lead lead = Lead.newBuilder()
                .setLeadId("avro-fuzz")
                .setTenant("x")
                .setSourceSystem("x")
                .setCompany(Company.newBuilder().setName("星云科技").build())
                .setContact(Contact.newBuilder().setEmail("a@example.cn").build())
                .setReceivedAt(Instant.EPOCH)
                .build();
        byte[] good = Topics.LEADS.valueSerde().serializer().serialize("t", lead);
        List<FuzzCase> cases = new ArrayList<>();
        cases.add(new FuzzCase("avro empty", path, AVRO, new byte[0]));
        cases.add(new FuzzCase("avro header only", path, AVRO, Arrays.copyOf(good, 10)));
        for (int i = 0; i < 12; i++) {
            cases.add(new FuzzCase("avro random #" + i, path, AVRO, randomBytes(random, 1 + random.nextInt(512))));
        }
        for (int i = 0; i < 12; i++) {
            int cut = 10 + random.nextInt(good.length - 10);
            cases.add(new FuzzCase("avro truncated at " + cut, path, AVRO, Arrays.copyOf(good, cut)));
        }
        for (int i = 0; i < 16; i++) {
            byte[] body = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                body[10 + random.nextInt(body.length - 10)] = (byte) random.nextInt(256);
            }
            cases.add(new FuzzCase("avro flipped #" + i, path, AVRO, body));
        }
        // Fingerprint kept, then a string or map length that claims far more bytes than follow.
        for (byte[] tail : new byte[][] {
            {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
            {
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                (byte) 0xFF,
                0x01
            },
            {0x01},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80}
        }) {
            byte[] body = Arrays.copyOf(good, 10 + tail.length);
            System.arraycopy(tail, 0, body, 10, tail.length);
            cases.add(new FuzzCase("avro huge length " + tail.length, path, AVRO, body));
        }
        cases.add(new FuzzCase("avro sent as JSON", path, MediaType.APPLICATION_JSON, good));
        cases.add(new FuzzCase("JSON sent as avro", path, AVRO, utf8(GOOD_LEAD.formatted("j"))));
        cases.add(new FuzzCase("unknown content type", path, MediaType.parseMediaType("application/x-bogus"), good));
        cases.add(new FuzzCase("unparseable content type", path, "application/json;;;charset", good));
        cases.add(new FuzzCase("avro to the batch", "/ingest/v1/leads/batch", AVRO, good));
        return cases;
    }

    /** Ingest's limit for a single (non-streamed) body. */
    private static final int SINGLE_BODY_LIMIT = 64 * 1024;

    /** Strings of 1 to 5 MB in a field, to every endpoint (single bodies are limited to 64 KB: 413). */
    private static List<FuzzCase> hugeStrings(Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        String[] paths = {
            "/ingest/v1/leads", "/ingest/v1/activities", "/ingest/v1/leads/batch", "/ingest/v1/leads/stream"
        };
        for (String path : paths) {
            int megabytes = 1 + random.nextInt(5);
            String huge = "星".repeat(megabytes * (1 << 20) / 3);
            String lead = "{\"company\":{\"name\":\"" + huge + "\"}}";
            String body = path.endsWith("batch") ? "[" + lead + "]" : path.endsWith("stream") ? lead + "\n" : lead;
            cases.add(new FuzzCase(
                    path + " " + megabytes + " MB string",
                    path,
                    path.endsWith("stream") ? NDJSON : MediaType.APPLICATION_JSON,
                    utf8(body)));
        }
        return cases;
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String quote(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static String printable(String value) {
        String shown = value.length() > 24 ? value.substring(0, 24) + "…" : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> out.append(c < 0x20 ? String.format("\\x%02x", c) : Character.toString(c)));
        return out.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One request of the corpus: a name to report it by, where it goes and what it carries. */
    private record FuzzCase(String name, String uri, String contentType, byte[] body) {
        FuzzCase(String name, String uri, MediaType contentType, byte[] body) {
            this(name, uri, contentType.toString(), body);
        }
    }
}
