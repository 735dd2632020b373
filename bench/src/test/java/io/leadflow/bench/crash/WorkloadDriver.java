package io.leadflow.bench.crash;

import io.leadflow.bench.workload.Step;
import io.leadflow.bench.workload.Workload;
import io.leadflow.processor.identity.CustomerIds;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes a {@link Workload} through ingest and the api the way {@link Workload} asks, one thread per tenant: a
 * tenant's leads one after the other, each retried (same lead id) until answered {@code 202}; activities and
 * commands held back until their company's customer (and lead) is served, then sent one at a time per company;
 * a command answered {@code 202} (late) polled until it has its outcome; a command without an answer (the api
 * gone) sent again with the same {@code Idempotency-Key}. Records what was accepted, in order, for the
 * {@link io.leadflow.bench.workload.Reference}, every command's answer, and every lead answer with its time.
 * Everything it does is bounded by its deadline.
 */
final class WorkloadDriver implements AutoCloseable {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);
    private static final Duration VISIBILITY_RECHECK = Duration.ofMillis(500);
    private static final Duration OUTCOME_RECHECK = Duration.ofMillis(300);
    private static final int VISIBILITY_CHECKS_PER_ROUND = 4;

    /** One answer ingest gave to a lead: when it was asked and answered, and its status ({@code -1}: no answer). */
    record LeadAnswer(String leadId, Instant sentAt, Instant answeredAt, int status) {}

    private final PipelineClient client;
    private final Workload workload;
    private final Duration stepInterval;
    private final Instant deadline;
    private final List<Step> accepted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> commandIds = new ConcurrentHashMap<>();
    private final List<LeadAnswer> leadAnswers = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Set<String> unansweredCommands = ConcurrentHashMap.newKeySet();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger commandsInFlight = new AtomicInteger();
    private final AtomicInteger lateCommands = new AtomicInteger();
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean stopped;

    private WorkloadDriver(PipelineClient client, Workload workload, Duration stepInterval, Duration within) {
        this.client = client;
        this.workload = workload;
        this.stepInterval = stepInterval;
        this.deadline = Instant.now().plus(within);
    }

    /**
     * Starts one thread per tenant.
     *
     * @param stepInterval the least time between two steps of a tenant
     * @param within when everything must be done; the threads give up then
     */
    static WorkloadDriver start(PipelineClient client, Workload workload, Duration stepInterval, Duration within) {
        WorkloadDriver driver = new WorkloadDriver(client, workload, stepInterval, within);
        for (String tenant : workload.tenants()) {
            Thread lane = new Thread(driver.new Lane(tenant, workload.steps(tenant)), "driver-" + tenant);
            lane.setDaemon(true);
            driver.lanes.add(lane);
            lane.start();
        }
        return driver;
    }

    /** Waits until {@code count} steps were accepted; false if that did not happen within {@code within}. */
    boolean awaitAccepted(int count, Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        while (accepted.size() < count && Instant.now().isBefore(until) && !finished()) {
            Thread.sleep(50);
        }
        return accepted.size() >= count;
    }

    /** Waits until a command request is on its way (sent, not yet answered); false if none within {@code within}. */
    boolean awaitCommandInFlight(Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        while (commandsInFlight.get() == 0 && Instant.now().isBefore(until) && !finished()) {
            Thread.sleep(1);
        }
        return commandsInFlight.get() > 0;
    }

    /** Waits until every lane is done; false if one is still busy after {@code within}. */
    boolean awaitFinished(Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        for (Thread lane : lanes) {
            lane.join(Math.max(1, Duration.between(Instant.now(), until).toMillis()));
        }
        return finished();
    }

    boolean finished() {
        return lanes.stream().noneMatch(Thread::isAlive);
    }

    /** The accepted steps, in the order they were accepted. */
    List<Step> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Each answered command's outcome by key: {@code ACCEPTED} or the refusal reason. */
    Map<String, String> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** Every command id the api named in its answers to each command key (one per key when idempotent). */
    Map<String, Set<String>> commandIds() {
        return Map.copyOf(commandIds);
    }

    List<LeadAnswer> leadAnswers() {
        return List.copyOf(leadAnswers);
    }

    /** Answers that no step should get (anything but 2xx, the refusals of commands, 503, or no answer). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Commands sent again because an attempt got no answer. */
    int unansweredCommands() {
        return unansweredCommands.size();
    }

    /** Commands answered {@code 202} (no outcome within the api's wait), whose outcome was polled. */
    int lateCommands() {
        return lateCommands.get();
    }

    /** Dependent steps dropped because their lead was never accepted. */
    int skipped() {
        return skipped.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread lane : lanes) {
            lane.join(10_000);
        }
    }

    private boolean inTime() {
        return !stopped && Instant.now().isBefore(deadline);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One tenant's steps. */
    private final class Lane implements Runnable {

        private final String tenant;
        private final List<Step> steps;
        private final Map<Integer, Deque<Step>> pending = new TreeMap<>();
        private final Map<Integer, String> firstAccepted = new HashMap<>();
        private final Set<String> acceptedLeads = new LinkedHashSet<>();
        private final Map<Integer, Set<String>> servedLeads = new HashMap<>();
        private final Map<Integer, Instant> checkedAt = new HashMap<>();
        private final Map<Integer, String> awaitedCommand = new HashMap<>();
        private final Map<Integer, Instant> outcomeCheckedAt = new HashMap<>();
        private final Map<Integer, Instant> retryAt = new HashMap<>();

        Lane(String tenant, List<Step> steps) {
            this.tenant = tenant;
            this.steps = steps;
        }

        @Override
        public void run() {
            int next = 0;
            Instant nextAt = Instant.now();
            while (inTime() && (next < steps.size() || !pending.isEmpty())) {
                boolean progressed = false;
                if (next < steps.size() && !Instant.now().isBefore(nextAt)) {
                    Step step = steps.get(next++);
                    nextAt = Instant.now().plus(stepInterval);
                    if (step instanceof Step.Lead lead) {
                        sendUntilAccepted(lead);
                    } else {
                        pending.computeIfAbsent(step.company(), c -> new ArrayDeque<>())
                                .add(step);
                    }
                    progressed = true;
                }
                progressed |= progressPending();
                if (!progressed) {
                    pause(Duration.ofMillis(20));
                }
            }
            if (next < steps.size() || !pending.isEmpty()) {
                problems.add(tenant + ": gave up with " + (steps.size() - next) + " steps unsent and "
                        + pending.values().stream().mapToInt(Deque::size).sum() + " waiting");
            }
        }

        private void sendUntilAccepted(Step.Lead lead) {
            while (inTime()) {
                Instant sentAt = Instant.now();
                int status;
                try {
                    status = client.send(lead).status();
                } catch (IOException e) {
                    status = -1;
                }
                leadAnswers.add(new LeadAnswer(lead.leadId(), sentAt, Instant.now(), status));
                if (status == 202) {
                    acceptedLeads.add(lead.leadId());
                    firstAccepted.putIfAbsent(lead.company(), lead.leadId());
                    accepted.add(lead);
                    return;
                }
                if (status != 503 && status != -1) {
                    problems.add("lead " + lead.leadId() + " answered " + status);
                    return;
                }
                pause(RETRY_PAUSE);
            }
        }

        /** Sends the next waiting step of each company that may go now; true if anything moved. */
        private boolean progressPending() {
            boolean progressed = false;
            int checks = 0;
            for (var iterator = pending.entrySet().iterator(); iterator.hasNext(); ) {
                var entry = iterator.next();
                int company = entry.getKey();
                Deque<Step> queue = entry.getValue();
                Step step = queue.peek();
                Outcome outcome;
                if (retryAt.getOrDefault(company, Instant.MIN).isAfter(Instant.now())) {
                    outcome = Outcome.WAITING;
                } else if (awaitedCommand.containsKey(company)) {
                    outcome = pollOutcome(company, (Step.Command) step);
                } else if (firstAccepted.get(company) == null
                        || step instanceof Step.Activity activity && !acceptedLeads.contains(activity.leadId())) {
                    skipped.incrementAndGet();
                    outcome = Outcome.DONE;
                } else if (!isServed(company, step)) {
                    if (checks++ < VISIBILITY_CHECKS_PER_ROUND) {
                        refresh(company);
                    }
                    outcome = Outcome.WAITING;
                } else if (step instanceof Step.Activity activity) {
                    outcome = send(activity);
                } else {
                    outcome = send(company, (Step.Command) step);
                }
                if (outcome == Outcome.DONE) {
                    queue.poll();
                    progressed = true;
                    if (queue.isEmpty()) {
                        iterator.remove();
                    }
                }
            }
            return progressed;
        }

        private String customerId(int company) {
            return CustomerIds.ofFoundingLead(tenant, firstAccepted.get(company));
        }

        private boolean isServed(int company, Step step) {
            Set<String> served = servedLeads.getOrDefault(company, Set.of());
            return step instanceof Step.Activity activity ? served.contains(activity.leadId()) : !served.isEmpty();
        }

        private void refresh(int company) {
            Instant last = checkedAt.get(company);
            if (last != null && last.plus(VISIBILITY_RECHECK).isAfter(Instant.now())) {
                return;
            }
            checkedAt.put(company, Instant.now());
            try {
                client.customer(tenant, customerId(company)).ifPresent(customer -> {
                    Set<String> leads = new LinkedHashSet<>();
                    customer.get("leadIds").forEach(id -> leads.add(id.asString()));
                    servedLeads.put(company, leads);
                });
            } catch (IOException e) {
                // the api is away: look again later
            }
        }

        private Outcome send(Step.Activity activity) {
            try {
                int status = client.send(activity).status();
                if (status == 202) {
                    accepted.add(activity);
                    return Outcome.DONE;
                }
                if (status != 503) {
                    problems.add("activity " + activity.activityId() + " answered " + status);
                    return Outcome.DONE;
                }
            } catch (IOException e) {
                // no answer: send it again (the processor applies an activity id once)
            }
            return retryLater(activity.company());
        }

        private Outcome send(int company, Step.Command command) {
            PipelineClient.Answer answer;
            commandsInFlight.incrementAndGet();
            try {
                answer = client.send(command, customerId(company));
            } catch (IOException e) {
                unansweredCommands.add(command.key());
                return retryLater(company);
            } finally {
                commandsInFlight.decrementAndGet();
            }
            String commandId = answer.text("commandId");
            if (commandId != null) {
                commandIds
                        .computeIfAbsent(command.key(), k -> ConcurrentHashMap.newKeySet())
                        .add(commandId);
            }
            switch (answer.status()) {
                case 200 -> {
                    accepted.add(command);
                    outcomes.put(command.key(), answer.text("outcome"));
                    return Outcome.DONE;
                }
                case 404, 409, 422 -> {
                    accepted.add(command);
                    outcomes.put(command.key(), String.valueOf(answer.text("reason")));
                    return Outcome.DONE;
                }
                case 202 -> {
                    lateCommands.incrementAndGet();
                    accepted.add(command);
                    awaitedCommand.put(company, commandId);
                    outcomeCheckedAt.put(company, Instant.now());
                    return Outcome.WAITING;
                }
                case 503 -> {
                    return retryLater(company);
                }
                default -> {
                    problems.add("command " + command.key() + " answered " + answer.status() + ": " + answer.body());
                    return Outcome.DONE;
                }
            }
        }

        /** The company's next attempt waits a little: the service it needs is away. */
        private Outcome retryLater(int company) {
            retryAt.put(company, Instant.now().plus(RETRY_PAUSE));
            return Outcome.WAITING;
        }

        private Outcome pollOutcome(int company, Step.Command command) {
            Instant last = outcomeCheckedAt.get(company);
            if (last != null && last.plus(OUTCOME_RECHECK).isAfter(Instant.now())) {
                return Outcome.WAITING;
            }
            outcomeCheckedAt.put(company, Instant.now());
            try {
                PipelineClient.Answer answer = client.outcome(tenant, awaitedCommand.get(company));
                if (answer.status() != 200) {
                    return Outcome.WAITING;
                }
                String outcome = answer.text("outcome");
                outcomes.put(command.key(), "ACCEPTED".equals(outcome) ? outcome : answer.text("reason"));
                awaitedCommand.remove(company);
                return Outcome.DONE;
            } catch (IOException e) {
                return Outcome.WAITING;
            }
        }
    }

    private enum Outcome {
        DONE,
        WAITING
    }
}
