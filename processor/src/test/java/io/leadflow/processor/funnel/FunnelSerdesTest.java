package io.leadflow.processor.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.FunnelDimension;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

class FunnelSerdesTest {

    private static final Serde<FigureBook.Figure> FIGURES = FunnelSerdes.figures();

    private static final Set<FunnelDimension> TENANT_ONLY = Set.of(FunnelDimension.TENANT);

    @Test
    void aFigureKeepsItsSumsAndStaysThroughItsStore() {
        FigureState state = new FigureState();
        state.apply(new Contribution("WON", 12_345, "NEW\u0000WON", List.of()), 1);
        state.apply(new Contribution("NEW", 0, "NEW", List.of()), 1);
        state.updatedAt = 1_764_201_600_000L;
        FigureBook.Figure figure = new FigureBook.Figure(state);
        figure.replaceStays(
                List.of(),
                List.of(
                        stay("NEW", Duration.ofMinutes(3)),
                        stay("CONTACTED", Duration.ofDays(6)),
                        stay("NEW", Duration.ofMinutes(3)),
                        stay("NEW", Duration.ofHours(50))));

        FigureBook.Figure read =
                FIGURES.deserializer().deserialize("t", FIGURES.serializer().serialize("t", figure));

        assertThat(read.state).isEqualTo(state);
        assertThat(read.staysKeptApart).isFalse();
        assertThat(read.stays.keySet()).containsExactlyInAnyOrder("CONTACTED", "NEW");
        assertThat(bucketsOf(read.stays.get("NEW"))).isEqualTo(bucketsOf(figure.stays.get("NEW")));
        assertThat(bucketsOf(read.stays.get("CONTACTED"))).isEqualTo(bucketsOf(figure.stays.get("CONTACTED")));
        assertThat(bucketsOf(read.stays.get("NEW")).values()).containsExactly(2L, 1L);
        assertThat(read.percentiles()).isEqualTo(figure.percentiles());
    }

