package io.leadflow.standalone.demo;

import io.leadflow.avro.AssignmentStrategy;
import io.leadflow.avro.PoolDefinition;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demonstration's pool rules: a customer nobody follows up returns to the public pool after {@link
 * #FOLLOW_UP_MINUTES} minutes, so returns happen while one watches; 15 customers per salesperson; two teams.
 * They go straight to the tenant-rules topic as the next version, because the api's rules document has no
 * field for a deadline in minutes ({@code PoolRuleSet.followUpMinutes}, for demonstrations only).
 */
final class DemoRules {

    static final int FOLLOW_UP_MINUTES = 3;
    static final int CAPACITY = 15;

    private DemoRules() {}

    static TenantRules forTenant(String tenant, long version, Map<String, List<String>> teams) {
        TenantRules defaults = TenantRulesDefaults.forTenant(tenant);
        return TenantRules.newBuilder(defaults)
                .setVersion(version)
                .setUpdatedAt(Instant.now())
                .setUpdatedBy("leadflow-demo")
                .setPools(List.of(PoolDefinition.newBuilder()
                        .setPoolId(TenantRulesDefaults.DEFAULT_POOL)
                        .setName("公海 Public pool")
                        .setMembers(List.of())
                        .setTeams(List.of())
                        .setIsDefault(true)
                        .build()))
                .setDefaults(PoolRuleSet.newBuilder(defaults.getDefaults())
                        .setFollowUpMinutes(FOLLOW_UP_MINUTES)
                        .setCloseDays(null)
                        .setReminderDays(null)
                        .setPrivatePoolCapacity(CAPACITY)
                        .setDailyClaimLimit(1_000)
                        .setReclaimCooldownDays(null)
                        .build())
                .setTeamMembers(teams)
                .setAssignmentStrategy(AssignmentStrategy.PUBLIC_POOL)
                .build();
    }

    /** Publishes {@code rules} and waits until Kafka acknowledged them. */
    static void publish(String bootstrapServers, TenantRules rules) throws InterruptedException {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "leadflow-demo-rules");
        try (KafkaProducer<String, TenantRules> producer = new KafkaProducer<>(
                config,
                Topics.TENANT_RULES.keySerde().serializer(),
                Topics.TENANT_RULES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.TENANT_RULES.name(), rules.getTenant(), rules))
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the demo rules", e);
        }
    }
}
