package io.leadflow.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.standalone.LeadflowServices;
import io.leadflow.standalone.LeadflowServices.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as separate processes works end to end, and a processor killed with {@code kill -9}
 * while leads keep arriving picks up where it stopped once started again.
 */
class ProcessPipelineIT {

    private static final String TENANT = "acme";
    private static final String INGEST_KEY = "ingest-key-acme";
    private static final String API_SECRET = "a-test-secret-of-at-least-thirty-two-bytes-acme";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void leadsBecomeCustomersAcrossAProcessorKill() throws Exception {
        ProcessPipeline.Options options = new ProcessPipeline.Options(
                Files.createTempDirectory("process-pipeline"),
                List.of(new LeadflowServices.Credential(ApiKeyAuthenticator.sha256(INGEST_KEY), TENANT, "web-form")),
                API_SECRET,
                null,
                Map.of(),
                ProcessPipeline.TEST_JVM);
        try (ProcessPipeline pipeline = ProcessPipeline.start(options)) {
            assertThat(accept(pipeline, "lead-1", "before-kill@alpha.example")).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> customers(pipeline).contains("lead-1"));

            pipeline.kill(Service.PROCESSOR);
            assertThat(pipeline.process(Service.PROCESSOR).isAlive()).isFalse();
            assertThat(accept(pipeline, "lead-2", "while-down@beta.example")).isEqualTo(202);
            pipeline.start(Service.PROCESSOR);

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> customers(pipeline).contains("lead-2"));
            assertThat(customers(pipeline)).contains("\"total\":2");
        }
    }

    private int accept(ProcessPipeline pipeline, String leadId, String email) throws Exception {
        String body = "{\"leadId\":\"" + leadId + "\",\"contact\":{\"email\":\"" + email + "\"}}";
        HttpRequest request = HttpRequest.newBuilder(
                        pipeline.uri(Service.INGEST).resolve("/ingest/v1/leads"))
                .header("Authorization", "ApiKey " + INGEST_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String customers(ProcessPipeline pipeline) throws Exception {
        String token = new TokenMinter(API_SECRET, null, Clock.systemUTC())
                .mint(new Viewer(TENANT, "boss", null, Set.of(Role.ADMIN)), Duration.ofHours(1));
        URI uri = pipeline.uri(Service.API).resolve("/api/v1/customers");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
