package io.leadflow.bench.load;

import io.leadflow.bench.cluster.ProcessPipeline;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same questions asked the way a typical CRM asks them, against a plain table of the same customers,
 * next to LeadFlow's api answering them from what the processor keeps ready:
 *
 * <ul>
 *   <li>funnel: {@code GROUP BY stage} with {@code count(*)} and {@code sum(amount)} over the tenant's customers,
 *       against {@code GET /api/v1/funnel} (one pre-aggregated figure);
 *   <li>public pool page: {@code WHERE owner IS NULL … ORDER BY updated_at DESC LIMIT 20} plus the page's total,
 *       against {@code GET /api/v1/pools/public/customers?size=20};
 *   <li>customers due to return within N days: the deadline computed with date arithmetic from the pool rules
 *       (the default rules: 30 days after the later of assignment and last follow-up, at most 90 days after
 *       assignment, won customers exempt) plus the total, against {@code GET
 *       /api/v1/customers?returnsWithinDays=N&size=20} (the processor keeps each deadline in an indexed column).
 * </ul>
 *
 * The plain table ({@code load_crm.customer}) is copied from the api's projection after the run, so both sides
 * hold the very same customers; it has the indexes such a CRM would have: the primary key and {@code (tenant,
 * owner)}. A third column times the SQL the api itself runs for the answer (the funnel figure row; the projected
 * customer table with its pool and deadline indexes), over the same JDBC connection, so the database work of the
 * two designs compares without HTTP, JSON and the token check. Each is read one request at a time after a
 * warm-up; latencies are medians and p99 of the timed reads, and the answers' totals are compared.
 */
final class CrmBaseline {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WARM_UP = 10;
    private static final int DUE_WITHIN_DAYS = 30;

    private static final String FUNNEL =
            "SELECT stage, count(*), COALESCE(sum(amount), 0) FROM load_crm.customer WHERE tenant = ? GROUP BY stage";

    private static final String POOL_PAGE = "SELECT id, company_name, stage, updated_at FROM load_crm.customer"
            + " WHERE tenant = ? AND owner IS NULL AND pool_id = 'public' ORDER BY updated_at DESC LIMIT 20";

    private static final String POOL_TOTAL =
            "SELECT count(*) FROM load_crm.customer WHERE tenant = ? AND owner IS NULL AND pool_id = 'public'";

    private static final String DUE = " FROM (SELECT id, owner, LEAST("
            + "GREATEST(assigned_at, COALESCE(last_follow_up_at, assigned_at)) + 30 * interval '1 day',"
            + " assigned_at + 90 * interval '1 day') AS deadline FROM load_crm.customer"
            + " WHERE tenant = ? AND owner IS NOT NULL AND NOT locked AND stage <> 'WON') due"
            + " WHERE deadline <= now() + ? * interval '1 day'";

    private static final String DUE_PAGE = "SELECT id, owner, deadline" + DUE + " ORDER BY deadline LIMIT 20";

    private static final String DUE_TOTAL = "SELECT count(*)" + DUE;

    private static final String LEADFLOW_FUNNEL = "SELECT stages FROM funnel_figure WHERE tenant = ?"
            + " AND dimension = 'TENANT' AND kind = 'SNAPSHOT' AND period = 'live' AND dimension_value = tenant";

    private static final String LEADFLOW_POOL =
            " FROM customer c WHERE c.tenant = ? AND c.owner IS NULL" + " AND COALESCE(c.pool_id, 'public') = 'public'";

    private static final String LEADFLOW_DUE =
            " FROM customer c WHERE c.tenant = ? AND c.return_deadline <= now() + ? * interval '1 day'";

    private static final String LEADFLOW_PAGE = "SELECT c.customer_id, c.company_name, c.stage, c.updated_at";

    private static final String LEADFLOW_ORDER = " ORDER BY c.updated_at DESC, c.customer_id LIMIT 20";

    /**
     * One question: latencies (ms) of the plain table, of the SQL the api runs, and of the api over HTTP, and
     * whether the plain table's and the api's answers agree.
     */
    record Comparison(
            String question,
            List<Double> crmMillis,
            List<Double> leadflowSqlMillis,
            List<Double> apiMillis,
            String crmAnswer,
            String apiAnswer) {

        String line() {
            double crm = percentile(crmMillis, 50);
            double sql = percentile(leadflowSqlMillis, 50);
            double api = percentile(apiMillis, 50);
            return LoadReport.format(
                    "plain SQL median %.2f ms (p99 %.2f) | LeadFlow's SQL %.2f ms (p99 %.2f) | api over HTTP %.2f ms"
                            + " (p99 %.2f) | plain / LeadFlow's SQL %.2f, plain / api %.2f | answers %s (plain %s, api %s)",
                    crm,
                    percentile(crmMillis, 99),
                    sql,
                    percentile(leadflowSqlMillis, 99),
                    api,
                    percentile(apiMillis, 99),
                    crm / sql,
                    crm / api,
                    crmAnswer.equals(apiAnswer) ? "agree" : "DIFFER",
                    crmAnswer,
                    apiAnswer);
        }
    }

    private CrmBaseline() {}

