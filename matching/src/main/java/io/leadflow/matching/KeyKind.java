package io.leadflow.matching;

/**
 * The kinds of exact match key. Rule: when a lead matches different customers by different keys,
 * it links to the one matched by the strongest kind: credit code > e-mail > phone > domain > name.
 * {@link #IDENTIFIER} is a profile's own identifier (a customer number, a national id) for data other
 * than the CRM default; it ranks with the credit code.
 */
public enum KeyKind {
    CREDIT_CODE(6),
    IDENTIFIER(5),
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
