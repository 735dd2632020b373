package io.leadflow.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events subscriber on a thread of its own, as a dashboard's {@code EventSource} would be: it
 * hands every event ({@code event:} name and {@code data:} text) to a listener the moment its blank line
 * arrives, and reconnects with {@code Last-Event-ID} when the stream ends, so no event is missed.
 */
final class SseStream implements AutoCloseable {

    /** Receives one event; called on the stream's thread, so it must be quick. */
    interface Listener {
        void onEvent(String event, String data, long receivedNanos);
    }

    private final HttpClient http;
    private final URI uri;
    private final String token;
    private final Listener listener;
    private final Thread thread;
    private final CountDownLatch connected = new CountDownLatch(1);
    private volatile boolean open = true;
    private volatile Stream<String> lines;
    private String lastEventId;
    private volatile long events;
    private volatile int connections;
    private volatile long comments;
    private volatile String lastFailure = "none";

    SseStream(HttpClient http, URI uri, String token, Listener listener) {
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.listener = listener;
        this.thread = new Thread(this::run, "sse " + uri.getPath());
        thread.setDaemon(true);
    }

    /** Starts reading and waits until the first connection is answered. */
    SseStream start() throws InterruptedException {
        thread.start();
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no answer from " + uri + " within 30 s");
        }
        return this;
    }

    long events() {
        return events;
    }

    /**
     * Events, comments (a stream that sends heartbeats but no events is alive but stuck), connections answered
     * 200, and the last failure (an answer other than 200, or an exception).
     */
    String health() {
        return "events " + events + ", comments (heartbeats) " + comments + ", connections " + connections
                + ", last failure: " + lastFailure;
    }

    private void run() {
        while (open) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream");
                if (lastEventId != null) {
                    request.header("Last-Event-ID", lastEventId);
                }
                HttpResponse<Stream<String>> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(uri + " answered " + answer.statusCode());
                }
                connections++;
                connected.countDown();
                lines = answer.body();
                read(lines.iterator());
            } catch (IOException | RuntimeException e) {
                lastFailure = Instant.now() + " " + e;
                if (open) {
                    pause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void read(Iterator<String> input) {
        String event = "message";
        StringBuilder data = new StringBuilder();
        while (open && input.hasNext()) {
            String line = input.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events++;
                    listener.onEvent(event, data.toString(), System.nanoTime());
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(field(line, 5));
            } else if (line.startsWith("event:")) {
                event = field(line, 6);
            } else if (line.startsWith("id:")) {
                lastEventId = field(line, 3);
            } else if (line.startsWith(":")) {
                comments++;
            }
        }
    }

    private static String field(String line, int from) {
        return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofMillis(500).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        Stream<String> current = lines;
        if (current != null) {
            current.close();
        }
        thread.interrupt();
    }
}
