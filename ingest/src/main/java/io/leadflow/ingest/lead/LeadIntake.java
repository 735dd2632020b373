package io.leadflow.ingest.lead;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.kafka.EventPublisher;
import io.leadflow.ingest.web.FieldError;
import io.leadflow.ingest.web.IngestMetrics;
import io.leadflow.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way leads get in, whatever the endpoint: read and validate, give each an id, hand the valid ones
 * to the producer, and tell for each what became of it. A lead counts as accepted only once the broker
 * acknowledged it.
 */
@Component
class LeadIntake {

    static final String KIND = "lead";
    /**
     * Reads every lead. Its parsers take their buffers from a per-thread pool: the default pool, a concurrent deque
     * shared by all threads, cost 4 % of the stream's worker threads in a profile (an acquire and a release per line).
     */
    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.threadLocalPool())
                    .build())
            .build();

    /**
     * One lead as read off the wire: its position and its JSON text or tree, or why it could not be read at all
     * ({@code unreadable}).
     */
    record Item(long position, String text, JsonNode body, FieldError unreadable) {
        static Item text(long position, String text) {
            return new Item(position, text, null, null);
        }

        static Item json(long position, JsonNode body) {
            return new Item(position, null, body, null);
        }

        static Item unreadable(long position, FieldError why) {
            return new Item(position, null, null, why);
        }
    }

    private final LeadParser parser;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final Clock clock;

    LeadIntake(EventPublisher publisher, IngestMetrics metrics, IngestProperties properties, Clock clock) {
        this.parser = new LeadParser(properties::regionOf);
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    LeadParser.Result parse(JsonNode body, Caller caller, Supplier<String> idIfAbsent) {
        LeadParser.Result result = parser.parse(body, caller, clock.instant(), idIfAbsent);
        if (!result.isValid()) {
            metrics.refused(KIND, caller.source(), "invalid", 1);
        }
        return result;
    }

    Mono<Lead> publish(Lead lead, Caller caller) {
        return publisher
                .publish(Topics.LEADS, lead.getTenant(), lead)
                .doOnSuccess(ignored -> metrics.accepted(KIND, caller.source(), 1))
                .doOnError(e -> metrics.refused(KIND, caller.source(), "broker-unavailable", 1))
                .thenReturn(lead);
    }

    /**
     * Reads, validates and produces a chunk of leads; the answer has one outcome per item, in order. The
     * reading happens off the event loop, as does the producing.
     */
    Mono<List<LeadOutcome>> acceptAll(List<Item> items, Caller caller, LongFunction<String> idIfAbsent) {
        return Mono.fromCallable(() -> read(items, caller, idIfAbsent))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(read -> {
                    List<Lead> valid = read.stream()
                            .filter(ReadItem::isValid)
                            .map(item -> item.result().lead())
                            .toList();
                    return publisher
                            .publishAll(Topics.LEADS, caller.tenant(), valid)
                            .map(failures -> {
                                List<LeadOutcome> outcomes = new ArrayList<>(read.size());
                                int sent = 0;
                                int accepted = 0;
                                for (ReadItem item : read) {
                                    if (!item.isValid()) {
                                        outcomes.add(LeadOutcome.refused(
                                                item.position(), item.result().errors()));
                                        continue;
                                    }
                                    Throwable failure = failures.get(sent++);
                                    String leadId = item.result().lead().getLeadId();
                                    if (failure == null) {
                                        accepted++;
                                        outcomes.add(LeadOutcome.accepted(item.position(), leadId));
                                    } else {
                                        outcomes.add(LeadOutcome.notStored(item.position(), leadId, failure));
                                    }
                                }
                                metrics.accepted(KIND, caller.source(), accepted);
                                metrics.refused(KIND, caller.source(), "invalid", read.size() - valid.size());
                                metrics.refused(KIND, caller.source(), "broker-unavailable", valid.size() - accepted);
                                return outcomes;
                            });
                });
    }

    private record ReadItem(long position, LeadParser.Result result) {
        boolean isValid() {
            return result.isValid();
        }
    }

    private List<ReadItem> read(List<Item> items, Caller caller, LongFunction<String> idIfAbsent) {
        Instant now = clock.instant();
        List<ReadItem> read = new ArrayList<>(items.size());
        for (Item item : items) {
            LeadParser.Result result;
            if (item.unreadable() != null) {
                read.add(new ReadItem(item.position(), new LeadParser.Result(null, List.of(item.unreadable()))));
                continue;
            }
            try {
                JsonNode body = item.body() != null ? item.body() : JSON.readTree(item.text());
                result = parser.parse(body, caller, now, () -> idIfAbsent.apply(item.position()));
            } catch (JacksonException e) {
                result = new LeadParser.Result(
                        null, List.of(new FieldError("$", "not valid JSON: " + e.getOriginalMessage())));
            }
            read.add(new ReadItem(item.position(), result));
        }
        return read;
    }
}
