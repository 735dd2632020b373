package io.leadflow.ingest.lead;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.IngestProperties;
import io.leadflow.schemas.Topics;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes accepted leads to the leads topic, keyed by tenant so that everything one tenant owns meets in
 * one processor task. Completes only when the broker acknowledged the lead ({@code acks=all}, idempotent
 * producer), and fails within the configured produce timeout otherwise.
 */
@Component
class LeadPublisher {

    private final KafkaTemplate<String, Lead> template;
    private final IngestProperties properties;

    LeadPublisher(KafkaTemplate<String, Lead> template, IngestProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    Mono<Lead> publish(Lead lead) {
        // send() can block for up to max.block.ms while it fetches metadata: keep that off the event loop.
        return Mono.fromFuture(() -> template.send(Topics.LEADS.name(), lead.getTenant(), lead))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.produceTimeout())
                .thenReturn(lead);
    }
}
