package io.leadflow.ingest.imports;

import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.FieldError;
import io.leadflow.ingest.web.IdempotencyKey;
import io.leadflow.ingest.web.Problems;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CSV imports: the upload is written to disk as it arrives (never held in memory), its header is checked
 * against the column mapping, and a job imports it in the background. The answer is {@code 202} with the
 * job's address; its progress can be read there or followed as Server-Sent Events.
 *
 * <p>Two forms: {@code multipart/form-data} with parts {@code file}, {@code mapping} (a JSON object, header
 * → field), {@code charset} and {@code delimiter} (both optional); or a {@code text/csv} body (charset from
 * its {@code Content-Type}) with {@code mapping} and {@code delimiter} as query parameters.
 */
@Component
class ImportHandler {

    static final String PATH = "/ingest/v1/imports";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType CSV = MediaType.parseMediaType("text/csv");
    private static final MediaType TSV = MediaType.parseMediaType("text/tab-separated-values");

    private final ImportJobs jobs;
    private final IngestProperties.Imports settings;

    ImportHandler(ImportJobs jobs, IngestProperties properties) {
        this.jobs = jobs;
        this.settings = properties.imports();
    }

    /** What the client said about its file, before the file is looked at. */
    private record Upload(Flux<DataBuffer> content, String mapping, String charset, String delimiter) {}

    /** {@code POST /ingest/v1/imports}. */
    Mono<ServerResponse> create(ServerRequest request) {
        Caller caller = ApiKeyFilter.caller(request);
        MediaType contentType = request.headers().contentType().orElse(null);
        Optional<IdempotencyKey> key;
        try {
            key = IdempotencyKey.of(request);
        } catch (IllegalArgumentException e) {
            return Problems.invalidFields("import", List.of(new FieldError(IdempotencyKey.HEADER, e.getMessage())));
        }
        long announced = request.headers().contentLength().orElse(-1);
        if (announced > settings.maxFileSize().toBytes()) {
            return tooLarge();
        }
        Mono<Upload> upload;
        if (contentType != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(contentType)) {
            upload = request.multipartData().map(ImportHandler::fromParts);
        } else if (contentType != null && (CSV.isCompatibleWith(contentType) || TSV.isCompatibleWith(contentType))) {
            String charset = contentType.getCharset() == null
                    ? null
                    : contentType.getCharset().name();
            String delimiter = TSV.isCompatibleWith(contentType)
                    ? "tab"
                    : request.queryParam("delimiter").orElse(null);
            upload = Mono.just(new Upload(
                    request.body(BodyExtractors.toDataBuffers()),
                    request.queryParam("mapping").orElse(null),
                    charset,
                    delimiter));
        } else {
            return Problems.unsupportedMediaType(contentType, MediaType.MULTIPART_FORM_DATA);
        }
        // A multipart body whose boundaries or headers do not parse is the client's mistake, not a server error.
        return upload.flatMap(given -> start(given, caller, key))
                .onErrorResume(
                        DecodingException.class,
                        e -> Problems.unreadableBody("the multipart body is malformed: " + e.getMessage()));
    }

