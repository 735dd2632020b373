package io.leadflow.ingest.lead;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * The lines of an NDJSON body, split as its buffers arrive, in memory bounded by the longest line allowed. A
 * longer line is not kept: it is read to its end and reported as {@link TooLong}, and the lines after it
 * follow, so the whole body is read and every line gets its outcome.
 */
final class NdjsonLines {

    private NdjsonLines() {}

    /** One line of the body, numbered from 1 (blank lines count). */
    sealed interface Line {
        long number();
    }

    /** A line's text (UTF-8; malformed bytes read as U+FFFD), without its line feed. */
    record Text(long number, String text) implements Line {}

    /** A line longer than allowed: only its length is known. */
    record TooLong(long number, long bytes) implements Line {}

    /** The lines of {@code body}; each buffer is released once read. */
    static Flux<Line> split(Flux<DataBuffer> body, int maxLineBytes) {
        return Flux.defer(() -> {
            Splitter splitter = new Splitter(maxLineBytes);
            return body.concatMapIterable(buffer -> {
                        try {
                            return splitter.feed(buffer);
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    })
                    .concatWith(Flux.defer(() -> Flux.fromIterable(splitter.finish())));
        });
    }

    /** The state between buffers: the current line's bytes so far, or its length once it is too long. */
    static final class Splitter {
        private final int maxLineBytes;
        private byte[] scratch = new byte[8192];
        private byte[] line = new byte[1024];
        private int length;
        private long tooLongBytes = -1;
        private long number;

        Splitter(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
        }

        /** The lines that {@code buffer} completes. */
        List<Line> feed(DataBuffer buffer) {
            int count = buffer.readableByteCount();
            if (scratch.length < count) {
                scratch = new byte[Math.max(count, 2 * scratch.length)];
            }
            buffer.read(scratch, 0, count);
            return feed(scratch, count);
        }

        List<Line> feed(byte[] bytes, int count) {
            List<Line> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < count; i++) {
                if (bytes[i] == '\n') {
                    append(bytes, start, i - start);
                    lines.add(endLine());
                    start = i + 1;
                }
            }
            append(bytes, start, count - start);
            return lines;
        }

        /** The last line when the body does not end with a line feed. */
        List<Line> finish() {
            return length > 0 || tooLongBytes >= 0 ? List.of(endLine()) : List.of();
        }

        private void append(byte[] bytes, int from, int count) {
            if (tooLongBytes >= 0) {
                tooLongBytes += count;
            } else if ((long) length + count > maxLineBytes) {
                tooLongBytes = (long) length + count;
                length = 0;
                if (line.length > 1024) {
                    line = new byte[1024];
                }
            } else {
                if (line.length < length + count) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(length + count, 2 * line.length)));
                }
                System.arraycopy(bytes, from, line, length, count);
                length += count;
            }
        }

        private Line endLine() {
            number++;
            Line ended = tooLongBytes >= 0
                    ? new TooLong(number, tooLongBytes)
                    : new Text(number, new String(line, 0, length, StandardCharsets.UTF_8));
            length = 0;
            tooLongBytes = -1;
            return ended;
        }
    }
}
