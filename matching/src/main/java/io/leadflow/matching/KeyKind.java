package io.leadflow.matching;

/**
 * The kinds of exact match key. Rule: when a lead matches different customers by different keys,
 * it links to the one matched by the strongest kind: credit code > e-mail > phone > domain > name.
 */
public enum KeyKind {
    CREDIT_CODE(5),
    EMAIL(4),
    PHONE(3),
    DOMAIN(2),
    NAME(1);

    private final int strength;

    KeyKind(int strength) {
        this.strength = strength;
    }

    /** Higher is stronger evidence that two records are the same customer. */
    public int strength() {
        return strength;
    }
}
