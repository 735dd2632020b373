package io.leadflow.bench.api;

import io.leadflow.api.ApiApplication;
import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.api.duplicate.MatchFiling;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.bench.BenchMain;
import io.leadflow.bench.cluster.JvmProcess;
import io.leadflow.bench.load.Pacer;
import io.leadflow.matching.LeadFields;
import io.leadflow.processor.ProcessorApplication;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.leadflow.standalone.ServiceMain;
import io.leadflow.standalone.embedded.FreePorts;
import io.leadflow.testsupport.SharedKafka;
import io.leadflow.testsupport.SharedPostgres;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Api figures (issue 7), in one JVM on the in-process broker and the embedded PostgreSQL of {@code test-support}:
 *
 * <ol>
 *   <li>Claim round trip api → commands topic → processor (exactly-once, default 100 ms commit interval) →
 *       command-results → api, at a fixed offered rate, open loop: latency counts from each request's scheduled
 *       start. Processor and api run as in standalone; customers come from leads written to the leads topic.
 *   <li>Projection throughput: {@code customers} customer snapshots, written to the customers topic as the
 *       processor writes them, projected by a fresh api (processor stopped: its funnel would read them too)
 *       from the backlog; rows/s from the api's start until the last row is in PostgreSQL.
 *   <li>Reads at that size, one request at a time after a warm-up: the customer list with a filter (stage, as
 *       an admin; own customers, as a salesperson), free-text search (two characters as a salesperson and as an
 *       admin; one and four characters as a salesperson), and 查重; p50/p99 of each.
 * </ol>
 *
 * Prints its figures. Run (after {@code ./mvnw -q -pl bench -am package -DskipTests dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}): {@code java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadflow.avro -cp
 * bench/target/classes:$(cat bench/target/cp.txt) io.leadflow.bench.api.ApiBenchmark}; system properties
 * {@code rate} (claims/s, 20), {@code seconds} (30), {@code customers} (1,000,000), {@code queries} (500 per
 * kind) change the sizes; {@code phases} ({@code claims,reads}) picks the parts; {@code
 * leadflow.postgres.shared-buffers} sizes PostgreSQL's buffer cache (3 GB unless given, {@link #SHARED_BUFFERS}); {@code api.jvm}
 * {@code own} runs the api of the projection and the reads in a JVM of its own instead of this one ({@code shared}:
 * no faster, docs/benchmarks.md, 2026-11-27 18:16); {@code hold} (minutes, 0) keeps the database up after the
 * reads, for {@code psql}, and {@code reads.database}, {@code reads.tenant} with {@code leadflow.postgres.port} run
 * the reads again against the customers it holds, without projecting them anew.
 */
public final class ApiBenchmark {

    private static final String SECRET = "api-benchmark-secret-of-at-least-32-bytes";
    private static final String[] STAGES = {"NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"};
    private static final String[] REGIONS = {"北京", "上海", "深圳", "广州", "杭州", "成都", "苏州", "南京", "武汉", "天津"};
    private static final String TRADE = "星云银河恒达华信瑞丰嘉禾宏图鑫源博远锦程盛世天成中联泰和宝德永安金石鼎新汇通创维长风明远东方启航卓越凯旋海纳百川正阳蓝海青松晨光";
    private static final String[] INDUSTRIES = {"科技", "贸易", "信息技术", "网络科技", "电子", "机械", "实业", "物流", "医疗器械", "文化传媒"};
    private static final String[] LEGAL = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
    private static final int USERS = 500;

    /** Whether the reads' api runs in a JVM of its own (system property {@code api.jvm}: {@code shared}, {@code own}). */
    private static final boolean OWN_JVM = "own".equals(System.getProperty("api.jvm", "shared"));

    private static final String API_HEAP = "-Xmx1g";

    /**
     * PostgreSQL's buffer cache, sized as a server is for the data it serves: a million customers take 976 MiB of table
     * and as much again of indexes. With PostgreSQL's 128 MB default a search copied most of the rows it visits from
     * the operating system's page cache (a four-character search's page: 10.7 ms, against 3.2 ms with its 1,600 rows
     * in the buffer cache; docs/benchmarks.md). {@code -Dleadflow.postgres.shared-buffers=128MB} runs with the default.
     */
    private static final String SHARED_BUFFERS = "3GB";

