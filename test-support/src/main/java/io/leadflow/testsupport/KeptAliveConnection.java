package io.leadflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Sends requests one after another on one kept-alive HTTP/1.1 connection (the JDK's client reuses it), in a
 * seeded random order of the given kinds, and asserts that each is answered with its status in time. Reactor Netty
 * 1.3.6 and 1.3.7 stopped reading such a connection now and then after a request answered at once followed one
 * answered later from another thread (reactor/reactor-netty#4361): the next request waited forever.
 */
public final class KeptAliveConnection {

    /** A request, with its timeout set, and the status it must be answered with. */
    public record Kind(HttpRequest request, int status) {}

    private KeptAliveConnection() {}

    public static void answersEvery(int requests, List<Kind> kinds) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(42);
        Deque<String> sent = new ArrayDeque<>();
        for (int i = 0; i < requests; i++) {
            Kind kind = kinds.get(random.nextInt(kinds.size()));
            sent.addLast(kind.request().method() + " " + kind.request().uri().getPath() + " (" + kind.status() + ")");
            if (sent.size() > 5) {
                sent.removeFirst();
            }
            int request = i;
            assertEquals(
                    kind.status(),
                    status(client, kind.request()),
                    () -> "request %d of one connection (-1: no answer in time); the last ones sent: %s"
                            .formatted(request, sent));
        }
    }

    private static int status(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException noAnswer) {
            return -1;
        }
    }
}