    @Test
    void aFigureWrittenBeforeStaysMovedIntoItReadsWithItsSumsAndStaysKeptApart() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(42L);
            out.writeInt(1);
            out.writeUTF("NEW");
            out.writeLong(2);
            out.writeLong(500);
            out.writeInt(1);
            out.writeUTF("NEW");
            out.writeLong(2);
        }

        FigureBook.Figure read = FIGURES.deserializer().deserialize("t", bytes.toByteArray());

        TreeMap<String, FigureState.Cell> cells = new TreeMap<>();
        cells.put("NEW", new FigureState.Cell(2, 500));
        TreeMap<String, Long> paths = new TreeMap<>();
        paths.put("NEW", 2L);
        assertThat(read.state).isEqualTo(new FigureState(cells, paths, 42L));
        assertThat(read.staysKeptApart).isTrue();
        assertThat(read.stays).isEmpty();
    }

    @Test
    void aFigureKeepsTheJournalRecordItHoldsAndAnEmptyOneReadsAsEmpty() {
        FigureBook.Figure figure = new FigureBook.Figure(null);
        figure.appliedThrough = 7;

        FigureBook.Figure read =
                FIGURES.deserializer().deserialize("t", FIGURES.serializer().serialize("t", figure));

        assertThat(read.state).isNull();
        assertThat(read.appliedThrough()).isEqualTo(7);
        assertThat(read.stays).isEmpty();
    }

    @Test
    void aFigureWrittenBeforeTheJournalHoldsNoRecordOfIt() {
        FigureState state = new FigureState();
        state.apply(new Contribution("NEW", 100, "NEW", List.of()), 1);
        FigureBook.Figure figure = new FigureBook.Figure(state);
        figure.appliedThrough = 7;
        byte[] current = FIGURES.serializer().serialize("t", figure);
        // Format 2 is format 3 without the journal position (7: one varint byte) after the format byte.
        byte[] formerFormat = new byte[current.length - 1];
        formerFormat[0] = 2;
        System.arraycopy(current, 2, formerFormat, 1, current.length - 2);

        FigureBook.Figure read = FIGURES.deserializer().deserialize("t", formerFormat);

        assertThat(current[0]).isEqualTo((byte) 3);
        assertThat(read.state).isEqualTo(state);
        assertThat(read.appliedThrough()).isEqualTo(FigureBook.NOT_JOURNALED);
    }

    @Test
    void aJournalRecordReadsBackWithItsChangesInOrder() {
        CustomerFacts before = facts();
        CustomerFacts after = before.withVersion(4);
        List<FigureJournal.Entry> entries = List.of(
                new FigureJournal.Entry(1_764_201_600_123L, new FactsChange(null, before, TENANT_ONLY)),
                new FigureJournal.Entry(1_764_201_600_456L, new FactsChange(before, after, TENANT_ONLY)),
                new FigureJournal.Entry(
                        1_764_201_600_500L, new FactsChange(after, after, TENANT_ONLY, FactsChange.EVERY_DIMENSION)),
                new FigureJournal.Entry(1_764_201_600_789L, new FactsChange(after, null, Set.of())));
        List<FigureJournal.Encoded> encoded = entries.stream()
                .map(entry -> new FigureJournal.Encoded(
                        entry.timestamp(), FunnelSerdes.changes().serializer().serialize("t", entry.change())))
                .toList();

        assertThat(FunnelSerdes.journalBatches().deserialize("t", FunnelSerdes.journalRecord(41, encoded)))
                .isEqualTo(new FigureJournal.Batch(41, entries));
    }

    @Test
    void aChangeSplicedFromItsFactsEncodingsIsTheChangeEncodedWhole() {
        Serde<CustomerFacts> facts = FunnelSerdes.facts();
        CustomerFacts before = facts();
        CustomerFacts after = before.withVersion(4);
        Set<FunnelDimension> owners = Set.of(FunnelDimension.OWNER);
        for (FactsChange change : List.of(
                new FactsChange(null, after, TENANT_ONLY),
                new FactsChange(before, after, TENANT_ONLY, owners),
                new FactsChange(before, null, owners, Set.of()))) {
            byte[] spliced = FunnelSerdes.change(
                    facts.serializer().serialize("t", change.before()),
                    facts.serializer().serialize("t", change.after()),
                    change.beforeCohorts(),
                    change.afterCohorts());

            assertThat(spliced).isEqualTo(FunnelSerdes.changes().serializer().serialize("t", change));
        }
    }

    @Test
    void aChangeSentByAFormerVersionIsJournaledInTheCurrentFormat() {
        CustomerFacts after = facts();
        byte[] current = FunnelSerdes.changes().serializer().serialize("t", new FactsChange(null, after, TENANT_ONLY));
        // Format 1, as a tracker of a former version sends it during a rolling upgrade: no cohort dimensions.
        byte[] former = Arrays.copyOf(current, current.length - 2);
        former[0] = 1;
        List<FigureJournal.Encoded> encoded = List.of(
                new FigureJournal.Encoded(1_764_201_600_123L, former),
                new FigureJournal.Encoded(1_764_201_600_456L, current));

        assertThat(FunnelSerdes.journalBatches().deserialize("t", FunnelSerdes.journalRecord(7, encoded)))
                .isEqualTo(new FigureJournal.Batch(
                        7,
                        List.of(
                                new FigureJournal.Entry(
                                        1_764_201_600_123L,
                                        new FactsChange(null, after, EnumSet.allOf(FunnelDimension.class))),
                                new FigureJournal.Entry(
                                        1_764_201_600_456L, new FactsChange(null, after, TENANT_ONLY)))));
    }

    @Test
    void aChangeWrittenBeforeChangesCarriedTheirCohortDimensionsReadsAsCountedInEveryDimension() {
        Serde<FactsChange> changes = FunnelSerdes.changes();
        CustomerFacts after = facts();
        FactsChange change = new FactsChange(null, after, TENANT_ONLY, Set.of(FunnelDimension.OWNER));
        byte[] current = changes.serializer().serialize("t", change);
        assertThat(changes.deserializer().deserialize("t", current)).isEqualTo(change);

        // Format 1: the same bytes without the two of the dimensions at the end.
        byte[] old = Arrays.copyOf(current, current.length - 2);
        old[0] = 1;

        assertThat(current[0]).isEqualTo((byte) 2);
        assertThat(changes.deserializer().deserialize("t", old))
                .isEqualTo(new FactsChange(null, after, EnumSet.allOf(FunnelDimension.class)));
    }

    @Test
    void theJournalsPositionReadsBack() {
        Serde<FigureJournal.Position> positions = FunnelSerdes.journalPositions();
        FigureJournal.Position written = new FigureJournal.Position(12, 3_456, 3_400, 2_900);

        assertThat(positions
                        .deserializer()
                        .deserialize("t", positions.serializer().serialize("t", written)))
                .isEqualTo(written);
    }

    @Test
    void aPositionWrittenWhenBothKindsWereEmittedTogetherReadsWithOneCountForBoth() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            ByteUtils.writeVarlong(12, out);
            ByteUtils.writeVarlong(3_456, out);
            ByteUtils.writeVarlong(3_400, out);
        }

        assertThat(FunnelSerdes.journalPositions().deserializer().deserialize("t", bytes.toByteArray()))
                .isEqualTo(new FigureJournal.Position(12, 3_456, 3_400, 3_400));
    }

    @Test
    void aListOfFigureKeysReadsBackInOrder() {
        Serde<List<String>> keys = FunnelSerdes.figureKeys();
        List<String> written = List.of("acme/OWNER/live/bob", "acme/CAMPAIGN/2026-11/a/b", "acme/TENANT/live/acme");

        assertThat(keys.deserializer().deserialize("t", keys.serializer().serialize("t", written)))
                .isEqualTo(written);
    }

    private static CustomerFacts facts() {
        return new CustomerFacts(
                "acme",
                "c-1",
                3,
                "NEW",
                null,
                "bob",
                "east",
                null,
                "expo",
                1_764_201_600_000L,
                "Asia/Shanghai",
                List.of(new Visit("NEW", 1_764_201_600_000L)));
    }

    private static Map<Long, Long> bucketsOf(StageStays stays) {
        Map<Long, Long> buckets = new TreeMap<>();
        for (int i = 0; i < stays.size(); i++) {
            buckets.put(stays.bucket(i), stays.count(i));
        }
        return buckets;
    }

    private static Contribution.Stay stay(String stage, Duration duration) {
        return new Contribution.Stay(stage, StageTimes.bucketOf(duration.toMillis()));
    }
}
