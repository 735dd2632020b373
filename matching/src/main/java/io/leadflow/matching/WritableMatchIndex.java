package io.leadflow.matching;

/** A {@link MatchIndex} the engine also maintains as records join and customers merge. */
public interface WritableMatchIndex extends MatchIndex {

    /** Points {@code key} at {@code customerId}, replacing any holder. */
    void assign(MatchKey key, String customerId);

    /** Files {@code customerId} under {@code block} with {@code fingerprint} (replacing an equal entry). */
    void file(String block, String customerId, String fingerprint);

    /** Records that {@code mergedId} now lives in {@code survivorId}. */
    void recordMerge(String mergedId, String survivorId);
}
