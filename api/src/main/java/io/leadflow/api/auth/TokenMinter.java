package io.leadflow.api.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs HS256 tokens with the shared secret the api verifies them with. Only for standalone and tests: a
 * real deployment verifies tokens of its identity provider and never mints any.
 */
public final class TokenMinter {

    /** The least secret length HS256 accepts. */
    public static final int MIN_SECRET_BYTES = 32;

    private final NimbusJwtEncoder encoder;
    private final String issuer;
    private final Clock clock;

    public TokenMinter(String hmacSecret, String issuer, Clock clock) {
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(secretKey(hmacSecret)));
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The HS256 key of {@code secret}, which must be at least {@value #MIN_SECRET_BYTES} bytes of UTF-8. */
    public static SecretKey secretKey(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "leadflow.api.security.hmac-secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** A token for {@code viewer}, valid for {@code ttl}. */
    public String mint(Viewer viewer, Duration ttl) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject(viewer.user())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(Claims.TENANT, viewer.tenant())
                .claim(Claims.USER, viewer.user())
                .claim(Claims.ROLES, viewer.roleClaims());
        if (viewer.team() != null) {
            claims.claim(Claims.TEAM, viewer.team());
        }
        if (issuer != null) {
            claims.issuer(issuer);
        }
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }
}
