package io.leadflow.bench.api;

import io.leadflow.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * PostgreSQL's own account of the statements a kind of request ran: planning and execution time per call, from
 * {@code pg_stat_statements}, which the server loads only when asked to, e.g. with {@code
 * -Dleadflow.postgres.server-config=shared_preload_libraries=pg_stat_statements;pg_stat_statements.track_planning=on}.
 * Without it both methods do nothing.
 */
final class StatementStats {

    private static final boolean ENABLED =
            System.getProperty(SharedPostgres.SERVER_CONFIG, "").contains("pg_stat_statements");

    private static final String TOP = """
            SELECT calls, mean_plan_time, mean_exec_time, rows, shared_blks_hit + shared_blks_read AS blocks,
                   regexp_replace(query, '\\s+', ' ', 'g') AS query
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_plan_time + total_exec_time DESC LIMIT 5
            """;

    private StatementStats() {}

    /** Forgets what was counted so far in {@code database}. */
    static void reset(String database) {
        if (ENABLED) {
            execute(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            execute(database, "SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements that took longest since {@link #reset}, per request of {@code requests}. */
    static Optional<String> report(String database, int requests) {
        if (!ENABLED) {
            return Optional.empty();
        }
        StringBuilder report = new StringBuilder();
        try (Connection connection = SharedPostgres.dataSource(database).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(TOP)) {
            while (rows.next()) {
                long calls = rows.getLong("calls");
                String query = rows.getString("query");
                report.append(String.format(
                        "%n    %.2f per request, plan %.3f ms, execution %.3f ms, %.1f rows and %.0f buffers per call: %s",
                        (double) calls / requests,
                        rows.getDouble("mean_plan_time"),
                        rows.getDouble("mean_exec_time"),
                        (double) rows.getLong("rows") / calls,
                        (double) rows.getLong("blocks") / calls,
                        query.length() > 160 ? query.substring(0, 160) + "…" : query));
            }
        } catch (SQLException e) {
            return Optional.of("not read: " + e.getMessage());
        }
        return Optional.of(report.toString());
    }

    private static void execute(String database, String sql) {
        try (Connection connection = SharedPostgres.dataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
