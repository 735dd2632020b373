package io.leadflow.ingest.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** RFC 9457 problem+json answers of the ingest service; every error it returns is built here. */
public final class Problems {

    private static final String TYPE_BASE = "https://leadflow.io/problems/";

    private Problems() {}

    public static Mono<ServerResponse> invalidFields(List<FieldError> errors) {
        return invalidFields("lead", errors);
    }

    /** {@code 400} naming every bad field of a {@code what} ("lead", "activity", "import"). */
    public static Mono<ServerResponse> invalidFields(String what, List<FieldError> errors) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                "invalid-" + what,
                "Invalid " + what,
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid");
        problem.setProperty("errors", errors);
        return respond(problem);
    }

    public static Mono<ServerResponse> forbidden(String permission) {
        return respond(problem(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "API key not allowed here",
                "this API key may not send " + permission.toLowerCase(java.util.Locale.ROOT)));
    }

    public static Mono<ServerResponse> tooManyRequests(Duration retryAfter) {
        ProblemDetail problem = problem(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
                "this API key is over its rate limit; retry after the Retry-After seconds");
        return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds(retryAfter)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    public static Mono<ServerResponse> payloadTooLarge(String detail) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large", detail));
    }

    public static Mono<ServerResponse> notFound(String detail) {
        return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail));
    }

    /**
     * {@code 503}: the broker did not acknowledge the record, so nothing was accepted. The answer names the id
     * the record got ({@code idName}), so a retry with that id stays idempotent even if the broker did store it.
     */
    public static Mono<ServerResponse> brokerUnavailable(Duration retryAfter, String what, String idName, String id) {
        ProblemDetail problem = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "broker-unavailable",
                "Not stored",
                "the event log did not acknowledge the " + what + " in time; nothing was accepted, retry with " + idName
                        + " " + id);
        problem.setProperty(idName, id);
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds(retryAfter)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    private static long seconds(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    public static Mono<ServerResponse> unreadableBody(String detail) {
        return respond(problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable request body", detail));
    }

    public static Mono<ServerResponse> unsupportedMediaType(MediaType given, MediaType accepted) {
        ProblemDetail problem = problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                (given == null ? "no Content-Type was sent" : "Content-Type " + given + " is not accepted") + "; send "
                        + accepted);
        return ServerResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .header(HttpHeaders.ACCEPT, accepted.toString())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    public static Mono<ServerResponse> unauthenticated() {
        ProblemDetail problem = problem(
                HttpStatus.UNAUTHORIZED,
                "unauthenticated",
                "Missing or unknown API key",
                "send the key as 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>'");
        return ServerResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    public static Mono<ServerResponse> brokerUnavailable(Duration retryAfter) {
        ProblemDetail problem = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "broker-unavailable",
                "Lead not stored",
                "the event log did not acknowledge the lead in time; nothing was accepted, retry with the same leadId");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds(retryAfter)))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    private static Mono<ServerResponse> respond(ProblemDetail problem) {
        return ServerResponse.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }
}
