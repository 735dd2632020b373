package io.leadflow.processor.funnel;

import java.util.Objects;

/** One stay of a customer in a stage: the funnel's view of a {@code StageVisit}. */
record Visit(String stage, long enteredAt) {

    Visit {
        stage = Names.canonical(Objects.requireNonNull(stage, "stage"));
    }
}