    private static final TokenMinter TOKENS = new TokenMinter(SECRET, null, Clock.systemUTC());

    private ApiBenchmark() {}

    public static void main(String[] args) {
        BenchMain.exitAfter(ApiBenchmark::run);
    }

    private static void run() throws Exception {
        int rate = Integer.getInteger("rate", 20);
        int seconds = Integer.getInteger("seconds", 30);
        int customers = Integer.getInteger("customers", 1_000_000);
        int queries = Integer.getInteger("queries", 500);
        List<String> phases =
                List.of(System.getProperty("phases", "claims,reads").split(","));
        if (System.getProperty(SharedPostgres.SHARED_BUFFERS) == null) {
            System.setProperty(SharedPostgres.SHARED_BUFFERS, SHARED_BUFFERS);
        }
        report("date", Instant.now());
        report("PostgreSQL shared_buffers", System.getProperty(SharedPostgres.SHARED_BUFFERS));
        report("cores", Runtime.getRuntime().availableProcessors());
        report("max heap MiB", Runtime.getRuntime().maxMemory() >> 20);
        loadAverage("start");
        SharedKafka.createAllTopics();

        if (phases.contains("claims")) {
            claims(rate, seconds);
            loadAverage("after claims");
        }
        if (!phases.contains("reads")) {
            return;
        }
        String database = System.getProperty("reads.database");
        String tenant = System.getProperty("reads.tenant");
        RunningApi api;
        if (database == null) {
            database = SharedPostgres.createDatabase("apibench_reads");
            tenant = "big-" + UUID.randomUUID().toString().substring(0, 8);
            api = projection(database, tenant, customers);
            loadAverage("after projection");
        } else {
            api = RunningApi.of(startApi(database, "apibench-reads-" + tenant));
        }
        reads(api, database, tenant, customers, queries);
        loadAverage("end");
        hold(database, tenant);
        api.close();
    }

    /**
     * With system property {@code hold} (minutes), keeps the database and the api up that long after the reads, and
     * prints how to reach them: to look at plans with {@code psql} against the very rows that were measured.
     */
    private static void hold(String database, String tenant) throws InterruptedException {
        int minutes = Integer.getInteger("hold", 0);
        if (minutes > 0) {
            report(
                    "holding for " + minutes + " min",
                    "psql -h localhost -p " + SharedPostgres.port() + " -U " + SharedPostgres.username() + " "
                            + database + " (tenant " + tenant + ")");
            Thread.sleep(Duration.ofMinutes(minutes).toMillis());
        }
    }

    // ---- (a) claim round trip

    private static void claims(int rate, int seconds) throws Exception {
        String tenant = "claims-" + UUID.randomUUID().toString().substring(0, 8);
        String database = SharedPostgres.createDatabase("apibench_claims");
        int warm = Math.max(50, rate * 2);
        int measured = rate * seconds;
        int leads = warm + measured;
        ConfigurableApplicationContext processor = start(
                ProcessorApplication.application(),
                "--server.port=0",
                "--leadflow.processor.state-dir="
                        + Files.createTempDirectory("apibench-streams").toAbsolutePath(),
                "--leadflow.processor.application-id=apibench-" + tenant,
                ApiApplication.NOT_IN_OTHER_SERVICES);
        ConfigurableApplicationContext api = startApi(database, "apibench-claims-" + tenant);
        try {
            WebClient client = client(api);
            long written = System.nanoTime();
            produce(Topics.LEADS, leads, i -> tenant, i -> lead(tenant, i));
            String admin = "Bearer " + token(tenant, "admin", Role.ADMIN);
            awaitTotal(client, admin, leads, Duration.ofMinutes(10));
            report(
                    "(a) " + leads + " leads → customers visible in the api, s",
                    String.format("%.1f", seconds(System.nanoTime() - written)));
            List<String> ids = customerIds(client, admin, leads);
            openLoopClaims(client, tenant, ids.subList(0, warm), Math.min(rate, 20), "warm-up");
            Histogram latencies = openLoopClaims(client, tenant, ids.subList(warm, leads), rate, "claims");
            report("(a) claim round trip at " + rate + "/s, p50 ms", ms(latencies.getValueAtPercentile(50)));
            report("(a) claim round trip at " + rate + "/s, p99 ms", ms(latencies.getValueAtPercentile(99)));
            report("(a) claim round trip at " + rate + "/s, max ms", ms(latencies.getMaxValue()));
        } finally {
            api.close();
            processor.close();
        }
    }

