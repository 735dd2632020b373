package io.leadflow.ingest.web;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/** Reads whole request bodies of bounded size; a larger one is refused before it fills the heap. */
public final class Bodies {

    private Bodies() {}

    /** A body beyond the limit of its endpoint. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long limit) {
            super("the body exceeds " + limit + " bytes");
        }
    }

    /**
     * The body's bytes (empty array when there is none).
     *
     * @return a Mono failing with {@link TooLarge} when the body, or its announced length, exceeds
     *     {@code maxBytes}
     */
    public static Mono<byte[]> read(ServerRequest request, long maxBytes) {
        long announced = request.headers().contentLength().orElse(-1);
        if (announced > maxBytes) {
            return Mono.error(new TooLarge(maxBytes));
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), Math.toIntExact(maxBytes))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .onErrorMap(DataBufferLimitException.class, e -> new TooLarge(maxBytes))
                .defaultIfEmpty(new byte[0]);
    }
}