    /** Copies the customers into the plain table; returns how many. */
    static long load(ProcessPipeline pipeline) throws SQLException {
        try (Connection db = connect(pipeline);
                Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS load_crm");
            sql.execute("DROP TABLE IF EXISTS load_crm.customer");
            sql.execute("CREATE TABLE load_crm.customer (id text PRIMARY KEY, tenant text NOT NULL, company_name text,"
                    + " owner text, team text, pool_id text, stage text NOT NULL, amount numeric(18, 2), level text,"
                    + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, assigned_at timestamptz,"
                    + " last_follow_up_at timestamptz, locked boolean NOT NULL DEFAULT false)");
            int rows = sql.executeUpdate("INSERT INTO load_crm.customer SELECT tenant || '/' || customer_id, tenant,"
                    + " company_name, owner, team, pool_id, stage, amount, level, created_at, updated_at, assigned_at,"
                    + " last_follow_up_at, locked FROM customer");
            sql.execute("CREATE INDEX ON load_crm.customer (tenant, owner)");
            sql.execute("ANALYZE load_crm.customer");
            return rows;
        }
    }

    static List<Comparison> compare(ProcessPipeline pipeline, PipelineClient api, String tenant, int reads)
            throws Exception {
        List<Comparison> comparisons = new ArrayList<>();
        try (Connection db = connect(pipeline)) {
            comparisons.add(new Comparison(
                    "funnel of the tenant (count and amount per stage)",
                    time(reads, () -> funnelCounts(db, tenant)),
                    time(reads, () -> figureRow(db, tenant)),
                    time(reads, () -> apiFunnelCounts(api, tenant)),
                    funnelCounts(db, tenant),
                    apiFunnelCounts(api, tenant)));
            comparisons.add(new Comparison(
                    "public pool, first page of 20 and total",
                    time(reads, () -> page(db, POOL_PAGE, POOL_TOTAL, tenant, null)),
                    time(
                            reads,
                            () -> page(
                                    db,
                                    LEADFLOW_PAGE + LEADFLOW_POOL + LEADFLOW_ORDER,
                                    "SELECT count(*)" + LEADFLOW_POOL,
                                    tenant,
                                    null)),
                    time(reads, () -> apiTotal(api, tenant, "/api/v1/pools/public/customers?size=20")),
                    page(db, POOL_PAGE, POOL_TOTAL, tenant, null),
                    apiTotal(api, tenant, "/api/v1/pools/public/customers?size=20")));
            String due = "/api/v1/customers?returnsWithinDays=" + DUE_WITHIN_DAYS + "&size=20";
            comparisons.add(new Comparison(
                    "customers due to return within " + DUE_WITHIN_DAYS + " days, first page of 20 and total",
                    time(reads, () -> page(db, DUE_PAGE, DUE_TOTAL, tenant, DUE_WITHIN_DAYS)),
                    time(
                            reads,
                            () -> page(
                                    db,
                                    LEADFLOW_PAGE + LEADFLOW_DUE + LEADFLOW_ORDER,
                                    "SELECT count(*)" + LEADFLOW_DUE,
                                    tenant,
                                    DUE_WITHIN_DAYS)),
                    time(reads, () -> apiTotal(api, tenant, due)),
                    page(db, DUE_PAGE, DUE_TOTAL, tenant, DUE_WITHIN_DAYS),
                    apiTotal(api, tenant, due)));
        }
        return comparisons;
    }

    private interface Read {
        String answer() throws Exception;
    }

    private static List<Double> time(int reads, Read read) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            read.answer();
        }
        List<Double> millis = new ArrayList<>(reads);
        for (int i = 0; i < reads; i++) {
            long start = System.nanoTime();
            read.answer();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return millis;
    }

    /** {@code stage=count} pairs in stage name order, stages with customers only. */
    private static String funnelCounts(Connection db, String tenant) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement query = db.prepareStatement(FUNNEL)) {
            query.setString(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                    rows.getBigDecimal(3);
                }
            }
        }
        return counts.toString();
    }

    /** The live tenant figure as the api reads it: one row by primary key. */
    private static String figureRow(Connection db, String tenant) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(LEADFLOW_FUNNEL)) {
            query.setString(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : "";
            }
        }
    }

    private static String apiFunnelCounts(PipelineClient api, String tenant) throws Exception {
        JsonNode figures = JSON.readTree(body(api, tenant, "/api/v1/funnel"));
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode figure : figures) {
            if ("live".equals(figure.path("period").asString(""))) {
                for (JsonNode stage : figure.path("stages")) {
                    long count = stage.path("count").asLong(0);
                    if (count > 0) {
                        counts.put(stage.path("stage").asString(), count);
                    }
                }
            }
        }
        return counts.toString();
    }

    /** Reads the page's rows and returns the total. */
    private static String page(Connection db, String page, String total, String tenant, Integer days)
            throws SQLException {
        try (PreparedStatement rows = db.prepareStatement(page);
                PreparedStatement count = db.prepareStatement(total)) {
            rows.setString(1, tenant);
            count.setString(1, tenant);
            if (days != null) {
                rows.setInt(2, days);
                count.setInt(2, days);
            }
            try (ResultSet result = rows.executeQuery()) {
                while (result.next()) {
                    result.getString(1);
                }
            }
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return "total " + result.getLong(1);
            }
        }
    }

    private static String apiTotal(PipelineClient api, String tenant, String pathAndQuery) throws Exception {
        return "total "
                + JSON.readTree(body(api, tenant, pathAndQuery)).path("total").asLong(-1);
    }

    private static String body(PipelineClient api, String tenant, String pathAndQuery) throws Exception {
        HttpResponse<String> answer = api.get(tenant, pathAndQuery).get(60, TimeUnit.SECONDS);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private static Connection connect(ProcessPipeline pipeline) throws SQLException {
        return DriverManager.getConnection(
                pipeline.postgres().jdbcUrl(),
                pipeline.postgres().username(),
                pipeline.postgres().password());
    }

    static double percentile(List<Double> values, double percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
