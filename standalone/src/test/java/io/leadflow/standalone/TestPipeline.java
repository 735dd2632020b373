package io.leadflow.standalone;

import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.testsupport.SharedKafka;
import io.leadflow.testsupport.SharedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Test fixture: all three services on the shared test broker and a fresh database of the shared
 * PostgreSQL, for one test tenant with one ingest key, with consumer groups of their own so test classes
 * never share processing state.
 */
public final class TestPipeline {

    private TestPipeline() {}

    /**
     * @param name short name of the test class's feature: prefixes its database and consumer groups
     * @param devTokenTenant the tenant the api's development token endpoint mints for, or {@code null} for none
     */
    public static LeadflowServices start(
            String name, String tenant, String ingestKey, String apiSecret, String devTokenTenant) {
        try {
            return LeadflowServices.start(new LeadflowServices.Settings(
                    SharedKafka.bootstrapServers(),
                    new LeadflowServices.Database(
                            "localhost",
                            SharedPostgres.port(),
                            SharedPostgres.createDatabase(name),
                            SharedPostgres.username(),
                            SharedPostgres.password()),
                    Files.createTempDirectory("leadflow-streams"),
                    0,
                    0,
                    0,
                    List.of(new LeadflowServices.Credential(ApiKeyAuthenticator.sha256(ingestKey), tenant, "web-form")),
                    apiSecret,
                    devTokenTenant,
                    Map.of(
                            "leadflow.processor.application-id", "leadflow-" + name + "-" + tenant,
                            "leadflow.api.projection.group-id", "leadflow-api-" + name + "-" + tenant)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client of one of the services. */
    public static WebTestClient client(int port, Duration responseTimeout) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(responseTimeout)
                .build();
    }
}
