package io.leadflow.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.testsupport.StallDiagnostics;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Bad input against the api: hostile query parameters of the listings (wildcards, quotes, NUL, 10,000
 * characters, invalid UTF-8 percent-encodings, numbers out of range) and malformed bodies of 查重, the
 * commands and the tenant rules. No input may earn a {@code 5xx} or an answer slower than
 * {@link #ANSWER_WITHIN}; every {@code 4xx} is problem+json naming its problem, except the HTTP codec's own
 * {@code 414}/{@code 431} for request lines and headers beyond its limits, which the application never sees.
 * Afterwards the api still answers a good search. Cases that once broke it are in {@link #regressions()}.
 */
class ApiFuzzIT {

    private static final long SEED = 20261127L;
    /**
     * Commands legitimately wait the command timeout (3 s; no processor runs here): 10 s only catches requests
     * that really hang.
     */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    /**
     * More cases at once than the R2DBC pool has connections (10), on 16 of the 20 threads of Reactor's shared
     * {@code boundedElastic} scheduler, which each block on their request. Requests once hung here: the api
     * needed that scheduler for every request, and its tasks queued behind these blocked threads (see
     * {@code SharedSchedulerIT}).
     */
    private static final int CONCURRENCY = 16;

    /** Regression cases are all bad input the api must refuse ({@code 4xx}), not merely survive. */
    private static final String REGRESSION = "regression: ";

    private static final String TENANT = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);

    /** Strings that have broken parsers, SQL and pages elsewhere. */
    private static final List<String> HOSTILE = List.of(
            "%",
            "%%",
            "_",
            "\\",
            "\\%",
            "'",
            "''",
            "\"",
            "'; DROP TABLE customer; --",
            "' OR '1'='1",
            "1; SELECT pg_sleep(30)",
            "$1",
            "?",
            "*",
            "[a-z]",
            "(?i).*",
            ".*.*.*.*.*.*.*.*!",
            "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}",
            "\u0000",
            "a\u0000b",
            "\u0001\u001b[31m",
            "\r\nX-Injected: 1",
            "\uFEFF星云",
            "\u202Etxet",
            "\u200B",
            "ﬁｆｕｌｌ",
            "\uD83D\uDE00",
            "e\u0301\u0301\u0301",
            "İ",
            "ß".repeat(150),
            "星".repeat(201),
            "x".repeat(10_000),
            " ",
            "-1",
            "0",
            "2147483648",
            "-2147483649",
            "1e9",
            "NaN",
            "null",
            "true",
            "[]",
            "{}",
            "..",
            "../../etc/passwd");

    /**
     * Raw, already percent-encoded values: invalid UTF-8 a browser would never send. (Broken escapes such as
     * {@code %zz} cannot be sent by this client at all.)
     */
    private static final List<String> RAW_ENCODED = List.of(
            "%FF",
            "%C0%AF",
            "%ED%A0%80",
            "%F4%90%80%80",
            "%E4%B8",
            "%00",
            "%25%00",
            "%80%80",
            "+%2B+",
            "%0D%0A",
            "%EF%BB%BF",
            "%E2%80%AE",
            "%F0%9F%98%80",
            "%C3%28",
            "%A0%A1",
            "%E6%98%9F%00");

    private static final String[] LIST_PARAMETERS = {
        "q", "owner", "team", "pool", "stage", "level", "source", "campaign", "returnsWithinDays", "page", "size"
    };

    private static WebTestClient admin;
    private static WebTestClient sales;
    private static String baseUrl;

    @BeforeAll
    static void startApi() {
        baseUrl = TestApi.baseUrl();
        admin = client(TestApi.token(TENANT, "root", "hq", Role.ADMIN));
        sales = client(TestApi.token(TENANT, "li.lei", "east", Role.SALES));
    }

    private static WebTestClient client(String token) {
        // A new connection for every case: a case the api refuses before reading all of its body may end with
        // its connection closed, and a pooled connection would carry that into another case.
        return WebTestClient.bindToServer(
                        new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl(baseUrl)
                .responseTimeout(ANSWER_WITHIN)
                .defaultHeader("Authorization", "Bearer " + token)
                .build();
    }

    @Test
    void noBadInputEarnsAServerErrorOrAStuckRequestAndAGoodSearchAnswersAfterwards() {
        List<FuzzCase> corpus = new ArrayList<>(regressions());
        corpus.addAll(generated(new Random(SEED)));
        assertThat(corpus).hasSizeBetween(300, 600);

        // Commands wait up to their timeout for a processor that is not running here: check a few at a time.
        List<String> failures = Flux.fromIterable(corpus)
                .flatMapSequential(
                        fuzz -> Mono.fromCallable(() ->
                                        Optional.ofNullable(check(fuzz)).map(failure -> fuzz.name() + " → " + failure))
                                .subscribeOn(Schedulers.boundedElastic()),
                        CONCURRENCY)
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collectList()
                .block(Duration.ofMinutes(5));

        assertThat(failures).as("cases that failed, of %d", corpus.size()).isEmpty();
        sales.get()
                .uri(uri -> uri.path("/api/v1/customers").queryParam("q", "星云").build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items")
                .isArray();
    }

    /** The failure of one case, or null when the api answered it well. */
    private static String check(FuzzCase fuzz) {
        long started = System.nanoTime();
        EntityExchangeResult<byte[]> result;
        try {
            WebTestClient client = fuzz.asAdmin() ? admin : sales;
            WebTestClient.RequestBodySpec request = client.method(fuzz.method())
                    .uri(URI.create(baseUrl + fuzz.uri())); // as given: no template expansion, no re-encoding
            WebTestClient.RequestHeadersSpec<?> spec = fuzz.body() == null
                    ? request
                    : request.header("Content-Type", fuzz.contentType()).bodyValue(fuzz.body());
            result = spec.exchange().expectBody().returnResult();
        } catch (RuntimeException | AssertionError e) {
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
        if (fuzz.name().startsWith(REGRESSION) && status < 400) {
            return "accepted again with " + status;
        }
        if (millis > ANSWER_WITHIN.toMillis()) {
            return "answered after " + millis + " ms";
        }
        if (status >= 400 && status != 414 && status != 431) {
            MediaType type = result.getResponseHeaders().getContentType();
            if (type == null || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
                return status + " not problem+json but " + type + ": " + abbreviate(body);
            }
            if (!body.contains("\"type\":\"https://leadflow.io/problems/")) {
                return status + " problem without a leadflow type: " + abbreviate(body);
            }
        }
        return null;
    }

    /** Inputs that once earned a 5xx or hung; kept so they never do again. */
    private static List<FuzzCase> regressions() {
        return List.of(
                // Was 500: PostgreSQL refuses NUL in text parameters.
                get(REGRESSION + "q with NUL", "/api/v1/customers?q=a%00b", false),
                get(REGRESSION + "owner with NUL", "/api/v1/customers?owner=%00", true),
                // Was 500 DataBufferLimitException: a body beyond the codec's 256 KB.
                new FuzzCase(
                        REGRESSION + "300 KB duplicate check",
                        HttpMethod.POST,
                        "/api/v1/duplicate-checks",
                        false,
                        "application/json",
                        utf8("{\"name\":\"" + "x".repeat(300_000) + "\"}")),
                // Were 415 and 400 without a problem body (codec, security firewall).
                new FuzzCase(
                        REGRESSION + "duplicate check as text/plain",
                        HttpMethod.POST,
                        "/api/v1/duplicate-checks",
                        false,
                        "text/plain",
                        utf8("{\"name\":\"x\"}")),
                get(REGRESSION + "encoded slash in a customer id", "/api/v1/customers/..%2F..%2Fetc", false),
                // Was 200, then a rule the jsonb column refuses stopped the projection of every tenant.
                new FuzzCase(
                        REGRESSION + "tenant rules with NUL in a pool name",
                        HttpMethod.PUT,
                        "/api/v1/tenant-rules",
                        true,
                        "application/json",
                        utf8(rules().replace("\"East\"", "\"Ea\\u0000st\""))));
    }

    private static List<FuzzCase> generated(Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        cases.addAll(listParameters(random));
        cases.addAll(otherQueries(random));
        cases.addAll(bodies("/api/v1/duplicate-checks", HttpMethod.POST, false, duplicateCheck(), random));
        cases.addAll(bodies("/api/v1/customers/c-fuzz/release", HttpMethod.POST, false, "{\"reason\":\"x\"}", random));
        cases.addAll(bodies(
                "/api/v1/customers/c-fuzz/assign",
                HttpMethod.POST,
                true,
                "{\"toOwner\":\"bob\",\"force\":false}",
                random));
        cases.addAll(bodies(
                "/api/v1/merges", HttpMethod.POST, true, "{\"survivorId\":\"c-1\",\"mergedId\":\"c-2\"}", random));
        cases.addAll(bodies(
                "/api/v1/customers/c-fuzz/follow-ups",
                HttpMethod.POST,
                true,
                "{\"type\":\"CALL\",\"note\":\"called\",\"occurredAt\":\"2026-11-27T08:00:00Z\"}",
                random));
        cases.addAll(bodies("/api/v1/tenant-rules", HttpMethod.PUT, true, rules(), random));
        cases.addAll(paths());
        return cases;
    }

    /** Every filter of {@code GET /customers} with hostile text, and raw broken percent-encodings. */
    private static List<FuzzCase> listParameters(Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        for (String value : HOSTILE) {
            cases.add(get("customers q=" + printable(value), "/api/v1/customers?q=" + encode(value), false));
            String other = LIST_PARAMETERS[random.nextInt(LIST_PARAMETERS.length)];
            cases.add(get(
                    "customers " + other + "=" + printable(value),
                    "/api/v1/customers?" + other + "=" + encode(value),
                    random.nextBoolean()));
        }
        for (String raw : RAW_ENCODED) {
            cases.add(get("customers q raw " + raw, "/api/v1/customers?q=" + raw, false));
            String other = LIST_PARAMETERS[random.nextInt(LIST_PARAMETERS.length)];
            cases.add(get("customers " + other + " raw " + raw, "/api/v1/customers?" + other + "=" + raw, true));
        }
        String[] shapes = {
            "?q",
            "?q=",
            "?=x",
            "?&&&",
            "?q=a&q=b",
            "?page=2147483647&size=200",
            "?page=-0&size=+5",
            "?size=0",
            "?size=201",
            "?page=99999999999999999999",
            "?returnsWithinDays=-2147483648",
            "?returnsWithinDays=2147483647",
            "?q=%25%5F%27&owner=%27&team=%5C",
            "?" + "a=1&".repeat(500),
            "?q=" + "%E6%98%9F".repeat(300),
            "?q=" + "x".repeat(3000),
            "?q=" + "x".repeat(10_000),
        };
        for (int i = 0; i < shapes.length; i++) {
            cases.add(get("customers shape #" + i, "/api/v1/customers" + shapes[i], i % 2 == 0));
        }
        return cases;
    }

    /** The other listings' parameters: types of findings, funnel dimensions, cohort grains and dates. */
    private static List<FuzzCase> otherQueries(Random random) {
        String[] paths = {
            "/api/v1/identity-events?type=", "/api/v1/identity-events?page=", "/api/v1/merge-suggestions?size=",
            "/api/v1/funnel?dimension=", "/api/v1/funnel?dimension=OWNER&value=", "/api/v1/funnel/cohorts?grain=",
            "/api/v1/funnel/cohorts?from=", "/api/v1/funnel/cohorts?to=", "/api/v1/funnel/cohorts?grain=day&from=",
            "/api/v1/pools?page=", "/api/v1/pools/east-pool/customers?size=", "/api/v1/private-pool?page=",
            "/api/v1/commands/", "/api/v1/private-pools/"
        };
        List<String> values = new ArrayList<>(HOSTILE.subList(0, 20));
        values.addAll(List.of(
                "2026-13-01",
                "2026-02-30",
                "-999999999-01-01",
                "+999999999-12-31",
                "2026-01-01T00:00:00Z",
                "99999-01-01",
                "1970-01-01",
                "0000-01-01",
                "2026-W01",
                "week",
                "MONTH",
                "hour",
                "TENANT",
                "owner"));
        List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            String path = paths[random.nextInt(paths.length)];
            String value = values.get(random.nextInt(values.size()));
            cases.add(get(path + printable(value), path + encode(value), random.nextBoolean()));
        }
        cases.add(get("cohorts from after to", "/api/v1/funnel/cohorts?grain=day&from=2026-12-01&to=2026-01-01", true));
        cases.add(get(
                "cohorts over ten thousand years",
                "/api/v1/funnel/cohorts?grain=day&from=0001-01-01&to=9999-12-31",
                true));
        cases.add(get(
                "cohorts by week over the whole range",
                "/api/v1/funnel/cohorts?grain=week&from=-999999999-01-01&to=+999999999-12-31",
                true));
        return cases;
    }

    /** Customer, pool, command and owner ids that are not ids. */
    private static List<FuzzCase> paths() {
        String[] ids = {
            "%00",
            "%27",
            "%25",
            "%5F",
            "%22%3E%3Cscript%3E",
            "..%2F..%2Fetc",
            "%FF",
            "%C0%AF",
            "x".repeat(3000),
            "%E6%98%9F",
            "a%20b",
            "%0A"
        };
        List<FuzzCase> cases = new ArrayList<>();
        for (String id : ids) {
            String shown = id.length() > 20 ? id.substring(0, 20) + "…" : id;
            cases.add(get("customer id " + shown, "/api/v1/customers/" + id, false));
            cases.add(get("history id " + shown, "/api/v1/customers/" + id + "/history", true));
            cases.add(get("pool id " + shown, "/api/v1/pools/" + id + "/customers", false));
            cases.add(get("command id " + shown, "/api/v1/commands/" + id, true));
            cases.add(get("owner " + shown, "/api/v1/owners/" + id + "/figures", true));
            cases.add(new FuzzCase(
                    "claim id " + shown, HttpMethod.POST, "/api/v1/customers/" + id + "/claim", true, null, null));
        }
        return cases;
    }

    /**
     * Malformed and hostile bodies for a JSON endpoint: not JSON, truncated, wrong types, deep nesting,
     * huge strings, invalid UTF-8, duplicate keys, and hostile strings in each field of {@code good}.
     */
    private static List<FuzzCase> bodies(String path, HttpMethod method, boolean asAdmin, String good, Random random) {
        List<FuzzCase> cases = new ArrayList<>();
        String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String huge = "星".repeat((1 + random.nextInt(5)) * (1 << 20) / 3);
        List<byte[]> shapes = new ArrayList<>();
        for (String text : new String[] {
            "",
            " ",
            "null",
            "[]",
            "42",
            "\"x\"",
            "{",
            "{}",
            "{,}",
            "{'a':1}",
            good + good,
            good + "x",
            "\uFEFF" + good,
            "[".repeat(10_000),
            deep,
            "[" + good + "]",
            good.replaceFirst("\\{", "{\"a\":1,\"a\":2,"),
            good.replaceFirst("\\{", "{\"x\":\"" + huge + "\","),
            "{\"note\":\"" + huge + "\"}",
        }) {
            shapes.add(utf8(text));
        }
        byte[] invalid = utf8(good);
        invalid[invalid.length / 2] = (byte) 0xFF;
        shapes.add(invalid);
        byte[] truncated = utf8(good);
        shapes.add(java.util.Arrays.copyOf(truncated, 1 + random.nextInt(truncated.length - 1)));
        byte[] randomBytes = new byte[512];
        random.nextBytes(randomBytes);
        shapes.add(randomBytes);
        for (int i = 0; i < shapes.size(); i++) {
            cases.add(new FuzzCase(
                    method + " " + path + " shape #" + i, method, path, asAdmin, "application/json", shapes.get(i)));
        }
        cases.add(new FuzzCase(method + " " + path + " as text", method, path, asAdmin, "text/plain", utf8(good)));
        cases.add(
                new FuzzCase(method + " " + path + " as xml", method, path, asAdmin, "application/xml", utf8("<a/>")));
        // Each field of the good body, in turn, with hostile strings and values of the wrong type.
        List<String> fields = fields(good);
        List<String> odd = List.of(
                "null",
                "1e999",
                "-1",
                "123456789012345678901234567890",
                "[]",
                "{}",
                "true",
                "\"\\u0000\"",
                "\"\\ud800\"");
        for (int i = 0; i < 18; i++) {
            String field = fields.get(random.nextInt(fields.size()));
            String value = random.nextBoolean()
                    ? quote(HOSTILE.get(random.nextInt(HOSTILE.size())))
                    : odd.get(random.nextInt(odd.size()));
            String body = replaceValue(good, field, value);
            cases.add(new FuzzCase(
                    method + " " + path + " " + field + "=" + printable(value),
                    method,
                    path,
                    asAdmin,
                    "application/json",
                    utf8(body)));
        }
        return cases;
    }

    /** The top-level field names of a flat-enough JSON object, in order. */
    private static List<String> fields(String json) {
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile("\"(\\w+)\":").matcher(json);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** {@code json} with the first value of {@code field} (a string, number, boolean or array) replaced. */
    private static String replaceValue(String json, String field, String value) {
        return json.replaceFirst(
                "\"" + field + "\":(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9.eE+]+|true|false|null|\\[[^\\]]*\\])",
                java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value));
    }

    private static String duplicateCheck() {
        return "{\"name\":\"上海星云科技有限公司\",\"phone\":\"+86 21 5555 0000\",\"email\":\"wang.wei@example.cn\","
                + "\"creditCode\":\"91350100M000100Y43\",\"website\":\"https://xingyun.example.cn\"}";
    }

    private static String rules() {
        return "{\"pools\":[{\"poolId\":\"east-pool\",\"name\":\"East\",\"teams\":[\"east\"],\"isDefault\":true}],"
                + "\"defaults\":{\"privatePoolCapacity\":50},\"stages\":[]}";
    }

    private static FuzzCase get(String name, String uri, boolean asAdmin) {
        return new FuzzCase(name, HttpMethod.GET, uri, asAdmin, null, null);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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

    /** One request of the corpus; {@code body} null for none. */
    private record FuzzCase(
            String name, HttpMethod method, String uri, boolean asAdmin, String contentType, byte[] body) {}
}
