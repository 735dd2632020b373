package io.leadflow.schemas;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Avro data model of one serde: it instantiates exactly the generated classes of the serde's own
 * reader schema, and nothing a writer schema names.
 *
 * <p>Since 1.12.2 Avro refuses to load any class a schema names unless it is trusted JVM-wide ({@code
 * org.apache.avro.SERIALIZABLE_PACKAGES} or {@code ClassSecurityValidator.setGlobal}). The serde's
 * caller already chose these classes by handing over the record class, so trusting them here keeps
 * every module free of a global setting, while a class named by any other schema still goes through
 * Avro's check.
 */
final class TrustedSpecificData extends SpecificData {

    private static final boolean FAST_READER =
            Boolean.parseBoolean(System.getProperty(GenericData.FAST_READER_PROP, "true"));

    private final Map<String, Class<?>> generated;

    TrustedSpecificData(Class<? extends SpecificRecord> type) {
        super(type.getClassLoader());
        Map<String, Class<?>> classes = new HashMap<>();
        collect(SpecificData.get().getSchema(type), type.getClassLoader(), classes);
        this.generated = Map.copyOf(classes);
        // Each generated record knows the logical-type conversions (decimal, timestamp-millis) it uses.
        for (Class<?> generatedClass : generated.values()) {
            if (SpecificRecord.class.isAssignableFrom(generatedClass)) {
                SpecificData.getForClass(generatedClass).getConversions().forEach(this::addLogicalTypeConversion);
            }
        }
    }

    /**
     * Avro reads with its fast reader (built once per pair of schemas, without the resolving decoder's grammar) only
     * for {@code GenericData} and {@code SpecificData} themselves, not for subclasses. This model differs from {@code SpecificData} only in the classes it trusts,
     * which the fast reader asks it for the same way ({@link #getClass}), so it reads fast too: decoding was a fifth
     * of the pool's command path. {@code -Dorg.apache.avro.fastread=false} turns it off, as for Avro's own models.
     */
    @Override
    public boolean isFastReaderEnabled() {
        return FAST_READER;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
        Class<?> known = isNamed(schema) ? generated.get(schema.getFullName()) : null;
        return known != null ? known : super.getClass(schema);
    }

    private static void collect(Schema schema, ClassLoader loader, Map<String, Class<?>> classes) {
        switch (schema.getType()) {
            case RECORD -> {
                if (register(schema, loader, classes)) {
                    schema.getFields().forEach(field -> collect(field.schema(), loader, classes));
                }
            }
            case ENUM, FIXED -> register(schema, loader, classes);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, loader, classes));
            case ARRAY -> collect(schema.getElementType(), loader, classes);
            case MAP -> collect(schema.getValueType(), loader, classes);
            default -> {
                // Primitive types need no class.
            }
        }
    }

    /** Registers the generated class of a named schema; false if it was already registered. */
    private static boolean register(Schema schema, ClassLoader loader, Map<String, Class<?>> classes) {
        if (classes.containsKey(schema.getFullName())) {
            return false;
        }
        String className = SpecificData.getClassName(schema);
        try {
            Class<?> generatedClass = Class.forName(className, false, loader);
            if (!generatedClass.isAnnotationPresent(AvroGenerated.class)) {
                throw new IllegalStateException(className + " is not an Avro-generated class");
            }
            classes.put(schema.getFullName(), generatedClass);
            return true;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "No generated class " + className + " for schema " + schema.getFullName(), e);
        }
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }
}
