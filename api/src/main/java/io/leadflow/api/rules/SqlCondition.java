package io.leadflow.api.rules;

import java.util.Map;

/**
 * A condition of a statement's {@code WHERE} clause and the values of its named parameters, written for one request:
 * only the tests that can hold for it, so that PostgreSQL plans and evaluates nothing else.
 *
 * @param sql the condition, {@code TRUE} when nothing is tested
 * @param values each parameter's value, none null
 */
public record SqlCondition(String sql, Map<String, Object> values) {

    public static final SqlCondition ALWAYS = new SqlCondition("TRUE", Map.of());

    public SqlCondition {
        values = Map.copyOf(values);
    }

    public boolean always() {
        return "TRUE".equals(sql);
    }
}
