package io.leadflow.api.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.leadflow.api.projection.Change;
import io.leadflow.api.stream.ChangeListener;
import io.r2dbc.postgresql.codec.Json;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The api keeps each tenant's rules in memory for as long as its {@link ChangeListener} listens, and a
 * notification of a rules change is what makes it read them again. The rows are written straight into
 * {@code tenant_rules} here, with and without a notification, to tell a read from memory from a read from
 * PostgreSQL.
 */
class TenantRulesCacheIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static TenantRulesService rules;
    private static ChangeListener listener;
    private static DatabaseClient db;
    private static JsonMapper json;

    @BeforeAll
    static void start() {
        ConfigurableApplicationContext api = TestApi.api();
        rules = api.getBean(TenantRulesService.class);
        listener = api.getBean(ChangeListener.class);
        db = api.getBean(DatabaseClient.class);
        json = api.getBean(JsonMapper.class);
        await().atMost(WITHIN).until(listener::isListening);
    }

    @Test
    void servesTheRulesFromMemoryUntilTheirChangeIsNotified() {
        String tenant = aTenant();
        assertThat(versionOf(tenant)).as("no rules projected: the defaults").isZero();

        write(tenant, 5);
        assertThat(versionOf(tenant))
                .as("a row written without a notification is not read: the rules came from memory")
                .isZero();

        notifyRulesChanged(tenant);
        await().atMost(WITHIN)
                .untilAsserted(() -> assertThat(versionOf(tenant))
                        .as(
                                "the notification dropped the tenant's rules (otherwise they are kept for %s)",
                                TenantRulesService.MAX_AGE)
                        .isEqualTo(5));
    }

    @Test
    void aNotificationForAnotherTenantOrStreamLeavesTheRulesInMemory() {
        String tenant = aTenant();
        assertThat(versionOf(tenant)).isZero();
        write(tenant, 3);

        notifyChange(Change.RULES, aTenant());
        notifyChange(Change.CUSTOMER, tenant);
        String marker = aTenant();
        write(marker, 1);
        notifyRulesChanged(marker);
        await().atMost(WITHIN).until(() -> versionOf(marker) == 1);

        assertThat(versionOf(tenant)).isZero();
    }

    @Test
    void readsFromPostgresqlWhileTheListenerIsNotListening() {
        String tenant = aTenant();
        assertThat(versionOf(tenant)).isZero();
        listener.stop();
        try {
            await().atMost(WITHIN).until(() -> !listener.isListening());
            write(tenant, 7);
            assertThat(versionOf(tenant))
                    .as("notifications may be missed while not listening: no rules from memory")
                    .isEqualTo(7);
        } finally {
            listener.start();
            await().atMost(WITHIN).until(listener::isListening);
        }
        write(tenant, 8);
        notifyRulesChanged(tenant);
        await().atMost(WITHIN).until(() -> versionOf(tenant) == 8);
    }

    private static String aTenant() {
        return "rc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long versionOf(String tenant) {
        return rules.of(tenant).map(RulesDocument::version).block(WITHIN);
    }

    private static void write(String tenant, long version) {
        ObjectNode document = json.valueToTree(RulesDocument.defaults(tenant));
        document.put("version", version);
        db.sql("""
                        INSERT INTO tenant_rules (tenant, version, rules, updated_at) VALUES (:tenant, :version, :rules, now())
                        ON CONFLICT (tenant) DO UPDATE SET version = EXCLUDED.version, rules = EXCLUDED.rules
                        """)
                .bind("tenant", tenant)
                .bind("version", version)
                .bind("rules", Json.of(json.writeValueAsString(document)))
                .fetch()
                .rowsUpdated()
                .block(WITHIN);
    }

    private static void notifyRulesChanged(String tenant) {
        notifyChange(Change.RULES, tenant);
    }

    private static void notifyChange(String stream, String tenant) {
        db.sql("SELECT pg_notify(:channel, :payload)")
                .bind("channel", Change.CHANNEL)
                .bind("payload", new Change(stream, tenant).payload())
                .fetch()
                .rowsUpdated()
                .block(WITHIN);
    }
}
