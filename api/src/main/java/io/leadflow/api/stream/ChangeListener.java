package io.leadflow.api.stream;

import io.leadflow.api.ApiProperties;
import io.leadflow.api.projection.Change;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * This instance's ear on the projection: one dedicated PostgreSQL connection (outside the query pool) that
 * {@code LISTEN}s on {@link Change#CHANNEL} and fans each notification out to every open stream of this
 * instance. Whichever api instance projected a change, every instance hears of it. On failure it reconnects
 * after {@code leadflow.api.streams.reconnect-delay}; after each (re)connect it tells every stream to re-read,
 * since notifications sent while it was away are lost.
 */
@Component
public class ChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

    private final ConnectionFactory connections;
    private final ApiProperties.Streams settings;
    private final Sinks.Many<Signal> signals = Sinks.many().multicast().directBestEffort();
    private volatile boolean listening;
    private Disposable loop;

    ChangeListener(
            ApiProperties properties,
            @Value("${spring.r2dbc.url}") String url,
            @Value("${spring.r2dbc.username}") String username,
            @Value("${spring.r2dbc.password}") String password) {
        this.settings = properties.streams();
        this.connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(url)
                .mutate()
                .option(ConnectionFactoryOptions.USER, username)
                .option(ConnectionFactoryOptions.PASSWORD, password)
                .build());
    }

    /**
     * That something changed for a tenant, or, with a null tenant, that every stream should re-read (the
     * listener reconnected).
     *
     * @param stream one of the {@link Change} stream names, or null with a null tenant
     */
    public record Signal(String stream, String tenant) {

        static final Signal REREAD_ALL = new Signal(null, null);

        /** Whether a stream of {@code tenant} following {@code streams} should re-read. */
        boolean concerns(String tenant, Set<String> streams) {
            return this.tenant == null || this.tenant.equals(tenant) && streams.contains(stream);
        }
    }

    /** Every signal from now on; never completes while the application runs, never errors. */
    public Flux<Signal> signals() {
        return signals.asFlux();
    }

    /** Whether the dedicated connection is currently listening. */
    public boolean isListening() {
        return listening;
    }

    @Override
    public void start() {
        loop = Flux.usingWhen(
                        Mono.from(connections.create()),
                        this::listen,
                        Connection::close,
                        (connection, error) -> connection.close(),
                        Connection::close)
                .doOnError(error -> log.warn("change listener lost its connection: {}", error.toString()))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, settings.reconnectDelay()))
                .repeatWhen(completed -> completed.delayElements(settings.reconnectDelay()))
                .subscribe(this::emit);
    }

    private Flux<Signal> listen(Connection connection) {
        PostgresqlConnection postgres = (PostgresqlConnection) connection;
        return postgres.createStatement("LISTEN " + Change.CHANNEL)
                .execute()
                .flatMap(PostgresqlResult::getRowsUpdated)
                .then(Mono.fromRunnable(() -> listening = true))
                .thenMany(Flux.concat(
                        Mono.just(Signal.REREAD_ALL),
                        postgres.getNotifications()
                                .mapNotNull(notification -> Change.parse(notification.getParameter()))
                                .map(change -> new Signal(change.stream(), change.tenant()))))
                .doFinally(signal -> listening = false);
    }

    private void emit(Signal signal) {
        signals.tryEmitNext(signal);
    }

    @Override
    public void stop() {
        if (loop != null) {
            loop.dispose();
        }
        listening = false;
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }
}
