package io.leadflow.schemas;

import io.leadflow.avro.Activity;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.Lead;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.TenantRules;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of LeadFlow topics, the one source of truth for their names, serdes, partitions and
 * cleanup.
 *
 * <p>The input topics are keyed by tenant and share {@link #INPUT_PARTITIONS}, so that one stream
 * task sees all of a tenant's leads, activities, commands and rules (co-partitioning). Keys are built
 * with {@link Keys}.
 */
public final class Topics {

    /** Partitions of every input topic; they must all be equal for co-partitioning. */
    public static final int INPUT_PARTITIONS = 6;

    /** Partitions of every output topic. */
    public static final int OUTPUT_PARTITIONS = 6;

    /** Inbound leads; key: tenant. Kept for weeks so the processor can be replayed. */
    public static final TopicSpec<String, Lead> LEADS = TopicSpec.deleting(
            "leadflow.leads.v1", Serdes.String(), AvroSerde.of(Lead.class), INPUT_PARTITIONS, Duration.ofDays(28));

    /** Follow-ups, stage changes, wins and losses; key: tenant. */
    public static final TopicSpec<String, Activity> ACTIVITIES = TopicSpec.deleting(
            "leadflow.activities.v1",
            Serdes.String(),
            AvroSerde.of(Activity.class),
            INPUT_PARTITIONS,
            Duration.ofDays(28));

    /** Pool commands from the api; key: tenant. */
    public static final TopicSpec<String, PoolCommand> COMMANDS = TopicSpec.deleting(
            "leadflow.commands.v1",
            Serdes.String(),
            AvroSerde.of(PoolCommand.class),
            INPUT_PARTITIONS,
            Duration.ofDays(7));

    /** Each tenant's pool rules and funnel stages; key: tenant; the latest version wins. */
    public static final TopicSpec<String, TenantRules> TENANT_RULES = TopicSpec.compacted(
            "leadflow.tenant-rules.v1", Serdes.String(), AvroSerde.of(TenantRules.class), INPUT_PARTITIONS);

    /** Customer snapshots; key: {@link Keys#customer}; a tombstone follows a merge. */
    public static final TopicSpec<String, CustomerSnapshot> CUSTOMERS = TopicSpec.compacted(
            "leadflow.customers.v1", Serdes.String(), AvroSerde.of(CustomerSnapshot.class), OUTPUT_PARTITIONS);

    /** Pool state changes; key: {@link Keys#customer}. */
    public static final TopicSpec<String, PoolEvent> POOL_EVENTS = TopicSpec.deleting(
            "leadflow.pool-events.v1",
            Serdes.String(),
            AvroSerde.of(PoolEvent.class),
            OUTPUT_PARTITIONS,
            Duration.ofDays(28));

    /** Collisions, possible duplicates, merge suggestions and merges; key: {@link Keys#customer}. */
    public static final TopicSpec<String, IdentityEvent> IDENTITY_EVENTS = TopicSpec.deleting(
            "leadflow.identity-events.v1",
            Serdes.String(),
            AvroSerde.of(IdentityEvent.class),
            OUTPUT_PARTITIONS,
            Duration.ofDays(28));

    /** Funnel figures; key: {@link Keys#funnel}; the latest figure per key wins. */
    public static final TopicSpec<String, FunnelFigure> FUNNEL = TopicSpec.compacted(
            "leadflow.funnel.v1", Serdes.String(), AvroSerde.of(FunnelFigure.class), OUTPUT_PARTITIONS);

    /**
     * Each owner's private-pool figures (held, capacity, claims today); key: {@link Keys#owner}; the figure with the
     * highest {@code sequence} per key wins.
     */
    public static final TopicSpec<String, OwnerFigures> OWNER_FIGURES = TopicSpec.compacted(
            "leadflow.owner-figures.v1", Serdes.String(), AvroSerde.of(OwnerFigures.class), OUTPUT_PARTITIONS);

    /** Answers to commands; key: {@link Keys#commandResult}. Only waiting api requests read them. */
    public static final TopicSpec<String, CommandResult> COMMAND_RESULTS = TopicSpec.deleting(
            "leadflow.command-results.v1",
            Serdes.String(),
            AvroSerde.of(CommandResult.class),
            OUTPUT_PARTITIONS,
            Duration.ofDays(1));

    /** Records that could not be read or processed; key: {@link Keys#deadLetter}. */
    public static final TopicSpec<String, DeadLetter> DEAD_LETTER = TopicSpec.deleting(
            "leadflow.dead-letter.v1",
            Serdes.String(),
            AvroSerde.of(DeadLetter.class),
            OUTPUT_PARTITIONS,
            Duration.ofDays(28));

    private static final List<TopicSpec<?, ?>> INPUTS = List.of(LEADS, ACTIVITIES, COMMANDS, TENANT_RULES);

    private static final List<TopicSpec<?, ?>> ALL = List.of(
            LEADS,
            ACTIVITIES,
            COMMANDS,
            TENANT_RULES,
            CUSTOMERS,
            POOL_EVENTS,
            IDENTITY_EVENTS,
            FUNNEL,
            OWNER_FIGURES,
            COMMAND_RESULTS,
            DEAD_LETTER);

    private Topics() {}

    /** Every topic, inputs first. */
    public static List<TopicSpec<?, ?>> all() {
        return ALL;
    }

    /** The co-partitioned input topics, keyed by tenant. */
    public static List<TopicSpec<?, ?>> inputs() {
        return INPUTS;
    }
}
