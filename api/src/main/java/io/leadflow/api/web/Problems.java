package io.leadflow.api.web;

import java.net.URI;
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
                        "Missing or unknown token",
                        "send 'Authorization: Bearer <token>'"));
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
