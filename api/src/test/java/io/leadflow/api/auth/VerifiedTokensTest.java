package io.leadflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

class VerifiedTokensTest {

    private final AtomicInteger verifications = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final OAuth2TokenValidator<Jwt> notExpired = jwt -> clock.instant().isBefore(jwt.getExpiresAt())
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "expired", null));
    private final ReactiveJwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        Jwt jwt = Jwt.withTokenValue(token)
                .header("alg", "HS256")
                .claim("tenant", "acme")
                .issuedAt(Instant.parse("2026-11-27T12:00:00Z"))
                .expiresAt(Instant.parse("2026-11-27T12:10:00Z"))
                .build();
        OAuth2TokenValidatorResult result = notExpired.validate(jwt);
        return result.hasErrors()
                ? Mono.error(new JwtValidationException("expired", result.getErrors()))
                : Mono.just(jwt);
    };
    private final VerifiedTokens tokens = new VerifiedTokens(verifier, notExpired, clock);

    @Test
    void verifiesARepeatedTokenOnce() {
        Jwt first = tokens.decode("a.b.c").block();
        Jwt again = tokens.decode("a.b.c").block();

        assertThat(again).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void verifiesEachDistinctTokenItself() {
        tokens.decode("a.b.c").block();
        tokens.decode("d.e.f").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void refusesARememberedTokenOnceExpired() {
        tokens.decode("a.b.c").block();
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> tokens.decode("a.b.c").block()).isInstanceOf(JwtValidationException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void verifiesARememberedTokenAgainAfterAMinute() {
        tokens.decode("a.b.c").block();
        clock.advance(VerifiedTokens.REVERIFY_AFTER);

        tokens.decode("a.b.c").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void remembersNoTokenTheVerifierRefused() {
        ReactiveJwtDecoder refusing = token -> {
            verifications.incrementAndGet();
            return Mono.error(new BadJwtException("bad signature"));
        };
        VerifiedTokens strict = new VerifiedTokens(refusing, notExpired, clock);

        assertThatThrownBy(() -> strict.decode("a.b.c").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> strict.decode("a.b.c").block()).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
