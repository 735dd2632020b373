package io.leadflow.processor.pool;

import io.leadflow.avro.RefusalReason;

/** Why a command was refused: a machine-readable reason and a sentence for people. */
record Refusal(RefusalReason reason, String message) {

    static Refusal of(RefusalReason reason, String message) {
        return new Refusal(reason, message);
    }
}
