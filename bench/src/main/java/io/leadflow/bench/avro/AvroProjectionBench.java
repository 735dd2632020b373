package io.leadflow.bench.avro;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.processor.funnel.SnapshotFacts;
import io.leadflow.schemas.AvroSerde;
import io.leadflow.schemas.AvroTrust;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decoding customer snapshots as identity writes them (company, two contacts, five match keys, two leads, five
 * stage visits: about 600 bytes), whole with {@link AvroSerde}'s deserializer against the funnel's projection
 * ({@link SnapshotFacts#FIELDS}), in the same JVM, alternating. Each round reads a few hundred thousand different
 * records, as the funnel reads the customers topic, not one record kept in the processor's caches. Prints the
 * median over rounds of µs per record and the ratio.
 *
 * <p>{@code java -cp … io.leadflow.bench.avro.AvroProjectionBench [records, default 300000] [rounds, default 9]}
 */
public final class AvroProjectionBench {

    private static final String TOPIC = "leadflow.customers.v1";

    private AvroProjectionBench() {}

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        AvroTrust.trustGeneratedClasses();
        AvroSerde<CustomerSnapshot> serde = AvroSerde.of(CustomerSnapshot.class);
        CustomerSnapshot base = AvroEncodeBench.aCustomer();
        Deserializer<GenericRecord> projection = serde.projection(SnapshotFacts.FIELDS);
        byte[][] encoded = new byte[records][];
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            encoded[i] = serde.serializer().serialize(TOPIC, aCustomer(base, i));
            bytes += encoded[i].length;
        }
        double[] wholeMicros = new double[rounds];
        double[] projectedMicros = new double[rounds];
        long check = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (byte[] record : encoded) {
                check += serde.deserializer().deserialize(TOPIC, record).getVersion();
            }
            long middle = System.nanoTime();
            for (byte[] record : encoded) {
                check -= (Long) projection.deserialize(TOPIC, record).get("version");
            }
            long end = System.nanoTime();
            wholeMicros[round] = (middle - start) / 1e3 / records;
            projectedMicros[round] = (end - middle) / 1e3 / records;
        }
        if (check != 0) {
            throw new IllegalStateException("the projection read other versions than the whole records");
        }
        double whole = median(wholeMicros);
        double projected = median(projectedMicros);
        System.out.printf(
                "CustomerSnapshot (%d records, %d bytes on average): whole %.2f µs, funnel's %d fields %.2f µs per"
                        + " record (medians of %d rounds; %.2fx)%n",
                records, bytes / records, whole, SnapshotFacts.FIELDS.size(), projected, rounds, whole / projected);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** {@link AvroEncodeBench}'s customer with what identity adds: registration data, contacts, keys, leads. */
    private static CustomerSnapshot aCustomer(CustomerSnapshot base, int i) {
        String domain = "yunshan" + i + ".example.cn";
        return CustomerSnapshot.newBuilder(base)
                .setCustomerId("c-" + i)
                .setVersion(i)
                .setCompany(Company.newBuilder()
                        .setName("上海云杉第" + i + "信息技术有限公司")
                        .setCreditCode(String.format("91310000MA1FL%05d", i % 100_000))
                        .setWebsite("https://www." + domain + "/")
                        .setIndustry("软件和信息技术服务业")
                        .build())
                .setContacts(List.of(
                        Contact.newBuilder()
                                .setName("王芳")
                                .setTitle("采购经理")
                                .setMobile(String.format("+86138%08d", i))
                                .setEmail("wang.fang@" + domain)
                                .build(),
                        Contact.newBuilder()
                                .setName("李雷")
                                .setTitle("总经理")
                                .setPhone(String.format("+8621%08d", i))
                                .build()))
                .setMatchKeys(List.of(
                        new MatchKey(MatchKeyKind.CREDIT_CODE, String.format("91310000MA1FL%05d", i % 100_000)),
                        new MatchKey(MatchKeyKind.EMAIL, "wang.fang@" + domain),
                        new MatchKey(MatchKeyKind.PHONE, String.format("+86138%08d", i)),
                        new MatchKey(MatchKeyKind.DOMAIN, domain),
                        new MatchKey(MatchKeyKind.NAME, "云杉第" + i + "信息技术")))
                .setLeadIds(List.of("lead-" + i, "lead-" + i + "-2"))
                .setOwner("owner-" + i % 200)
                .setAmount(BigDecimal.valueOf(i, 2))
                .build();
    }
}