    /** Claims each customer once, by a rotating salesperson, starting the requests on schedule. */
    private static Histogram openLoopClaims(WebClient client, String tenant, List<String> ids, int rate, String label)
            throws InterruptedException {
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            tokens.add("Bearer " + token(tenant, String.format("u-%03d", u), Role.SALES));
        }
        Recorder recorder = new Recorder(3);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(ids.size());
        // Parks until each request is due, as IngestBenchmark's pacer does: a spinning one took one of the two cores.
        Pacer schedule = Pacer.openLoop(rate);
        long start = -1;
        for (int i = 0; i < ids.size(); i++) {
            long due = schedule.next();
            if (start < 0) {
                start = due;
            }
            client.post()
                    .uri("/api/v1/customers/{id}/claim", ids.get(i))
                    .header("Authorization", tokens.get(i % USERS))
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .exchangeToMono(response -> response.releaseBody()
                            .thenReturn(response.statusCode().value()))
                    .onErrorResume(e -> Mono.just(-1))
                    .subscribe(status -> {
                        recorder.recordValue((System.nanoTime() - due) / 1_000);
                        statuses.merge(status, 1, Integer::sum);
                        done.countDown();
                    });
        }
        done.await();
        double elapsed = seconds(System.nanoTime() - start);
        report("(a) " + label + ": " + ids.size() + " claims offered at " + rate + "/s, statuses", statuses);
        report("(a) " + label + ": achieved claims/s", String.format("%.1f", ids.size() / elapsed));
        return recorder.getIntervalHistogram();
    }

    private static Lead lead(String tenant, int i) {
        return Lead.newBuilder()
                .setLeadId("bench-" + i)
                .setTenant(tenant)
                .setSourceSystem("bench")
                .setSource("web-form")
                .setCompany(Company.newBuilder()
                        .setName(companyName(new Random(i)) + i)
                        .build())
                .setContact(Contact.newBuilder()
                        .setName("王伟")
                        .setEmail("buyer" + i + "@claims-" + i + ".cn")
                        .build())
                .setReceivedAt(Instant.now())
                .build();
    }

    // ---- (c) projection throughput

    private static RunningApi projection(String database, String tenant, int customers) throws Exception {
        long generating = System.nanoTime();
        produce(Topics.CUSTOMERS, customers, i -> Keys.customer(tenant, customerId(i)), i -> snapshot(tenant, i));
        report(
                "(c) " + customers + " snapshots generated and written to the customers topic, s",
                String.format("%.1f", seconds(System.nanoTime() - generating)));
        loadAverage("before projection");
        long started = System.nanoTime();
        RunningApi api = OWN_JVM
                ? apiInOwnJvm(database, "apibench-reads-" + tenant)
                : RunningApi.of(startApi(database, "apibench-reads-" + tenant));
        DataSource rows = SharedPostgres.dataSource(database);
        long projected = 0;
        long lastReport = System.nanoTime();
        while (projected < customers) {
            Thread.sleep(2_000);
            projected = count(rows, "SELECT count(*) FROM customer WHERE tenant = '" + tenant + "'");
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                report("(c) projected so far", projected);
                lastReport = System.nanoTime();
            }
            if (seconds(System.nanoTime() - started) > 3_600) {
                throw new IllegalStateException("projected only " + projected + " in an hour");
            }
        }
        double elapsed = seconds(System.nanoTime() - started);
        report(
                "(c) projection of " + customers + " snapshots (api start to last row), s",
                String.format("%.1f", elapsed));
        report("(c) projection throughput, rows/s", Math.round(customers / elapsed));
        try (Connection connection = rows.getConnection();
                Statement statement = connection.createStatement()) {
            // A database that has just taken a million rows: let the planner see them, as autovacuum soon would.
            statement.execute("VACUUM ANALYZE customer");
            report(
                    "(c) customer table / its indexes, MiB",
                    count(rows, "SELECT pg_table_size('customer') >> 20") + " / "
                            + count(rows, "SELECT pg_indexes_size('customer') >> 20"));
        }
        return api;
    }

    private static CustomerSnapshot snapshot(String tenant, int i) {
        Random random = new Random(i * 31L + 7);
        String name = companyName(random);
        String email = "buyer" + i + "@corp-" + i + ".cn";
        String mobile = String.format("+86 139 %08d", i);
        List<MatchKey> keys =
                MatchFiling.ENGINE
                        .prepare(new LeadFields(name, null, email, null, mobile, null).toMap())
                        .matchKeys()
                        .stream()
                        .map(key -> new MatchKey(MatchKeyKind.valueOf(key.kind().name()), key.value()))
                        .toList();
        boolean owned = random.nextInt(10) < 4;
        int user = random.nextInt(USERS);
        Instant updated = Instant.parse("2026-08-01T00:00:00Z").plusSeconds(random.nextInt(90 * 86_400));
        return CustomerSnapshot.newBuilder()
                .setTenant(tenant)
                .setCustomerId(customerId(i))
                .setVersion(1)
                .setCompany(Company.newBuilder()
                        .setName(name)
                        .setIndustry(INDUSTRIES[random.nextInt(INDUSTRIES.length)])
                        .build())
                .setContacts(List.of(Contact.newBuilder()
                        .setName("王伟")
                        .setEmail(email)
                        .setMobile(mobile)
                        .build()))
                .setMatchKeys(keys)
                .setLeadIds(List.of("l-" + i))
                .setSource("source-" + random.nextInt(8))
                .setCampaign("campaign-" + random.nextInt(20))
                .setOwner(owned ? String.format("u-%03d", user) : null)
                .setTeam(owned ? "team-" + user % 25 : null)
                .setPoolId(owned ? null : "public")
                .setStage(STAGES[random.nextInt(STAGES.length)])
                .setAmount(new BigDecimal(random.nextInt(1_000_000)).movePointLeft(2))
                .setLevel(String.valueOf((char) ('A' + random.nextInt(3))))
                .setFirstLeadAt(updated)
                .setCreatedAt(updated)
                .setUpdatedAt(updated)
                .setAssignedAt(owned ? updated : null)
                .build();
    }

    // ---- (b) reads at size

    private static void reads(RunningApi api, String database, String tenant, int customers, int queries) {
        WebClient client = client(api.baseUrl());
        String admin = "Bearer " + token(tenant, "admin", Role.ADMIN);
        List<String> sales = new ArrayList<>();
        for (int u = 0; u < 50; u++) {
            sales.add("Bearer " + token(tenant, String.format("u-%03d", u), Role.SALES));
        }
        latency(
                client,
                database,
                "(b) GET /customers?stage=… as admin (size 20)",
                queries,
                i -> new Request("/api/v1/customers?size=20&stage=" + STAGES[i % STAGES.length], null, admin));
        latency(
                client,
                database,
                "(b) GET /customers?owner=<self> as salesperson",
                queries,
                i -> new Request(
                        "/api/v1/customers?size=20&owner=" + String.format("u-%03d", i % 50), null, sales.get(i % 50)));
        latency(client, database, "(b) GET /customers?q=<trade name> as salesperson", queries, i -> {
            Random random = new Random(i);
            int at = random.nextInt(TRADE.length() - 1);
            return new Request("/api/v1/customers?size=20&q=" + TRADE.substring(at, at + 2), null, sales.get(i % 50));
        });
        latency(client, database, "(b) GET /customers?q=<trade name> as admin", queries, i -> {
            Random random = new Random(i);
            int at = random.nextInt(TRADE.length() - 1);
            return new Request("/api/v1/customers?size=20&q=" + TRADE.substring(at, at + 2), null, admin);
        });
        latency(
                client,
                database,
                "(b) POST /duplicate-checks (name of one customer, e-mail of another)",
                queries,
                i -> {
                    int one = new Random(i).nextInt(customers);
                    int other = new Random(i + 1).nextInt(customers);
                    String name = companyName(new Random(one * 31L + 7));
                    return new Request(
                            "/api/v1/duplicate-checks",
                            Map.of("name", name, "email", "buyer" + other + "@corp-" + other + ".cn"),
                            sales.get(i % 50));
                });
        // Measured after the kinds above, so that adding these changed none of them.
        latency(client, database, "(b) GET /customers?q=<one character> as salesperson", queries, i -> {
            Random random = new Random(i);
            int at = random.nextInt(TRADE.length());
            return new Request("/api/v1/customers?size=20&q=" + TRADE.charAt(at), null, sales.get(i % 50));
        });
        latency(
                client,
                database,
                "(b) GET /customers?q=<region and trade name, 4 characters> as salesperson",
                queries,
                i -> {
                    Random random = new Random(i);
                    int at = random.nextInt(TRADE.length() - 1);
                    String query = REGIONS[random.nextInt(REGIONS.length)] + TRADE.substring(at, at + 2);
                    return new Request("/api/v1/customers?size=20&q=" + query, null, sales.get(i % 50));
                });
        // Where a request's fixed cost goes: the HTTP exchange alone, then with a token checked and JSON written (the
        // rules come from the api's memory), then with one statement read by primary key (a customer that is not
        // there).
        latency(
                client,
                database,
                "(b) GET /actuator/health/liveness (no token, no database)",
                queries,
                i -> new Request("/actuator/health/liveness", null, null));
        latency(
                client,
                database,
                "(b) GET /tenant-rules as admin (token checked, rules from memory)",
                queries,
                i -> new Request("/api/v1/tenant-rules", null, admin));
        latency(
                client,
                database,
                "(b) GET /customers/<absent id> as admin (one statement by primary key, 404)",
                queries,
                i -> new Request("/api/v1/customers/absent-" + i, null, admin));
        // And what each row of a page adds: the stage listing with a page of one, and one customer by id.
        latency(
                client,
                database,
                "(b) GET /customers?stage=… as admin (size 1)",
                queries,
                i -> new Request("/api/v1/customers?size=1&stage=" + STAGES[i % STAGES.length], null, admin));
        latency(
                client,
                database,
                "(b) GET /customers/<id> as admin (one customer by primary key, 200)",
                queries,
                i -> new Request("/api/v1/customers/" + customerId(new Random(i).nextInt(customers)), null, admin));
        explain(database, tenant);
    }

    private record Request(String uri, Object body, String authorization) {}

    /** One request at a time: a warm-up of a fifth, then {@code count} measured. */
    private static void latency(
            WebClient client, String database, String label, int count, IntFunction<Request> requests) {
        Histogram histogram = new Histogram(3);
        Map<Integer, Integer> statuses = new HashMap<>();
        int warm = Math.max(20, count / 5);
        for (int i = 0; i < warm + count; i++) {
            if (i == warm) {
                StatementStats.reset(database);
            }
            Request request = requests.apply(i);
            long start = System.nanoTime();
            Integer status = (request.body() == null
                            ? client.get().uri(request.uri())
                            : client.post()
                                    .uri(request.uri())
                                    .contentType(MediaType.APPLICATION_JSON)
                                    .bodyValue(request.body()))
                    .headers(headers -> {
                        if (request.authorization() != null) {
                            headers.set("Authorization", request.authorization());
                        }
                    })
                    .exchangeToMono(response -> response.releaseBody()
                            .thenReturn(response.statusCode().value()))
                    .block(Duration.ofSeconds(30));
            if (i >= warm) {
                histogram.recordValue((System.nanoTime() - start) / 1_000);
                statuses.merge(status, 1, Integer::sum);
            }
        }
        report(
                label + ": p50 / p99 / max ms, statuses",
                ms(histogram.getValueAtPercentile(50)) + " / " + ms(histogram.getValueAtPercentile(99)) + " / "
                        + ms(histogram.getMaxValue()) + ", " + statuses);
        StatementStats.report(database, count).ifPresent(stats -> report(label + ": statements per request", stats));
    }

    /**
     * The plans of the list's two statements (page, and count up to 1,001; 201 for a search) for a stage filter as an
     * admin and for a two-character search as a salesperson, as PostgreSQL plans them once the api's parameters are
     * bound.
     */
    private static void explain(String database, String tenant) {
        try (Connection connection = SharedPostgres.dataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            String salesperson = " AND (c.owner = 'u-001' OR (c.owner IS NULL AND (c.pool_id = ANY(ARRAY['public'])"
                    + " OR c.pool_id IS NULL AND 'public' = ANY(ARRAY['public']))))";
            String twoCharacters = " AND (c.company_name_grams @> customer_name_query_grams('星云')"
                    + " OR c.company_name_grams IS NULL AND c.company_name ILIKE '%星云%')";
            for (String sql : List.of(
                    "SELECT customer_id FROM customer c WHERE c.tenant = '" + tenant + "' AND c.stage = 'QUALIFIED'"
                            + " ORDER BY c.updated_at DESC, c.customer_id LIMIT 20",
                    "SELECT count(*) FROM (SELECT 1 FROM customer c WHERE c.tenant = '" + tenant + "'"
                            + " AND c.stage = 'QUALIFIED' LIMIT 1001) matches",
                    "SELECT c.* FROM (SELECT c.customer_id, c.updated_at FROM customer c WHERE c.tenant = '" + tenant
                            + "'" + salesperson + twoCharacters + " ORDER BY c.updated_at DESC, c.customer_id LIMIT 20)"
                            + " found JOIN customer c ON c.tenant = '" + tenant
                            + "' AND c.customer_id = found.customer_id"
                            + " ORDER BY found.updated_at DESC, found.customer_id",
                    "SELECT count(*) FROM (SELECT 1 FROM customer c WHERE c.tenant = '" + tenant + "'" + salesperson
                            + " IS TRUE" + twoCharacters + " LIMIT 201) matches")) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                    while (rows.next()) {
                        plan.append("\n    ").append(rows.getString(1));
                    }
                }
                report("plan of " + sql.replace(tenant, "<tenant>"), plan);
            }
        } catch (Exception e) {
            report("explain failed", e);
        }
    }

    // ---- plumbing

    private static ConfigurableApplicationContext start(SpringApplicationBuilder application, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers());
        all.add("--logging.level.root=WARN");
        return application.registerShutdownHook(false).run(all.toArray(String[]::new));
    }

    private static ConfigurableApplicationContext startApi(String database, String groupId) {
        return start(
                ApiApplication.application(), apiArguments(database, groupId, 0).toArray(String[]::new));
    }

    private static List<String> apiArguments(String database, String groupId, int port) {
        return List.of(
                "--server.port=" + port,
                "--leadflow.db.port=" + SharedPostgres.port(),
                "--leadflow.db.name=" + database,
                "--leadflow.db.username=" + SharedPostgres.username(),
                "--leadflow.db.password=" + SharedPostgres.password(),
                "--leadflow.api.projection.group-id=" + groupId,
                "--leadflow.api.security.hmac-secret=" + SECRET);
    }

    /** The api whose reads are measured: where it answers, and how to stop it. */
    private record RunningApi(String baseUrl, Runnable stop) implements AutoCloseable {

        static RunningApi of(ConfigurableApplicationContext context) {
            return new RunningApi(
                    "http://localhost:" + context.getEnvironment().getProperty("local.server.port"), context::close);
        }

        @Override
        public void close() {
            stop.run();
        }
    }

    /**
     * The api in a JVM of its own, as it is deployed ({@code ServiceMain api}, {@value #API_HEAP}), so that its
     * latency does not include this JVM's broker and client: their allocations and collections.
     */
    private static RunningApi apiInOwnJvm(String database, String groupId) throws Exception {
        int port = FreePorts.next();
        List<String> arguments = new ArrayList<>(List.of("api"));
        arguments.addAll(apiArguments(database, groupId, port));
        arguments.add("--spring.kafka.bootstrap-servers=" + SharedKafka.bootstrapServers());
        arguments.add("--logging.level.root=WARN");
        JvmProcess process = JvmProcess.of(
                        "api-reads",
                        List.of(API_HEAP),
                        ServiceMain.class.getName(),
                        arguments,
                        Files.createTempDirectory("api-bench"))
                .start();
        String url = "http://localhost:" + port;
        // Asks for its health every half second (any answer will do: it is up) until it answers or exits.
        Mono.defer(() -> {
                    process.requireAlive();
                    return HttpClient.create()
                            .get()
                            .uri(url + "/actuator/health")
                            .response()
                            .onErrorResume(refused -> Mono.empty());
                })
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(500)))
                .timeout(Duration.ofMinutes(2))
                .onErrorMap(
                        TimeoutException.class,
                        e -> new IllegalStateException("the api did not answer within 2 minutes: " + process.tail(20)))
                .block();
        report("api", "own JVM (" + API_HEAP + "), pid " + process.pid());
        return new RunningApi(url, process::close);
    }

    private static WebClient client(ConfigurableApplicationContext api) {
        return client("http://localhost:" + api.getEnvironment().getProperty("local.server.port"));
    }

    private static WebClient client(String baseUrl) {
        ConnectionProvider connections = ConnectionProvider.builder("api-bench")
                .maxConnections(512)
                .pendingAcquireMaxCount(-1)
                .build();
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
                .baseUrl(baseUrl)
                .build();
    }

    private static String token(String tenant, String user, Role role) {
        return TOKENS.mint(new Viewer(tenant, user, null, Set.of(role)), Duration.ofHours(6));
    }

    /** Writes {@code count} records as fast as Kafka takes them (acks=all, batched), at most 10,000 in flight. */
    private static <V> void produce(
            TopicSpec<String, V> topic, int count, IntFunction<String> keys, IntFunction<V> values)
            throws InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Semaphore inFlight = new Semaphore(10_000);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                byte[] value = topic.valueSerde().serializer().serialize(topic.name(), values.apply(i));
                inFlight.acquire();
                producer.send(new ProducerRecord<>(topic.name(), keys.apply(i), value), (metadata, e) -> {
                    inFlight.release();
                    if (e != null) {
                        report("send failed", e);
                    }
                });
            }
            producer.flush();
        }
    }

    private static void awaitTotal(WebClient client, String authorization, long total, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long reported = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<?, ?> page = client.get()
                    .uri("/api/v1/customers?size=1")
                    .header("Authorization", authorization)
                    .retrieve()
                    .bodyToMono(Map.class)
                    .block(Duration.ofSeconds(30));
            long shown = page == null ? 0 : ((Number) page.get("total")).longValue();
            if (shown >= total) {
                return;
            }
            if (System.nanoTime() - reported > 15_000_000_000L) {
                report("customers shown so far", shown);
                reported = System.nanoTime();
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("the api did not show " + total + " customers within " + within);
    }

    @SuppressWarnings("unchecked")
    private static List<String> customerIds(WebClient client, String authorization, int count) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ids.size() < count; page++) {
            Map<String, Object> body = client.get()
                    .uri("/api/v1/customers?size=200&page=" + page)
                    .header("Authorization", authorization)
                    .retrieve()
                    .bodyToMono(Map.class)
                    .block(Duration.ofSeconds(30));
            List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
            if (items.isEmpty()) {
                break;
            }
            items.forEach(item -> ids.add((String) item.get("customerId")));
        }
        return ids;
    }

    private static long count(DataSource rows, String sql) throws Exception {
        try (Connection connection = rows.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String companyName(Random random) {
        int at = random.nextInt(TRADE.length() - 1);
        return REGIONS[random.nextInt(REGIONS.length)]
                + TRADE.substring(at, at + 2)
                + TRADE.charAt(random.nextInt(TRADE.length()))
                + INDUSTRIES[random.nextInt(INDUSTRIES.length)]
                + LEGAL[random.nextInt(LEGAL.length)];
    }

    private static String customerId(int i) {
        return String.format("c-%07d", i);
    }

    private static void loadAverage(String when) {
        report(
                "load average (1 min) " + when,
                String.format(
                        "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static String ms(long micros) {
        return String.format("%.1f", micros / 1_000.0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void report(String what, Object value) {
        System.out.println(what + ": " + value);
    }
}
