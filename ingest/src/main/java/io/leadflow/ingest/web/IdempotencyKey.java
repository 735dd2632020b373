package io.leadflow.ingest.web;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The {@code Idempotency-Key} header: a client's promise that requests with the same key are retries of
 * one another. Ingest keeps no state for it. It derives the id of what the request carries from tenant and
 * key (a name-based UUIDv5), so a retry produces a record with the very same id, which the processor
 * ignores as a repeat, and is answered exactly as the first attempt was. Items of a batch, lines of a stream
 * and rows of an import get the id of their position under the key.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";

    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final NameBasedGenerator IDS =
            Generators.nameBasedGenerator(UUID.fromString("6c1f0a52-3a52-4c43-9b0e-1ead5f10a001"));

    public IdempotencyKey {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("must be 1-255 visible ASCII characters");
        }
    }

    /**
     * The request's key, if it sent one.
     *
     * @throws IllegalArgumentException if the header is malformed
     */
    public static Optional<IdempotencyKey> of(ServerRequest request) {
        return Optional.ofNullable(request.headers().firstHeader(HEADER)).map(IdempotencyKey::new);
    }

    /** The id of the one {@code kind} ("lead", "activity") a request with this key carries for {@code tenant}. */
    public String id(String tenant, String kind) {
        return IDS.generate(kind + '\n' + tenant + '\n' + value).toString();
    }

    /** The id of item {@code position} (index, line or row) of a request with this key. */
    public String id(String tenant, String kind, long position) {
        return IDS.generate(kind + '\n' + tenant + '\n' + value + '\n' + position)
                .toString();
    }
}
