package io.leadflow.ingest.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.ingest.web.FieldError;
import java.util.List;

/**
 * What became of one lead of a batch or a stream.
 *
 * @param position its index in the batch (from 0) or its line in the stream (from 1)
 * @param status {@code accepted} (the broker holds it), {@code refused} (invalid, see errors) or {@code
 *     not-stored} (the broker did not acknowledge it: send it again with the same leadId)
 * @param leadId the lead's id, as sent or as assigned
 * @param errors what is wrong with a refused lead
 * @param detail why a lead was not stored
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LeadOutcome(long position, String status, String leadId, List<FieldError> errors, String detail) {

    static final String ACCEPTED = "accepted";
    static final String REFUSED = "refused";
    static final String NOT_STORED = "not-stored";

    static LeadOutcome accepted(long position, String leadId) {
        return new LeadOutcome(position, ACCEPTED, leadId, null, null);
    }

    static LeadOutcome refused(long position, List<FieldError> errors) {
        return new LeadOutcome(position, REFUSED, null, errors, null);
    }

    static LeadOutcome notStored(long position, String leadId, Throwable failure) {
        return new LeadOutcome(
                position, NOT_STORED, leadId, null, "the broker did not acknowledge the lead: " + failure);
    }
}
