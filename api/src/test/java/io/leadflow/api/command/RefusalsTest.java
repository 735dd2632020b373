package io.leadflow.api.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.RefusalReason;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class RefusalsTest {

    @Test
    void aCustomerHeldByAnotherIsAConflictAndAForbiddenCommandIsUnprocessable() {
        assertThat(Refusals.status(RefusalReason.ALREADY_OWNED)).isEqualTo(HttpStatus.CONFLICT);
        assertThat(Refusals.status(RefusalReason.CAPACITY_REACHED)).isEqualTo(HttpStatus.CONFLICT);
        assertThat(Refusals.status(RefusalReason.NOT_PERMITTED)).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(Refusals.status(null)).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    }

    @Test
    void anUnknownCustomerIsNotFoundLikeACustomerOneMayNotSee() {
        assertThat(Refusals.status(RefusalReason.NOT_FOUND)).isEqualTo(HttpStatus.NOT_FOUND);
    }
}
