package io.leadflow.api.auth;

import io.leadflow.schemas.Keys;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as the verified token says: every query is scoped to the viewer's tenant, which comes from
 * the token alone. A salesperson sees their own private pool and the public pools they belong to; a manager
 * also their team's customers; an admin the whole tenant.
 *
 * @param team the user's team, or null
 */
public record Viewer(String tenant, String user, String team, Set<Role> roles) {

    public Viewer {
        Keys.requireValidTenant(tenant);
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        team = team == null || team.isBlank() ? null : team;
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    /** A manager or an admin: may assign and transfer, and sees a team's customers. */
    public boolean isManager() {
        return isAdmin() || roles.contains(Role.MANAGER);
    }

    /** The role claims, for the commands' {@code actorRoles}. */
    public List<String> roleClaims() {
        return roles.stream().sorted().map(Role::claim).toList();
    }

    /** Whether this viewer may see, unmasked, a customer held by {@code owner} of {@code ownerTeam}. */
    public boolean maySeeOwned(String owner, String ownerTeam) {
        return isAdmin() || user.equals(owner) || isManager() && team != null && team.equals(ownerTeam);
    }
}
