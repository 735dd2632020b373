package io.leadflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.api.auth.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The api answers while every thread of Reactor's shared {@code boundedElastic} scheduler is blocked, as any
 * blocking code in the JVM can hold them (a library, a client, a test). The api once needed that scheduler for
 * every request (Spring Security's request cache created a web session there), for Kafka sends and for 查重:
 * with its threads held, tasks queued behind them, and {@code ApiFuzzIT} with 16 blocking client threads saw
 * requests that never answered.
 */
class SharedSchedulerIT {

    private static final String TENANT = "sched-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration ANSWER_WITHIN = TestApi.COMMAND_TIMEOUT.plusSeconds(5);

    @Test
    void readsDuplicateChecksAndCommandsAnswerWhileEveryBoundedElasticThreadIsBlocked() throws Exception {
        TestApi.api();
        WebTestClient sales = TestApi.client()
                .responseTimeout(ANSWER_WITHIN)
                .defaultHeader("Authorization", "Bearer " + TestApi.token(TENANT, "li.lei", "east", Role.SALES))
                .build();
        CountDownLatch release = new CountDownLatch(1);
        List<Disposable> holders = blockEveryBoundedElasticThread(release);
        try {
            sales.get()
                    .uri(uri ->
                            uri.path("/api/v1/customers").queryParam("q", "星云").build())
                    .exchange()
                    .expectStatus()
                    .isOk();
            sales.post()
                    .uri("/api/v1/duplicate-checks")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"name\":\"上海星云科技有限公司\",\"phone\":\"+86 138 0013 8000\"}")
                    .exchange()
                    .expectStatus()
                    .isOk();
            // No processor runs here: the command is sent, and answered 202 when no outcome comes in time.
            sales.post()
                    .uri("/api/v1/customers/c-nobody/claim")
                    .exchange()
                    .expectStatus()
                    .isAccepted();
        } finally {
            release.countDown();
            holders.forEach(Disposable::dispose);
        }
    }

    /** Occupies each of the scheduler's threads with a task that waits for {@code release}. */
    private static List<Disposable> blockEveryBoundedElasticThread(CountDownLatch release) throws InterruptedException {
        int threads = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE;
        CountDownLatch blocked = new CountDownLatch(threads);
        List<Disposable> holders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            holders.add(Schedulers.boundedElastic().schedule(() -> {
                blocked.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertThat(blocked.await(30, TimeUnit.SECONDS))
                .as("all %d boundedElastic threads blocked", threads)
                .isTrue();
        return holders;
    }
}
