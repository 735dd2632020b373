package io.leadflow.standalone;

import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.standalone.demo.DemoDriver;
import io.leadflow.standalone.embedded.EmbeddedKafkaServer;
import io.leadflow.standalone.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * LeadFlow with zero setup: an in-process Kafka broker, an embedded PostgreSQL and all three services in
 * one JVM. Data is kept under {@code ./data} across restarts ({@code --wipe} starts afresh). Tenant
 * {@code demo} is configured with a development ingest key and api token, printed at start; they are for
 * this command only and never part of a deployment's configuration.
 */
public final class StandaloneApplication {

    private static final Logger log = LoggerFactory.getLogger(StandaloneApplication.class);

    static final String DEMO_TENANT = "demo";
    static final String DEMO_INGEST_KEY = "demo-ingest-key";
    private static final int SECRET_BYTES = 48;

    private StandaloneApplication() {}

    public static void main(String[] args) {
        StandaloneOptions options = StandaloneOptions.parse(args);
        if (options.wipe()) {
            wipe(options);
        }
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(
                options.dataDir().resolve("kafka"), options.kafkaPort(), options.kafkaControllerPort());
        EmbeddedPostgresServer postgres =
                EmbeddedPostgresServer.start(options.dataDir().resolve("postgres"), options.postgresPort());
        LeadflowServices services =
                LeadflowServices.start(settings(options, kafka, postgres, apiSecret(options.dataDir())));
        DemoDriver demo = options.demo() ? startDemo(options, services, kafka) : null;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stop(demo, services, postgres, kafka), "leadflow-shutdown"));
        log.info(
                """

                ==================== LeadFlow is running ====================
                  dashboard   http://localhost:{}/   (sign in as any user, e.g. li.lei, sales, team east)
                  api         http://localhost:{}   (tenant '{}'; development tokens from POST /api/v1/dev/tokens)
                  ingest      http://localhost:{}   (API key for tenant '{}': {})
                  processor   http://localhost:{}/actuator/health/readiness   (UP once its stores are restored)
                  kafka       {}
                  postgresql  {}
                  data        {}
                  Try:  curl -X POST http://localhost:{}/ingest/v1/leads -H 'X-Api-Key: {}' \\
                          -H 'Content-Type: application/json' \\
                          -d '{"company":{"name":"上海星云科技有限公司"},"contact":{"email":"wang.wei@example.cn"}}'
                        TOKEN=$(curl -s -X POST http://localhost:{}/api/v1/dev/tokens -H 'Content-Type: application/json' \\
                          -d '{"user":"demo","roles":["admin"]}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
                        curl -G http://localhost:{}/api/v1/customers --data-urlencode q=星云 -H "Authorization: Bearer $TOKEN"
                  Stop with Ctrl-C.
                =============================================================""",
                services.apiPort(),
                services.apiPort(),
                DEMO_TENANT,
                services.ingestPort(),
                DEMO_TENANT,
                DEMO_INGEST_KEY,
                services.processorPort(),
                kafka.bootstrapServers(),
                postgres.jdbcUrl(),
                options.dataDir().toAbsolutePath().normalize(),
                services.ingestPort(),
                DEMO_INGEST_KEY,
                services.apiPort(),
                services.apiPort());
    }

    static LeadflowServices.Settings settings(
            StandaloneOptions options, EmbeddedKafkaServer kafka, EmbeddedPostgresServer postgres, String apiSecret) {
        return new LeadflowServices.Settings(
                kafka.bootstrapServers(),
                LeadflowServices.Database.of(postgres),
                options.dataDir().resolve("streams"),
                options.processorPort(),
                options.apiPort(),
                options.ingestPort(),
                List.of(new LeadflowServices.Credential(
                        ApiKeyAuthenticator.sha256(DEMO_INGEST_KEY), DEMO_TENANT, "demo")),
                apiSecret,
                DEMO_TENANT,
                Map.of());
    }

    /**
     * The secret the api signs development tokens with: made once per data directory and kept there, so
     * tokens stay valid across restarts and a wiped directory invalidates them.
     */
    static String apiSecret(Path dataDir) {
        Path file = dataDir.resolve("api-hmac-secret");
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[SECRET_BYTES];
                new SecureRandom().nextBytes(secret);
                Files.createDirectories(dataDir);
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the api secret in " + file, e);
        }
    }

    /** {@code --demo}: demonstration data through the real endpoints, on its own thread. */
    private static DemoDriver startDemo(
            StandaloneOptions options, LeadflowServices services, EmbeddedKafkaServer kafka) {
        return DemoDriver.start(new DemoDriver.Settings(
                URI.create("http://localhost:" + services.apiPort()),
                URI.create("http://localhost:" + services.ingestPort()),
                DEMO_INGEST_KEY,
                kafka.bootstrapServers(),
                DEMO_TENANT,
                options.demoRate(),
                options.demoSeed()));
    }

    private static void stop(
            DemoDriver demo, LeadflowServices services, EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka) {
        log.info("stopping LeadFlow");
        if (demo != null) {
            demo.close();
        }
        services.close();
        postgres.close();
        kafka.close();
    }

    private static void wipe(StandaloneOptions options) {
        try {
            log.info("--wipe: deleting {}", options.dataDir().toAbsolutePath().normalize());
            FileSystemUtils.deleteRecursively(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + options.dataDir(), e);
        }
    }
}
