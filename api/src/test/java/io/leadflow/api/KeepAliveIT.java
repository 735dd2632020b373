package io.leadflow.api;

import io.leadflow.api.auth.Role;
import io.leadflow.testsupport.KeptAliveConnection;
import io.leadflow.testsupport.KeptAliveConnection.Kind;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every request on one kept-alive connection is answered, also when one the api answers at once (the API
 * document, a refusal without a token) follows one answered later from another thread (a read that waits for
 * PostgreSQL). With Reactor Netty 1.3.6, which Spring Boot 4.0.7 brings, this failed within a few dozen requests
 * (reactor/reactor-netty#4361); browsers, mobile apps and BI tools keep connections alive, and the api ITs saw it
 * as an endpoint that now and then never answered.
 */
class KeepAliveIT {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @Test
    void everyRequestOnOneKeptAliveConnectionIsAnswered() throws Exception {
        String token = TestApi.token("keep-alive-" + UUID.randomUUID(), "bob", "west", Role.SALES);
        HttpRequest readFromTheDatabase = request("/api/v1/customers/c-nowhere")
                .header("Authorization", "Bearer " + token)
                .build();
        HttpRequest answeredAtOnce = request("/v3/api-docs").build();
        HttpRequest refusedAtOnce = request("/api/v1/customers/c-nowhere/claim")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .build();
        KeptAliveConnection.answersEvery(
                3_000,
                List.of(
                        new Kind(readFromTheDatabase, 404),
                        new Kind(answeredAtOnce, 200),
                        new Kind(refusedAtOnce, 401)));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(TestApi.baseUrl() + path)).timeout(ANSWER_WITHIN);
    }
}
