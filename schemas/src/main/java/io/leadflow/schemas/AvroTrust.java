package io.leadflow.schemas;

import io.leadflow.avro.Lead;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro's own APIs instantiate the LeadFlow generated classes.
 *
 * <p>Since 1.12.2 Avro loads a class named by a schema only if it is trusted JVM-wide; otherwise copy
 * builders ({@code CustomerSnapshot.newBuilder(snapshot)}), {@code SpecificData.deepCopy}, {@code
 * Lead.fromByteBuffer} and {@code SpecificDatumReader} throw {@code SecurityException: Forbidden
 * io.leadflow.avro.…}. {@link AvroSerde} does not need this. A service calls {@link
 * #trustGeneratedClasses()} once at start-up, before it touches those APIs; alternatively the JVM
 * runs with {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadflow.avro}.
 */
public final class AvroTrust {

    /** The package of the generated classes. */
    public static final String GENERATED_PACKAGE = "io.leadflow.avro";

    private static final ClassSecurityPredicate GENERATED =
            type -> type.getPackageName().equals(GENERATED_PACKAGE) && type.isAnnotationPresent(AvroGenerated.class);

    private AvroTrust() {}

    /**
     * Adds the Avro-generated classes of {@value #GENERATED_PACKAGE}, and only those, to the classes
     * Avro trusts JVM-wide, keeping whatever it already trusted. Idempotent.
     */
    public static synchronized void trustGeneratedClasses() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current.isTrusted(Lead.class)) {
            return;
        }
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, GENERATED));
    }
}
