package io.leadflow.processor.pool;

/**
 * What one owner holds: all customers, and how many of them are won (a tenant may leave won customers out
 * of the private-pool capacity).
 */
record OwnerLoad(long held, long won) {

    static final OwnerLoad NONE = new OwnerLoad(0, 0);

    OwnerLoad {
        if (held < 0 || won < 0 || won > held) {
            throw new IllegalArgumentException("inconsistent load: held " + held + ", won " + won);
        }
    }

    /**
     * This load changed by the deltas, never below zero: a customer whose owner was set outside the ledger
     * (a snapshot written before the pool lifecycle existed) must not make a count negative.
     */
    OwnerLoad plus(long heldDelta, long wonDelta) {
        long newHeld = Math.max(0, held + heldDelta);
        return new OwnerLoad(newHeld, Math.min(newHeld, Math.max(0, won + wonDelta)));
    }

    /** The customers that count against the capacity. */
    long counted(boolean countWon) {
        return countWon ? held : held - won;
    }

    /** As {@link PoolStores#OWNER_LOAD} holds it: {@code held,won}. */
    String encode() {
        return held + "," + won;
    }

    static OwnerLoad decode(String value) {
        if (value == null) {
            return NONE;
        }
        int comma = value.indexOf(',');
        return new OwnerLoad(Long.parseLong(value.substring(0, comma)), Long.parseLong(value.substring(comma + 1)));
    }
}