    private Mono<ServerResponse> start(Upload upload, Caller caller, Optional<IdempotencyKey> key) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> mapping = mapping(upload.mapping(), errors);
        Charset charset = charset(upload.charset(), errors);
        Character delimiter = delimiter(upload.delimiter(), errors);
        if (upload.content() == null) {
            errors.add(new FieldError("file", "is required: the CSV file"));
        }
        errors.addAll(ColumnMapping.problems(mapping));
        if (!errors.isEmpty()) {
            return drain(upload).then(Problems.invalidFields("import", errors));
        }
        ColumnMapping columns = new ColumnMapping(mapping);
        long maxBytes = settings.maxFileSize().toBytes();
        return Mono.fromCallable(this::spoolFile)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(path -> DataBufferUtils.write(
                                DataBufferUtils.takeUntilByteCount(upload.content(), maxBytes + 1), path)
                        .then(Mono.fromCallable(() -> inspect(path, charset, delimiter, maxBytes))
                                .subscribeOn(Schedulers.boundedElastic()))
                        .doOnError(e -> delete(path))
                        .flatMap(file -> {
                            List<FieldError> problems = columns.problemsWith(file.headers());
                            if (!problems.isEmpty()) {
                                delete(file.path());
                                return Problems.invalidFields("import", problems);
                            }
                            ImportJob job = jobs.start(caller, file, columns, key);
                            return ServerResponse.status(HttpStatus.ACCEPTED)
                                    .location(URI.create(PATH + "/" + job.id()))
                                    .bodyValue(job.progress());
                        })
                        .onErrorResume(TooLarge.class, e -> tooLarge())
                        .onErrorResume(
                                IllegalArgumentException.class,
                                e -> Problems.invalidFields(
                                        "import", List.of(new FieldError("file", e.getMessage())))));
    }

    /** {@code GET /ingest/v1/imports/{id}}. */
    Mono<ServerResponse> progress(ServerRequest request) {
        return jobs.find(request.pathVariable("id"), ApiKeyFilter.caller(request))
                .map(job -> ServerResponse.ok().bodyValue(job.progress()))
                .orElseGet(() -> notFound(request));
    }

    /** {@code GET /ingest/v1/imports/{id}/events}: progress as Server-Sent Events until the job ends. */
    Mono<ServerResponse> events(ServerRequest request) {
        return jobs.find(request.pathVariable("id"), ApiKeyFilter.caller(request))
                .map(job -> {
                    Flux<ServerSentEvent<ImportJob.Progress>> events = Flux.interval(
                                    java.time.Duration.ZERO, settings.progressInterval())
                            .onBackpressureDrop()
                            .map(tick -> job.progress())
                            .distinctUntilChanged()
                            .takeUntil(progress -> progress.status().isFinished())
                            .map(progress -> ServerSentEvent.builder(progress)
                                    .event(progress.status().isFinished() ? "finished" : "progress")
                                    .build());
                    return ServerResponse.ok()
                            .contentType(MediaType.TEXT_EVENT_STREAM)
                            .body(events, ServerSentEvent.class);
                })
                .orElseGet(() -> notFound(request));
    }

    private static Upload fromParts(MultiValueMap<String, Part> parts) {
        Part file = parts.getFirst("file");
        return new Upload(
                file == null ? null : file.content(),
                field(parts, "mapping"),
                field(parts, "charset"),
                field(parts, "delimiter"));
    }

    private static String field(MultiValueMap<String, Part> parts, String name) {
        return parts.getFirst(name) instanceof FormFieldPart field ? field.value() : null;
    }

    private static Map<String, String> mapping(String json, List<FieldError> errors) {
        Map<String, String> mapping = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return mapping;
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isObject()) {
                errors.add(new FieldError("mapping", "must be a JSON object of header name → lead field"));
                return mapping;
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isString()) {
                    errors.add(new FieldError("mapping." + entry.getKey(), "must be a string"));
                } else {
                    mapping.put(
                            entry.getKey().strip(), entry.getValue().asString().strip());
                }
            }
        } catch (JacksonException e) {
            errors.add(new FieldError("mapping", "is not valid JSON"));
        }
        return mapping;
    }

    private static Charset charset(String name, List<FieldError> errors) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            Charset charset = Charset.forName(name.strip());
            // GB18030 is a superset of GBK and GB2312: read all three with it.
            return charset.name().equals("GBK") || charset.name().equals("GB2312") ? CsvFile.GB18030 : charset;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            errors.add(new FieldError("charset", "must be UTF-8, GBK, GB18030 or auto"));
            return null;
        }
    }

    private static Character delimiter(String name, List<FieldError> errors) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) {
            return null;
        }
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case ",", "comma" -> ',';
            case "\t", "tab" -> '\t';
            default -> {
                errors.add(new FieldError("delimiter", "must be comma, tab or auto"));
                yield null;
            }
        };
    }

    private Path spoolFile() throws IOException {
        Path dir = settings.spoolDir() != null
                ? Files.createDirectories(settings.spoolDir())
                : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempFile(dir, "lead-import-", ".csv");
    }

    private static CsvFile inspect(Path path, Charset charset, Character delimiter, long maxBytes) throws IOException {
        if (Files.size(path) > maxBytes) {
            throw new TooLarge();
        }
        return CsvFile.inspect(path, charset, delimiter);
    }

    private static Mono<Void> drain(Upload upload) {
        return upload.content() == null
                ? Mono.empty()
                : upload.content().map(DataBufferUtils::release).then();
    }

    private Mono<ServerResponse> tooLarge() {
        return Problems.payloadTooLarge(
                "an import file may have at most " + settings.maxFileSize().toBytes() + " bytes");
    }

    private static Mono<ServerResponse> notFound(ServerRequest request) {
        return Problems.notFound("no import " + request.pathVariable("id") + " on this instance for your tenant");
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A stale spool file is harmless; the temp directory is cleaned by the system.
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("the file is too large");
        }
    }
}
