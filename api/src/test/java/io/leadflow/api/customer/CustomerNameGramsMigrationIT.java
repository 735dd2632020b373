package io.leadflow.api.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.Viewer;
import io.leadflow.api.rules.Visibility;
import io.leadflow.testsupport.SharedPostgres;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code V8__customer_name_grams.sql} gives the customers projected before it their names' characters and
 * character pairs, so the search finds them as it finds customers projected after it; {@code
 * V10__customer_search_covering_index.sql} keeps the pairs of names up to 64 characters only, and the search finds
 * the longer ones by their names.
 */
class CustomerNameGramsMigrationIT {

    private static final String TENANT = "before-v8";

    private static DatabaseClient db;
    private static Flyway flyway;

    @BeforeAll
    static void projectCustomersBeforeV8() {
        String database = SharedPostgres.createDatabase("name_grams");
        flyway = Flyway.configure()
                .dataSource(SharedPostgres.jdbcUrl(database), SharedPostgres.username(), SharedPostgres.password())
                .target("7")
                .load();
        flyway.migrate();
        db = DatabaseClient.create(new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost")
                .port(SharedPostgres.port())
                .database(database)
                .username(SharedPostgres.username())
                .password(SharedPostgres.password())
                .build()));
        insert("c-1", "上海星云科技有限公司", "2026-11-27T09:00:01Z");
        insert("c-2", "Organic Farms Inc.", "2026-11-27T09:00:02Z");
        insert("c-3", null, "2026-11-27T09:00:03Z");
        insert(
                "c-4",
                "The Long Name International Holdings Limited of the Greater Metropolitan Area",
                "2026-11-27T09:00:04Z");
    }

    @Test
    void existingCustomersAreFoundByOneTwoAndMoreCharactersAfterTheMigration() {
        Flyway.configure()
                .configuration(flyway.getConfiguration())
                .target("latest")
                .load()
                .migrate();

        assertThat(grams("c-2")).contains("o", "or", "s ", " i", "c.").doesNotContain("O", "Or");
        assertThat(grams("c-3")).isEmpty();
        assertThat(grams("c-4")).isNull();
        CustomerRepository customers =
                new CustomerRepository(db, JsonMapper.builder().build());
        Visibility admin =
                new Visibility(new Viewer(TENANT, "root", null, Set.of(Role.ADMIN)), List.of("public"), "public");
        assertThat(CustomerSearchIT.ids(customers, admin, "星")).containsExactly("c-1");
        assertThat(CustomerSearchIT.ids(customers, admin, "星云")).containsExactly("c-1");
        assertThat(CustomerSearchIT.ids(customers, admin, "云星")).isEmpty();
        assertThat(CustomerSearchIT.ids(customers, admin, "FARMS")).containsExactly("c-2");
        assertThat(CustomerSearchIT.ids(customers, admin, "ea")).containsExactly("c-4");
        assertThat(CustomerSearchIT.ids(customers, admin, "I")).containsExactly("c-4", "c-2");
        assertThat(CustomerSearchIT.ids(customers, admin, "metropolitan area")).containsExactly("c-4");
        assertThat(customers.countUpTo(admin, CustomerSearchIT.query("有限"), 10).block())
                .isEqualTo(1);
    }

    private static List<String> grams(String customerId) {
        return db.sql("SELECT company_name_grams FROM customer WHERE tenant = :tenant AND customer_id = :id")
                .bind("tenant", TENANT)
                .bind("id", customerId)
                .map(row -> Optional.ofNullable(row.get(0, String[].class)).map(List::of))
                .one()
                .block()
                .orElse(null);
    }

    private static void insert(String customerId, String name, String updatedAt) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO customer (tenant, customer_id, version,"
                        + " company_name, stage, first_lead_at, created_at, updated_at)"
                        + " VALUES (:tenant, :id, 1, :name, 'NEW', CAST(:at AS timestamptz), CAST(:at AS timestamptz),"
                        + " CAST(:at AS timestamptz))")
                .bind("tenant", TENANT)
                .bind("id", customerId)
                .bind("at", updatedAt);
        spec = name == null ? spec.bindNull("name", String.class) : spec.bind("name", name);
        spec.fetch().rowsUpdated().block();
    }
}
