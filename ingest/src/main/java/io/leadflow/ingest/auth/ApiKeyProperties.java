package io.leadflow.ingest.auth;

import java.util.Set;

/**
 * One configured API key. Only the SHA-256 of the key is kept, so a leaked configuration file does not
 * leak the keys themselves.
 *
 * @param sha256 lower-case hex SHA-256 of the key
 * @param tenant the tenant every lead sent with this key belongs to
 * @param source the name of the upstream system that holds the key
 * @param permissions what the key may send; empty or absent means everything
 * @param ratePerSecond this key's own rate limit, or {@code null} for the default
 * @param burst this key's own burst, or {@code null} for the default
 */
public record ApiKeyProperties(
        String sha256, String tenant, String source, Set<Permission> permissions, Double ratePerSecond, Integer burst) {

    public ApiKeyProperties {
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    }
}
