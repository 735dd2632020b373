package io.leadflow.api.command;

import io.leadflow.api.web.BadParameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A client's {@code Idempotency-Key}: the same key sent by the same user of the same tenant always names the
 * same command (or follow-up), so a retry (after a timeout, a lost connection or a restarted api) cannot apply it twice.
 * Keys of different users never collide, whatever they choose.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** The request's key, if it sent one; a blank, overlong, repeated or non-printable key is refused. */
    static Optional<IdempotencyKey> of(ServerRequest request) {
        List<String> values = request.headers().header(HEADER);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String value = values.get(0);
        if (values.size() > 1 || value.isBlank() || value.length() > MAX_LENGTH) {
            throw BadParameter.parameter(HEADER, "must be one value of 1 to " + MAX_LENGTH + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw BadParameter.parameter(HEADER, "must be printable ASCII (a UUID is a good key)");
        }
        return Optional.of(new IdempotencyKey(value));
    }

    /** The command id this key names for {@code actor} of {@code tenant}: a name-based UUID. */
    String commandId(String tenant, String actor) {
        return UUID.nameUUIDFromBytes(lengthPrefixed("leadflow-command", tenant, actor, value))
                .toString();
    }

    /** The id of the activity (a follow-up) this key names for {@code actor} of {@code tenant}. */
    String activityId(String tenant, String actor) {
        return UUID.nameUUIDFromBytes(lengthPrefixed("leadflow-activity", tenant, actor, value))
                .toString();
    }

    /** A digest of what a command asks for, to tell a retry from a different request under the same key. */
    static String requestHash(String customerId, Object payload) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(lengthPrefixed(
                            payload.getClass().getSimpleName(),
                            customerId == null ? "" : customerId,
                            payload.toString()));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Parts joined unambiguously: each preceded by its length. */
    private static byte[] lengthPrefixed(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            joined.append(part.length()).append(':').append(part);
        }
        return joined.toString().getBytes(StandardCharsets.UTF_8);
    }
}
