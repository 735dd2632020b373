package io.leadflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class ClaimsTest {

    @Test
    void readsTenantUserTeamAndRolesFromTheToken() {
        Viewer viewer = Claims.viewer(jwt(Map.of(
                        "sub", "u-1", "tenant", "demo", "user", "alice", "team", "east", "roles", List.of("manager"))))
                .orElseThrow();

        assertThat(viewer).isEqualTo(new Viewer("demo", "alice", "east", java.util.Set.of(Role.MANAGER)));
        assertThat(viewer.isManager()).isTrue();
        assertThat(viewer.isAdmin()).isFalse();
    }

    @Test
    void fallsBackToTheSubjectAndReadsSpaceSeparatedRoles() {
        Viewer viewer = Claims.viewer(jwt(Map.of("sub", "bob", "tenant", "demo", "roles", "sales admin")))
                .orElseThrow();

        assertThat(viewer.user()).isEqualTo("bob");
        assertThat(viewer.roles()).containsExactlyInAnyOrder(Role.SALES, Role.ADMIN);
    }

    @Test
    void refusesATokenWithoutAValidTenant() {
        assertThat(Claims.viewer(jwt(Map.of("sub", "bob")))).isEmpty();
        assertThat(Claims.viewer(jwt(Map.of("sub", "bob", "tenant", "Not/A-Tenant"))))
                .isEmpty();
    }

    @Test
    void aManagerSeesTheirTeamsCustomersButNotAnotherTeams() {
        Viewer manager = new Viewer("demo", "mia", "east", java.util.Set.of(Role.MANAGER));
        Viewer sales = new Viewer("demo", "sam", "east", java.util.Set.of(Role.SALES));

        assertThat(manager.maySeeOwned("sam", "east")).isTrue();
        assertThat(manager.maySeeOwned("walt", "west")).isFalse();
        assertThat(sales.maySeeOwned("tom", "east")).isFalse();
        assertThat(sales.maySeeOwned("sam", "east")).isTrue();
    }

    private static Jwt jwt(Map<String, Object> claims) {
        return new Jwt("t", Instant.now(), Instant.now().plusSeconds(60), Map.of("alg", "HS256"), claims);
    }
}
