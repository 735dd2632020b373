package io.leadflow.ingest.lead;

import io.leadflow.ingest.IngestApplication;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Without a broker, ingest still starts and refuses leads with 503 instead of accepting what it cannot store. */
class BrokerDownIT {

    private static ConfigurableApplicationContext ingest;
    private static WebTestClient client;

    @BeforeAll
    static void startIngestWithoutBroker() throws IOException {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        ingest = IngestApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=localhost:" + nobodyListens,
                        "--leadflow.ingest.produce-timeout=2s",
                        "--leadflow.ingest.api-keys[0].sha256=" + ApiKeyAuthenticator.sha256("key"),
                        "--leadflow.ingest.api-keys[0].tenant=acme",
                        "--leadflow.ingest.api-keys[0].source=web-form");
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void answersServiceUnavailableWithRetryAfterWhenTheBrokerIsUnreachable() {
        client.post()
                .uri("/ingest/v1/leads")
                .header("X-Api-Key", "key")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"leadId\":\"l-1\",\"company\":{\"name\":\"Acme\"}}")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .exists("Retry-After")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://leadflow.io/problems/broker-unavailable");
    }
}
