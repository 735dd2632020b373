package io.leadflow.bench.avro;

import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.StageVisit;
import io.leadflow.schemas.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encoding one record, {@link AvroSerde}'s serializer against Avro's own {@link BinaryMessageEncoder} (which
 * the serde used before 2026-11-28), in the same JVM, alternating, on a funnel figure of six stages and on a
 * customer snapshot with a stage history. Prints the median over rounds of µs per record and the ratio.
 *
 * <p>{@code java -cp … io.leadflow.bench.avro.AvroEncodeBench [records per round, default 200000] [rounds,
 * default 9]}
 */
public final class AvroEncodeBench {

    private AvroEncodeBench() {}

    public static void main(String[] args) throws IOException {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        compare("FunnelFigure (6 stages)", aFigure(), FunnelFigure.class, perRound, rounds);
        compare("CustomerSnapshot (5 visits)", aCustomer(), CustomerSnapshot.class, perRound, rounds);
    }

    private static <T extends SpecificRecord> void compare(
            String name, T record, Class<T> type, int perRound, int rounds) throws IOException {
        AvroSerde<T> serde = AvroSerde.of(type);
        BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), serde.schema());
        if (!Arrays.equals(encode(avro, record), serde.serializer().serialize("bench", record))) {
            throw new IllegalStateException(name + ": the serde and Avro's encoder wrote different bytes");
        }
        double[] avroMicros = new double[rounds];
        double[] serdeMicros = new double[rounds];
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                bytes += encode(avro, record).length;
            }
            long middle = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                bytes += serde.serializer().serialize("bench", record).length;
            }
            long end = System.nanoTime();
            avroMicros[round] = (middle - start) / 1e3 / perRound;
            serdeMicros[round] = (end - middle) / 1e3 / perRound;
        }
        double avroMedian = median(avroMicros);
        double serdeMedian = median(serdeMicros);
        System.out.printf(
                "%s: BinaryMessageEncoder %.2f µs, AvroSerde %.2f µs per record (medians of %d rounds of %d;"
                        + " %.2fx; %d bytes written)%n",
                name, avroMedian, serdeMedian, rounds, perRound, avroMedian / serdeMedian, bytes);
    }

    private static <T> byte[] encode(BinaryMessageEncoder<T> encoder, T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encoder.encode(record, out);
        return out.toByteArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static FunnelFigure aFigure() {
        List<StageFigure> stages = new ArrayList<>();
        for (String stage : List.of("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "WON", "LOST")) {
            stages.add(StageFigure.newBuilder()
                    .setStage(stage)
                    .setCount(1_234)
                    .setAmount(new BigDecimal("123456.78"))
                    .setWeightedAmount(new BigDecimal("12345.67"))
                    .setReached(2_345)
                    .setConversionRate(0.42)
                    .setTimeInStageP50Millis(123_456_789L)
                    .setTimeInStageP90Millis(234_567_890L)
                    .build());
        }
        return FunnelFigure.newBuilder()
                .setTenant("acme")
                .setDimension(FunnelDimension.OWNER)
                .setDimensionValue("owner-17")
                .setPeriod("2026-11-27")
                .setKind(FunnelKind.COHORT)
                .setStages(stages)
                .setWon(12)
                .setLost(3)
                .setUpdatedAt(Instant.parse("2026-11-28T10:00:00Z"))
                .build();
    }

    static CustomerSnapshot aCustomer() {
        Instant at = Instant.parse("2026-11-01T09:00:00Z");
        List<StageVisit> visits = new ArrayList<>();
        for (String stage : List.of("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "WON")) {
            visits.add(StageVisit.newBuilder().setStage(stage).setEnteredAt(at).build());
            at = at.plusSeconds(86_400);
        }
        return CustomerSnapshot.newBuilder()
                .setTenant("acme")
                .setCustomerId("c-42")
                .setVersion(7)
                .setCompany(Company.newBuilder().setName("上海星云科技有限公司").build())
                .setSource("web-form")
                .setCampaign("2026-spring-expo")
                .setOwner("owner-17")
                .setTeam("team-3")
                .setStage("WON")
                .setAmount(new BigDecimal("98000.00"))
                .setFirstLeadAt(Instant.parse("2026-11-01T09:00:00Z"))
                .setCreatedAt(Instant.parse("2026-11-01T09:00:00Z"))
                .setUpdatedAt(at)
                .setStageEnteredAt(at)
                .setStageHistory(visits)
                .build();
    }
}
