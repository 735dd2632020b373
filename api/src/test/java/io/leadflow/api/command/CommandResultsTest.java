package io.leadflow.api.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.ApiProperties;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A request waiting for its command's outcome never outlives the request, however it ends. */
class CommandResultsTest {

    private final CommandResults results = new CommandResults(settings(), "localhost:1");

    @Test
    void forgetsTheWaiterWhenKafkaRefusesTheCommand() {
        Mono<CommandResult> exchange = results.exchange(
                "c-1",
                result -> Mono.<Void>error(new IllegalStateException("broker down"))
                        .then(result));

        assertThatThrownBy(exchange::block).hasMessageContaining("broker down");
        assertThat(results.waiting()).isZero();
    }

    @Test
    void forgetsTheWaiterWhenTheOutcomeIsLate() {
        Mono<CommandResult> exchange =
                results.exchange("c-2", result -> Mono.empty().then(result.timeout(Duration.ofMillis(10))));

        assertThatThrownBy(exchange::block).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        // The timeout fires on a timer thread, and doFinally runs there after the error has reached block().
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(results.waiting()).isZero());
    }

    @Test
    void handsTheOutcomeToItsWaiterAndForgetsIt() {
        Mono<CommandResult> exchange = results.exchange(
                "c-3",
                result -> Mono.fromRunnable(() -> results.deliver(CommandResult.newBuilder()
                                .setCommandId("c-3")
                                .setTenant("t")
                                .setOutcome(CommandOutcome.ACCEPTED)
                                .setDecidedAt(Instant.EPOCH)
                                .build()))
                        .then(result));

        assertThat(exchange.block().getCommandId()).isEqualTo("c-3");
        assertThat(results.waiting()).isZero();
    }

    private static ApiProperties settings() {
        return new ApiProperties(
                new ApiProperties.Projection(
                        "g", Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(10)),
                new ApiProperties.Security(null, null, null, new ApiProperties.DevTokens(false, "demo", Duration.ZERO)),
                new ApiProperties.Commands(
                        Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofDays(7), Duration.ofHours(1)),
                new ApiProperties.Cors(List.of()),
                new ApiProperties.Streams(Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(20)));
    }
}
