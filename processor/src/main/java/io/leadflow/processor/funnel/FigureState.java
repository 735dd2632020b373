package io.leadflow.processor.funnel;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The running sums behind one figure: customers and amount per current stage, and customers per path (set
 * of stages visited). Everything is a count or an exact sum in cents, so a customer's contribution can be
 * subtracted exactly; nothing depends on the stage order, which is applied only when the figure is
 * rendered. Stage times live in their own store ({@link FunnelStores#STAGE_TIMES}).
 */
final class FigureState {

    /** Customers in one stage and the sum of their amounts. */
    static final class Cell {
        long count;
        long amountCents;

        Cell(long count, long amountCents) {
            this.count = count;
            this.amountCents = amountCents;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cell cell && cell.count == count && cell.amountCents == amountCents;
        }

        @Override
        public int hashCode() {
            return Objects.hash(count, amountCents);
        }

        @Override
        public String toString() {
            return count + "/" + amountCents;
        }
    }

    /** By stage; stage names are {@link Names#canonical}, so a lookup is mostly a hash and a reference check. */
    final Map<String, Cell> cells;

    /** By path; a hash map, as a busy figure has a hundred paths of long names that share their start. */
    final Map<String, Long> paths;

    long updatedAt;

    FigureState() {
        this(new HashMap<>(), new HashMap<>(), 0);
    }

    FigureState(Map<String, Cell> cells, Map<String, Long> paths, long updatedAt) {
        this.cells = cells;
        this.paths = paths;
        this.updatedAt = updatedAt;
    }

    /** Adds ({@code sign = 1}) or takes back ({@code sign = -1}) one customer's contribution. */
    void apply(Contribution contribution, int sign) {
        addToCell(contribution.stage(), sign, sign * contribution.amountCents());
        addToPath(contribution.path(), sign);
    }

    /**
     * Takes back one customer's contribution {@code before} and adds {@code after} (either may be null): what
     * {@link #apply} does with each, without the lookups that would cancel out when both are in the same stage
     * (an amount change) or follow the same path.
     */
    void replace(Contribution before, Contribution after) {
        if (before == null || after == null) {
            if (before != null) {
                apply(before, -1);
            }
            if (after != null) {
                apply(after, 1);
            }
            return;
        }
        if (before.stage().equals(after.stage())) {
            addToCell(after.stage(), 0, Math.subtractExact(after.amountCents(), before.amountCents()));
        } else {
            addToCell(before.stage(), -1, -before.amountCents());
            addToCell(after.stage(), 1, after.amountCents());
        }
        if (!before.path().equals(after.path())) {
            addToPath(before.path(), -1);
            addToPath(after.path(), 1);
        }
    }

    private void addToCell(String stage, long customers, long amountCents) {
        Cell cell = cells.computeIfAbsent(stage, name -> new Cell(0, 0));
        cell.count += customers;
        // Sums beyond Long.MAX_VALUE cents could not be written as decimal(18, 2) anyway.
        cell.amountCents = Math.addExact(cell.amountCents, amountCents);
        if (cell.count == 0 && cell.amountCents == 0) {
            cells.remove(stage);
        }
    }

    private void addToPath(String path, long customers) {
        // One lookup; a path no customer follows any more goes.
        paths.merge(path, customers, (held, added) -> held + added == 0 ? null : held + added);
    }

    /** Adds the customers counted in {@code other}: a week or month figure is the sum of its days'. */
    void add(FigureState other) {
        for (Map.Entry<String, Cell> added : other.cells.entrySet()) {
            Cell cell = cells.computeIfAbsent(added.getKey(), stage -> new Cell(0, 0));
            cell.count += added.getValue().count;
            cell.amountCents = Math.addExact(cell.amountCents, added.getValue().amountCents);
        }
        for (Map.Entry<String, Long> path : other.paths.entrySet()) {
            paths.merge(path.getKey(), path.getValue(), Long::sum);
        }
        updatedAt = Math.max(updatedAt, other.updatedAt);
    }

    /** Whether no customer counts in this figure any more. */
    boolean isEmpty() {
        return cells.isEmpty() && paths.isEmpty();
    }

    long customers() {
        long customers = 0;
        for (Map.Entry<String, Cell> cell : cells.entrySet()) {
            customers += cell.getValue().count;
        }
        return customers;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FigureState state
                && state.cells.equals(cells)
                && state.paths.equals(paths)
                && state.updatedAt == updatedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cells, paths, updatedAt);
    }

    @Override
    public String toString() {
        return "FigureState" + cells + paths + "@" + updatedAt;
    }
}
