package io.leadflow.api;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the api (documented in the module README).
 *
 * @param projection how the processor's topics are read into PostgreSQL
 * @param security how bearer tokens (JWT) are verified, and the dev-only token minting
 * @param commands how long a command request waits for the processor's outcome
 * @param cors which browser origins may call the api (none by default)
 * @param streams how the live streams (Server-Sent Events) keep connections open
 */
@ConfigurationProperties("leadflow.api")
public record ApiProperties(
        @DefaultValue Projection projection,
        @DefaultValue Security security,
        @DefaultValue Commands commands,
        @DefaultValue Cors cors,
        @DefaultValue Streams streams) {

    /**
     * @param groupId the consumer group of the projection (shared by all api instances)
     * @param pollTimeout how long one poll of the topics waits for records
     * @param stalledAfter health reports the projection DOWN when it has not polled for this long
     * @param sessionTimeout how long the group waits for an instance that stopped heartbeating (killed, its host
     *     lost) before it gives its partitions to the others or to the instance restarted: the read model stands
     *     still that long after a crash (Kafka's default is 45 s)
     */
    public record Projection(
            @DefaultValue("leadflow-api-projection") String groupId,
            @DefaultValue("200ms") Duration pollTimeout,
            @DefaultValue("60s") Duration stalledAfter,
            @DefaultValue("10s") Duration sessionTimeout) {}

    /**
     * Exactly one of {@code jwkSetUri} (a real identity provider) and {@code hmacSecret} (standalone) is set.
     *
     * @param jwkSetUri the identity provider's JWK set, e.g. {@code https://idp/.well-known/jwks.json}
     * @param hmacSecret a shared HS256 secret of at least 32 bytes
     * @param issuer when set, tokens must carry this {@code iss}
     * @param devTokens the dev-only endpoint that mints tokens (needs {@code hmacSecret})
     */
    public record Security(
            String jwkSetUri,
            String hmacSecret,
            String issuer,
            @DefaultValue DevTokens devTokens) {}

    /**
     * @param enabled whether {@code POST /api/v1/dev/tokens} exists; never enable it outside development
     * @param tenant the only tenant it mints tokens for
     * @param ttl how long a minted token is valid
     */
    public record DevTokens(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("demo") String tenant,
            @DefaultValue("12h") Duration ttl) {}

    /**
     * @param timeout how long a command request waits for its outcome before answering 202
     * @param resultsPollTimeout how long one poll of the command-results topic waits
     * @param resultRetention how long a projected command outcome stays pollable
     * @param pruneInterval how often outcomes older than {@code resultRetention} are deleted
     */
    public record Commands(
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("100ms") Duration resultsPollTimeout,
            @DefaultValue("7d") Duration resultRetention,
            @DefaultValue("1h") Duration pruneInterval) {}

    /**
     * @param heartbeat how often a stream sends a comment line (so proxies keep it open) and re-reads its rows
     *     even without a notification
     * @param reconnectDelay how long the change listener waits before reconnecting to PostgreSQL after a failure
     * @param readTimeout how long one read of a stream's rows may take before it is abandoned and tried once more
     *     (a read that never finishes would otherwise leave the stream open, sending heartbeats and nothing else)
     */
    public record Streams(
            @DefaultValue("15s") Duration heartbeat,
            @DefaultValue("1s") Duration reconnectDelay,
            @DefaultValue("20s") Duration readTimeout) {}

    /** @param allowedOrigins browser origins allowed to call the api; empty (the default) allows none */
    public record Cors(@DefaultValue List<String> allowedOrigins) {}
}
