package io.leadflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SharedPostgresIT {

    @Test
    void answersQueriesOverJdbcUrlWithCredentials() throws SQLException {
        String database = SharedPostgres.createDatabase("query");

        try (Connection connection = DriverManager.getConnection(
                        SharedPostgres.jdbcUrl(database), SharedPostgres.username(), SharedPostgres.password());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_database(), 40 + 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(database);
            assertThat(rs.getInt(2)).isEqualTo(42);
        }
    }

    @Test
    void providesTrigramSimilarity() throws SQLException {
        String database = SharedPostgres.createDatabase("trgm");

        try (Connection connection = SharedPostgres.dataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION pg_trgm");
            try (ResultSet rs = statement.executeQuery("SELECT similarity('上海星云科技', '上海星云科技有限公司') > 0.3")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void keepsDatabasesApart() throws SQLException {
        String first = SharedPostgres.createDatabase("isolation");
        String second = SharedPostgres.createDatabase("isolation");
        assertThat(first).isNotEqualTo(second).startsWith("isolation_");

        try (Connection connection = SharedPostgres.dataSource(first).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_here (id int)");
        }

        try (Connection connection = SharedPostgres.dataSource(second).getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM only_here"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void buildsR2dbcUrlForTheSameServer() {
        assertThat(SharedPostgres.r2dbcUrl("leads"))
                .isEqualTo("r2dbc:postgresql://localhost:" + SharedPostgres.port() + "/leads");
    }

    @Test
    void refusesUnsafeDatabaseNames() {
        assertThatThrownBy(() -> SharedPostgres.createDatabase("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedPostgres.jdbcUrl("Mixed-Case")).isInstanceOf(IllegalArgumentException.class);
    }
}
