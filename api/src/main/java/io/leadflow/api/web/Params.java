package io.leadflow.api.web;

import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Reading query parameters; a bad value throws {@link BadParameter}. */
public final class Params {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 200;
    public static final int MAX_TEXT_LENGTH = 200;

    private Params() {}

    /** Page number and size of a listing: {@code page} ≥ 0 (default 0), {@code size} 1–200 (default 20). */
    public record Paging(int page, int size) {}

    public static Paging paging(ServerRequest request) {
        int page = integer(request, "page", 0, Integer.MAX_VALUE, "must be a whole number of at least 0")
                .orElse(0);
        int size = integer(request, "size", 1, MAX_PAGE_SIZE, "must be a whole number from 1 to " + MAX_PAGE_SIZE)
                .orElse(DEFAULT_PAGE_SIZE);
        return new Paging(page, size);
    }

    public static Optional<Integer> integer(ServerRequest request, String name, int min, int max, String message) {
        Optional<String> raw = request.queryParam(name).map(String::strip);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw BadParameter.parameter(name, message);
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw BadParameter.parameter(name, message);
        }
    }

    /** A text parameter, stripped; empty when absent or blank; at most 200 characters, none of them control. */
    public static Optional<String> text(ServerRequest request, String name) {
        Optional<String> value = request.queryParam(name).map(String::strip).filter(text -> !text.isEmpty());
        if (value.isPresent() && value.get().length() > MAX_TEXT_LENGTH) {
            throw BadParameter.parameter(name, "must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        // PostgreSQL text cannot hold NUL, and no name, owner or stage contains control characters.
        if (value.isPresent() && value.get().chars().anyMatch(Character::isISOControl)) {
            throw BadParameter.parameter(name, "must not contain control characters");
        }
        return value;
    }

    /** A yes-or-no parameter: {@code true} or {@code false} (case-insensitive); {@code fallback} when absent. */
    public static boolean flag(ServerRequest request, String name, boolean fallback) {
        Optional<String> value = text(request, name);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value.get());
        }
        throw BadParameter.parameter(name, "must be true or false");
    }

    /** A parameter that must be one of an enum's names (case-insensitive). */
    public static <E extends Enum<E>> Optional<E> choice(ServerRequest request, String name, Class<E> type) {
        Optional<String> value = text(request, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get())) {
                return Optional.of(constant);
            }
        }
        throw BadParameter.parameter(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
}
