package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FigureStateTest {

    private static final List<String> STAGES = List.of("NEW", "CONTACTED", "QUALIFIED", "WON");

    @Test
    void replacingAContributionIsTakingItBackAndAddingTheOther() {
        SplittableRandom random = new SplittableRandom(7);
        FigureState replaced = new FigureState();
        FigureState applied = new FigureState();
        List<Contribution> counted = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            Contribution before =
                    counted.isEmpty() || random.nextInt(5) == 0 ? null : counted.remove(random.nextInt(counted.size()));
            // Mostly a small change of the one taken back: the same stage, path or amount, or all three.
            Contribution after = random.nextInt(6) == 0 ? null : changed(before, random);
            if (before == null && after == null) {
                continue;
            }
            replaced.replace(before, after);
            if (before != null) {
                applied.apply(before, -1);
            }
            if (after != null) {
                applied.apply(after, 1);
                counted.add(after);
            }

            assertThat(replaced).as("step %d", step).isEqualTo(applied);
        }
        assertThat(replaced.customers()).isEqualTo(counted.size());
    }

    private static Contribution changed(Contribution before, SplittableRandom random) {
        String stage = STAGES.get(random.nextInt(STAGES.size()));
        String path = Names.canonical(String.join("\u0000", STAGES.subList(0, 1 + random.nextInt(STAGES.size()))));
        long amount = random.nextInt(3) * 50_000L;
        if (before == null) {
            return new Contribution(stage, amount, path, List.of());
        }
        return new Contribution(
                random.nextBoolean() ? before.stage() : stage,
                random.nextBoolean() ? before.amountCents() : amount,
                random.nextBoolean() ? before.path() : path,
                List.of());
    }
}
