package io.leadflow.ingest.web;

import io.leadflow.ingest.support.TestIngest;
import io.leadflow.testsupport.KeptAliveConnection;
import io.leadflow.testsupport.KeptAliveConnection.Kind;
import io.leadflow.testsupport.SharedKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every request on one kept-alive connection is answered, also when one the ingest refuses at once (no key,
 * unparseable JSON) follows a lead answered {@code 202} from the producer's thread once the broker acknowledged
 * it. With Reactor Netty 1.3.6 the connection could stop being read after such a pair (reactor/reactor-netty#4361),
 * and an upstream system's next lead would wait for an answer that never came.
 */
class KeepAliveIT {

    private static final String KEY = "key-keep-alive-" + UUID.randomUUID();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @Test
    void everyRequestOnOneKeptAliveConnectionIsAnswered() throws Exception {
        String[] key = TestIngest.key(
                0, KEY, "keep-alive-" + UUID.randomUUID().toString().substring(0, 8), "web");
        try (ConfigurableApplicationContext ingest = TestIngest.start(
                SharedKafka.bootstrapServers(),
                concat(
                        key,
                        "--leadflow.ingest.rate-limit.per-second=100000",
                        "--leadflow.ingest.rate-limit.burst=100000"))) {
            String leads =
                    "http://localhost:" + ingest.getEnvironment().getProperty("local.server.port") + "/ingest/v1/leads";
            HttpRequest accepted = lead(leads, "{\"company\":{\"name\":\"上海星云科技有限公司\"}}")
                    .header("X-Api-Key", KEY)
                    .build();
            HttpRequest withoutKey =
                    lead(leads, "{\"company\":{\"name\":\"上海星云科技有限公司\"}}").build();
            HttpRequest unparseable =
                    lead(leads, "{\"company\":").header("X-Api-Key", KEY).build();
            KeptAliveConnection.answersEvery(
                    1_500, List.of(new Kind(accepted, 202), new Kind(withoutKey, 401), new Kind(unparseable, 400)));
        }
    }

    private static HttpRequest.Builder lead(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri))
                .timeout(ANSWER_WITHIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
