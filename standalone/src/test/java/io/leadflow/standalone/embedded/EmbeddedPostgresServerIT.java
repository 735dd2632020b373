package io.leadflow.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsRowsAcrossRestartsOnTheSameDataDirectory() throws SQLException {
        int port = FreePorts.next();

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, port);
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customer (id text PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO customer VALUES ('c-1', '上海星云科技有限公司')");
        }

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, port);
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id, name FROM customer")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getString(2));
            }
            assertThat(rows).containsExactly("c-1=上海星云科技有限公司");
        }
    }

    @Test
    void servesTheLeadflowDatabaseWithDurableCommitsAndTrigrams() throws SQLException {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, FreePorts.next());
                Connection connection = connect(postgres);
                Statement statement = connection.createStatement()) {
            assertThat(postgres.jdbcUrl()).endsWith(":" + postgres.port() + "/leadflow");
            assertThat(postgres.r2dbcUrl()).isEqualTo("r2dbc:postgresql://localhost:" + postgres.port() + "/leadflow");
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            try (ResultSet rs = statement.executeQuery(
                    "SELECT current_database(), current_setting('synchronous_commit'), similarity('星云科技', '星云科技有限公司')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("leadflow");
                assertThat(rs.getString(2)).isEqualTo("on");
                assertThat(rs.getFloat(3)).isGreaterThan(0.3f);
            }
        }
    }

    @Test
    void refusesInvalidArguments() {
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 70_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(null, 15432)).isInstanceOf(NullPointerException.class);
    }

    private static Connection connect(EmbeddedPostgresServer postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
