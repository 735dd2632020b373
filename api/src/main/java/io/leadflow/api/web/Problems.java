package io.leadflow.api.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** RFC 9457 problem+json answers of the api; every error it returns is built here. */
public final class Problems {

    private static final String TYPE_BASE = "https://leadflow.io/problems/";

    private Problems() {}

    public static Mono<ServerResponse> unauthenticated() {
        return ServerResponse.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem(
                        HttpStatus.UNAUTHORIZED,
                        "unauthenticated",
                        "Missing or invalid token",
                        "send 'Authorization: Bearer <JWT>'"));
    }

    public static Mono<ServerResponse> forbidden(String detail) {
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail));
    }

    public static Mono<ServerResponse> notFound(String what) {
        return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist"));
    }

    public static Mono<ServerResponse> badParameter(String parameter, String message) {
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", parameter + " " + message);
        problem.setProperty("parameter", parameter);
        return respond(problem);
    }

    /** A request body field is missing or wrong. */
    public static Mono<ServerResponse> badField(String field, String message) {
        ProblemDetail problem =
                problem(HttpStatus.BAD_REQUEST, "invalid-field", "Invalid field", field + " " + message);
        problem.setProperty("field", field);
        return respond(problem);
    }

    /** The request body cannot be read at all. */
    public static Mono<ServerResponse> badBody(String detail) {
        return respond(problem(HttpStatus.BAD_REQUEST, "invalid-body", "Invalid body", detail));
    }

    /**
     * The processor refused a command: {@code 409} when the customer's state is in the way (someone else
     * holds it, a limit is reached), {@code 422} when the command itself is wrong or not allowed.
     *
     * @param reason the machine-readable {@code RefusalReason}
     */
    public static Mono<ServerResponse> refused(HttpStatus status, String reason, String detail, String commandId) {
        ProblemDetail problem = problem(status, "command-refused", "Command refused", detail);
        problem.setProperty("reason", reason);
        problem.setProperty("commandId", commandId);
        return respond(problem);
    }

    /** An {@code Idempotency-Key} sent again with a request that differs from the first one sent with it. */
    public static Mono<ServerResponse> idempotencyKeyReused(String detail) {
        return respond(
                problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency key reused", detail));
    }

    /** The request body is beyond what the api reads into memory. */
    public static Mono<ServerResponse> bodyTooLarge(String detail) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large", detail));
    }

    /** The request body is not of a media type the endpoint reads. */
    public static Mono<ServerResponse> unsupportedMediaType(String detail) {
        return respond(
                problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type", detail));
    }

    /** Kafka did not take a command or activity in time; the client may retry. */
    public static Mono<ServerResponse> unavailable(String detail) {
        return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail));
    }

    /** The fields of a problem, for writers outside a handler (the security filter chain). */
    public static Map<String, Object> body(HttpStatus status, String type, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        return body;
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
