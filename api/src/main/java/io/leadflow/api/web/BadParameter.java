package io.leadflow.api.web;

/** A query parameter or body field a handler refuses; {@link ProblemFilter} answers it as problem+json. */
public final class BadParameter extends RuntimeException {

    private final String name;
    private final boolean field;

    private BadParameter(String name, String message, boolean field) {
        super(message, null, false, false);
        this.name = name;
        this.field = field;
    }

    public static BadParameter parameter(String name, String message) {
        return new BadParameter(name, message, false);
    }

    public static BadParameter field(String name, String message) {
        return new BadParameter(name, message, true);
    }

    public String name() {
        return name;
    }

    public boolean isField() {
        return field;
    }
}
