package io.leadflow.api.rules;

import io.leadflow.api.auth.Viewer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Which customers a viewer may see unmasked: an admin sees the tenant; everyone sees the customers they hold
 * and the unowned customers of the public pools they belong to; a manager also sees the customers held by
 * their team. {@link #CONDITION} is the same rule in SQL over a customer table aliased {@code c}; bind it with
 * {@link #bind}.
 */
public record Visibility(Viewer viewer, List<String> visiblePools, String defaultPool) {

    // The pool test is spelled out rather than COALESCE(c.pool_id, :vDefaultPool) = ANY(...): PostgreSQL has no
    // statistics on that expression and estimated it at half a percent of the rows (the public pool held 60 % of
    // a million customers), so a salesperson's search read every match and sorted them instead of walking the
    // newest-first index until a page was full; on the column itself it estimates from pool_id's statistics.
    public static final String CONDITION = "(:vAdmin OR c.owner = :vUser"
            + " OR (c.owner IS NOT NULL AND c.team = CAST(:vTeam AS text))"
            + " OR (c.owner IS NULL AND (c.pool_id = ANY(CAST(:vPools AS text[]))"
            + " OR c.pool_id IS NULL AND CAST(:vDefaultPool AS text) = ANY(CAST(:vPools AS text[])))))";

    public Visibility {
        visiblePools = List.copyOf(visiblePools);
    }

    public static Visibility of(Viewer viewer, RulesDocument rules) {
        List<String> pools = rules.poolsVisibleTo(viewer).stream()
                .map(RulesDocument.Pool::poolId)
                .toList();
        return new Visibility(viewer, pools, rules.defaultPoolId());
    }

    public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
        String team = viewer.isManager() ? viewer.team() : null;
        spec = spec.bind("vAdmin", viewer.isAdmin())
                .bind("vUser", viewer.user())
                .bind("vDefaultPool", defaultPool)
                .bind("vPools", visiblePools.toArray(String[]::new));
        return team == null ? spec.bindNull("vTeam", String.class) : spec.bind("vTeam", team);
    }

    /**
     * The same rule as {@link #CONDITION}, written for this viewer alone: nothing for an admin; for anyone else the
     * customers they hold, their team's when they manage one, and the unowned customers of the pools they belong to
     * (those without a pool id when the default pool is one of them). A listing planned with every alternative and
     * its parameters spent about a millisecond planning each statement (docs/benchmarks.md, issue 7).
     */
    public SqlCondition condition() {
        if (viewer.isAdmin()) {
            return SqlCondition.ALWAYS;
        }
        Map<String, Object> values = new HashMap<>();
        List<String> alternatives = new ArrayList<>();
        alternatives.add("c.owner = :vUser");
        values.put("vUser", viewer.user());
        if (viewer.isManager() && viewer.team() != null) {
            alternatives.add("c.owner IS NOT NULL AND c.team = :vTeam");
            values.put("vTeam", viewer.team());
        }
        if (!visiblePools.isEmpty()) {
            alternatives.add("c.owner IS NULL AND (c.pool_id = ANY(CAST(:vPools AS text[]))"
                    + (visiblePools.contains(defaultPool) ? " OR c.pool_id IS NULL)" : ")"));
            values.put("vPools", visiblePools.toArray(String[]::new));
        }
        return new SqlCondition("(" + String.join(" OR ", alternatives) + ")", values);
    }

    /** The same rule as {@link #CONDITION}, for one customer. */
    public boolean canSee(String owner, String team, String poolId) {
        if (owner != null) {
            return viewer.maySeeOwned(owner, team);
        }
        return viewer.isAdmin() || visiblePools.contains(poolId == null ? defaultPool : poolId);
    }

    public boolean canSeePool(String poolId) {
        return viewer.isAdmin() || visiblePools.contains(poolId);
    }
}
