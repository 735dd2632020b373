package io.leadflow.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL server per test JVM (zonky's real PostgreSQL binaries, including the
 * {@code pg_trgm} extension), shared by every test class that asks for it.
 *
 * <p>The server starts on first use in a fresh temporary directory and stops in a JVM shutdown
 * hook. Test classes isolate their data by creating their own database with {@link
 * #createDatabase(String)}; databases are never dropped, the whole cluster goes with the JVM.
 * Authentication is {@code trust} on localhost: {@link #password()} is accepted but not checked.
 *
 * <p>The system property {@value #SHARED_BUFFERS} sets the server's {@code shared_buffers} (PostgreSQL's 128 MB
 * otherwise): a benchmark at a million customers gives it room for the table and its indexes, as a production
 * server is given, so that its figures do not measure copies from the operating system's page cache. The system
 * property {@value #SERVER_CONFIG} sets any other server settings, as {@code name=value} pairs separated by {@code ;}
 * (a benchmark loads {@code pg_stat_statements} with it).
 */
public final class SharedPostgres {

    /** System property: {@code shared_buffers} of the server, such as {@code 2GB}. */
    public static final String SHARED_BUFFERS = "leadflow.postgres.shared-buffers";

    /**
     * System property: further server settings, {@code name=value} pairs separated by {@code ;}, such as {@code
     * shared_preload_libraries=pg_stat_statements;pg_stat_statements.track_planning=on}.
     */
    public static final String SERVER_CONFIG = "leadflow.postgres.server-config";

    /**
     * System property: the port of a server already running on localhost (such as one a benchmark's {@code hold}
     * keeps up) to use instead of starting one, with the same credentials.
     */
    public static final String PORT = "leadflow.postgres.port";

    private static final Logger log = LoggerFactory.getLogger(SharedPostgres.class);

    private static final String USERNAME = "postgres";
    private static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static EmbeddedPostgres postgres;

    private SharedPostgres() {}

    /** JDBC URL of {@code database}, without credentials: pass {@link #username()} and {@link #password()}. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:%d/%s".formatted(port(), requireName(database));
    }

    /** R2DBC URL of {@code database}, without credentials: pass {@link #username()} and {@link #password()}. */
    public static String r2dbcUrl(String database) {
        return "r2dbc:postgresql://localhost:%d/%s".formatted(port(), requireName(database));
    }

    public static String username() {
        return USERNAME;
    }

    public static String password() {
        return PASSWORD;
    }

    /** The server's TCP port on localhost, starting the server if needed. */
    public static int port() {
        Integer running = Integer.getInteger(PORT);
        return running != null ? running : postgres().getPort();
    }

    /**
     * Creates a new, empty database whose name starts with {@code prefix} followed by a unique
     * suffix, and returns its name.
     *
     * @param prefix lower-case letters, digits and underscores, starting with a letter, at most 40
     *     characters, e.g. the test class's feature: {@code "projection"}
     */
    public static String createDatabase(String prefix) {
        if (prefix == null || !DATABASE_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "Database prefix must match " + DATABASE_PREFIX.pattern() + ": " + prefix);
        }
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        // CREATE DATABASE copies template1 and fails while another session uses it, so serialize.
        synchronized (SharedPostgres.class) {
            try (Connection connection = dataSource("postgres").getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not create database " + name, e);
            }
        }
        return name;
    }

    /** A (non-pooling) data source for {@code database}, logged in as {@link #username()}. */
    public static DataSource dataSource(String database) {
        if (Integer.getInteger(PORT) != null) {
            PGSimpleDataSource running = new PGSimpleDataSource();
            running.setUrl(jdbcUrl(database));
            running.setUser(USERNAME);
            running.setPassword(PASSWORD);
            return running;
        }
        return postgres().getDatabase(USERNAME, requireName(database));
    }

    private static String requireName(String database) {
        if (database == null || !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException(
                    "Expected an unquoted lower-case database name, such as one from createDatabase: " + database);
        }
        return database;
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            long startedAt = System.nanoTime();
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(30))
                        .setRegisterShutdownHook(false);
                String sharedBuffers = System.getProperty(SHARED_BUFFERS);
                if (sharedBuffers != null) {
                    builder.setServerConfig("shared_buffers", sharedBuffers);
                }
                for (String setting : System.getProperty(SERVER_CONFIG, "").split(";")) {
                    int equals = setting.indexOf('=');
                    if (equals > 0) {
                        builder.setServerConfig(
                                setting.substring(0, equals).strip(),
                                setting.substring(equals + 1).strip());
                    }
                }
                postgres = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedPostgres::stop, "shared-postgres-shutdown"));
            log.info(
                    "Shared PostgreSQL on port {} started in {} ms",
                    postgres.getPort(),
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        }
        return postgres;
    }

    private static synchronized void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Could not stop embedded PostgreSQL", e);
        }
    }
}
