package io.leadflow.api.auth;

import java.util.Locale;
import java.util.Optional;

/** What a user may do, from the token's {@code roles} claim. */
public enum Role {
    /** Works their own private pool and the public pools they belong to. */
    SALES,
    /** Also sees and moves the customers of their team. */
    MANAGER,
    /** Sees everything of the tenant and sets its rules. */
    ADMIN;

    /** The role named by a claim value ({@code sales}, {@code manager}, {@code admin}), case-insensitive. */
    public static Optional<Role> of(String claim) {
        for (Role role : values()) {
            if (role.name().equals(claim.strip().toUpperCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The claim value of this role. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }
}
