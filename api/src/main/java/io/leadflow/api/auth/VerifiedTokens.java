package io.leadflow.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers the tokens it has verified: a client sends the same bearer token with every request, and checking its
 * signature and converting its claims each time took about 7 % of the api's CPU per read in a profile
 * (docs/benchmarks.md, issue 7). A remembered token is still validated on every use (expiry, not-before, issuer), so an expired token is
 * refused as before. It is verified again after {@link #REVERIFY_AFTER}, so a key the identity provider withdrew
 * stops being accepted about as soon as the JWK set is read again; at most {@link #CAPACITY} tokens are remembered
 * (beyond that, all are forgotten).
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

    static final int CAPACITY = 10_000;
    static final Duration REVERIFY_AFTER = Duration.ofMinutes(1);

    private final ReactiveJwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Jwt jwt, Instant at) {}

    /**
     * @param verifier checks a token's signature and validates its claims with {@code validator}
     * @param validator the same validator, applied again to a remembered token on every use
     */
    VerifiedTokens(ReactiveJwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, Clock clock) {
        this.verifier = verifier;
        this.validator = validator;
        this.clock = clock;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.at().plus(REVERIFY_AFTER))) {
            if (!validator.validate(known.jwt()).hasErrors()) {
                return Mono.just(known.jwt());
            }
            // No longer valid: the verifier refuses it with the reason, as it would have without this memory.
            verified.remove(token);
        }
        return verifier.decode(token).doOnNext(jwt -> remember(token, new Verified(jwt, now)));
    }

    private void remember(String token, Verified jwt) {
        if (verified.size() >= CAPACITY) {
            verified.clear();
        }
        verified.put(token, jwt);
    }
}
