package io.leadflow.api.auth;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims LeadFlow reads from a token: {@code tenant}, {@code user} (else {@code sub}), {@code team} and
 * {@code roles} (a list, or a space-separated string, of {@code sales}, {@code manager}, {@code admin}).
 */
public final class Claims {

    public static final String TENANT = "tenant";
    public static final String USER = "user";
    public static final String TEAM = "team";
    public static final String ROLES = "roles";

    private Claims() {}

    /** The viewer a token speaks for, or empty when it lacks a valid tenant or user. */
    public static Optional<Viewer> viewer(Jwt jwt) {
        String tenant = jwt.getClaimAsString(TENANT);
        String user = Optional.ofNullable(jwt.getClaimAsString(USER)).orElse(jwt.getSubject());
        if (tenant == null || user == null || user.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Viewer(tenant, user, jwt.getClaimAsString(TEAM), roles(jwt.getClaim(ROLES))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Set<Role> roles(Object claim) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (claim instanceof Collection<?> values) {
            values.forEach(value -> Role.of(String.valueOf(value)).ifPresent(roles::add));
        } else if (claim instanceof String value) {
            for (String part : value.split("[\\s,]+")) {
                if (!part.isEmpty()) {
                    Role.of(part).ifPresent(roles::add);
                }
            }
        }
        return roles;
    }
}
