package io.leadflow.standalone.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent PostgreSQL server (zonky's embedded binaries, a real PostgreSQL with {@code
 * pg_trgm}) run as a child process of this JVM.
 *
 * <p>Guarantees: the cluster in the given data directory is initialised on first start and reused
 * on every later start, so data survives restarts; the database {@value #DATABASE} exists when
 * {@link #start} returns; the server listens on localhost only, with {@code trust} authentication
 * for {@link #username()}; commits are durable ({@code synchronous_commit=on}). {@link #close()}
 * stops the server and waits for it. The server is also stopped by a JVM shutdown hook, but not if
 * the JVM is killed outright: an orphaned server then keeps the port until it is stopped.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 15432;
    public static final String DATABASE = "leadflow";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final String USERNAME = "postgres";
    private static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** Starts a server on port {@value #DEFAULT_PORT}. */
    public static EmbeddedPostgresServer start(Path dataDir) {
        return start(dataDir, DEFAULT_PORT);
    }

    /**
     * Starts a server that keeps its data in {@code dataDir} (created if missing) and listens on
     * localhost:{@code port}, and creates the database {@value #DATABASE} if it is missing.
     *
     * @throws IllegalStateException if the server does not start or the database cannot be created
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
        }
        Path directory = dataDir.toAbsolutePath().normalize();
        long startedAt = System.nanoTime();
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(directory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // zonky turns this off for speed; here an acknowledged commit must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "PostgreSQL did not start on port %d with data in %s".formatted(port, directory), e);
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, directory);
        try {
            server.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info(
                "PostgreSQL started on port {} with data in {} in {} ms",
                port,
                directory,
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return server;
    }

    /** JDBC URL of the {@value #DATABASE} database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:%d/%s".formatted(port(), DATABASE);
    }

    /** R2DBC URL of the {@value #DATABASE} database, without credentials. */
    public String r2dbcUrl() {
        return "r2dbc:postgresql://localhost:%d/%s".formatted(port(), DATABASE);
    }

    public String username() {
        return USERNAME;
    }

    /** Accepted but not checked: the server trusts local connections. */
    public String password() {
        return PASSWORD;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The directory that holds this server's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server and waits until it has stopped; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
            log.info("PostgreSQL on port {} stopped", port());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL on port " + port() + " did not stop cleanly", e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists =
                    connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
            log.info("Created database {}", DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + DATABASE, e);
        }
    }
}
