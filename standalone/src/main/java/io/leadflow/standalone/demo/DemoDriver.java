package io.leadflow.standalone.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./leadflow --demo}: keeps a tenant busy so the dashboard has something to show. On its own thread it
 * sends generated leads to the real ingest endpoint at the chosen rate, and lets a few simulated salespeople
 * claim, follow up, move through the funnel, win, lose and release customers through the real api and ingest
 * endpoints. The pool rules return a customer nobody follows up within {@value DemoRules#FOLLOW_UP_MINUTES}
 * minutes, and the salespeople follow up only some of theirs, so returns happen while one watches. The leads are
 * a function of the seed (and of which simulated salesperson holds what, for collisions).
 */
public final class DemoDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoDriver.class);

    /** The simulated salespeople and their teams; the dashboard's default user (li.lei) is left to a human. */
    static final Map<String, String> SALESPEOPLE = orderedMap(
            "han.meimei", "east",
            "chen.jing", "east",
            "zhang.wei", "north",
            "emma.smith", "north");

    static final Map<String, List<String>> TEAMS = Map.of(
            "east", List.of("li.lei", "han.meimei", "chen.jing", "wang.fang"),
            "north", List.of("zhang.wei", "emma.smith"));

    /** Whom a colliding lead may be meant for: the simulated salespeople and the dashboard's default user. */
    private static final List<String> COLLIDERS =
            List.of("li.lei", "han.meimei", "chen.jing", "zhang.wei", "emma.smith");

    private static final List<String> PATH = List.of("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION");
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(30);

    /**
     * Where to reach LeadFlow and how busy to keep it.
     *
     * @param leadsPerMinute new leads a minute; salespeople act about as often
     */
    public record Settings(
            URI api,
            URI ingest,
            String ingestKey,
            String bootstrapServers,
            String tenant,
            int leadsPerMinute,
            long seed) {
        public Settings {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(ingest, "ingest");
            Objects.requireNonNull(ingestKey, "ingestKey");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(tenant, "tenant");
            if (leadsPerMinute < 1 || leadsPerMinute > 6_000) {
                throw new IllegalArgumentException("leadsPerMinute must be 1..6000, was " + leadsPerMinute);
            }
        }
    }

    private final Settings settings;
    private final LeadGenerator leads;
    private final Random actions;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "leadflow-demo");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** E-mails of companies a simulated salesperson holds → that salesperson (collisions aim at these). */
    private final Map<String, String> holders = new HashMap<>();

    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private boolean rulesSet;
    private long ticks;
    private long lastSummary = System.nanoTime();

    private DemoDriver(Settings settings) {
        this.settings = settings;
        this.leads = new LeadGenerator(settings.seed());
        this.actions = new Random(settings.seed() * 31 + 7);
    }

    /** Starts sending; returns at once. */
    public static DemoDriver start(Settings settings) {
        DemoDriver driver = new DemoDriver(settings);
        long periodMillis = Math.max(10, 60_000L / settings.leadsPerMinute());
        driver.thread.scheduleWithFixedDelay(driver::tickSafely, 1_000, periodMillis, TimeUnit.MILLISECONDS);
        log.info(
                "demo: {} leads a minute for tenant '{}' (seed {}); customers nobody follows up return after {} min",
                settings.leadsPerMinute(),
                settings.tenant(),
                settings.seed(),
                DemoRules.FOLLOW_UP_MINUTES);
        return driver;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("demo: the generator thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("demo stopped: {}", new TreeMap<>(counts));
    }

    /** One step; a failure is logged and the next step tries again (a thrown exception would end the schedule). */
    private void tickSafely() {
        try {
            tick();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            count("errors");
            log.debug("demo step failed", e);
            if (counts.get("errors") % 20 == 1) {
                log.warn("demo: a step failed (logged once every 20): {}", e.toString());
            }
        }
    }

    private void tick() throws IOException, InterruptedException {
        if (!rulesSet) {
            setRules();
        }
        ticks++;
        if (ticks % 20 == 1) {
            refreshHolders();
        }
        sendLead();
        String salesperson = pick(new ArrayList<>(SALESPEOPLE.keySet()));
        int dice = actions.nextInt(100);
        if (dice < 30) {
            claim(salesperson);
        } else if (dice < 45) {
            followUp(salesperson);
        } else if (dice < 75) {
            advance(salesperson);
        } else if (dice < 80) {
            release(salesperson);
        }
        if (System.nanoTime() - lastSummary > SUMMARY_EVERY.toNanos()) {
            lastSummary = System.nanoTime();
            log.info("demo: {}", new TreeMap<>(counts));
        }
    }

    private void setRules() throws IOException, InterruptedException {
        JsonNode current = api("GET", "/api/v1/tenant-rules", null, token("demo-admin", null, "admin"));
        long version = current.path("version").asLong(0) + 1;
        DemoRules.publish(settings.bootstrapServers(), DemoRules.forTenant(settings.tenant(), version, TEAMS));
        rulesSet = true;
        log.info(
                "demo: tenant rules version {} set: return after {} min without follow-up, {} customers per owner",
                version,
                DemoRules.FOLLOW_UP_MINUTES,
                DemoRules.CAPACITY);
    }

    private void sendLead() throws IOException, InterruptedException {
        Map<String, Object> lead = leads.next(Map.copyOf(holders), COLLIDERS);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        settings.ingest().resolve("/ingest/v1/leads"))
                .header("X-Api-Key", settings.ingestKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(lead), StandardCharsets.UTF_8)));
        count(
                answer.statusCode() == 202
                        ? (lead.containsKey("intendedOwner") ? "collision-leads" : "leads")
                        : "refused-leads");
    }

    private void claim(String salesperson) throws IOException, InterruptedException {
        JsonNode pool = api("GET", "/api/v1/pools/public/customers?size=30", null, salesToken(salesperson));
        List<JsonNode> items = pool.path("items").valueStream().toList();
        if (items.isEmpty()) {
            return;
        }
        JsonNode customer = pick(items);
        HttpResponse<String> answer = command(salesperson, customer, "claim", Map.of());
        if (answer.statusCode() == 200) {
            count("claims");
            remember(salesperson, json.readTree(answer.body()).path("customer"));
        } else {
            count("refused-claims");
        }
    }

    private void followUp(String salesperson) throws IOException, InterruptedException {
        JsonNode customer = held(salesperson);
        if (customer != null) {
            HttpResponse<String> answer = send(request(
                            "/api/v1/customers/" + customer.path("customerId").asString() + "/follow-ups",
                            salesToken(salesperson))
                    .POST(body(Map.of(
                            "type", pick(List.of("CALL", "VISIT", "EMAIL", "MEETING")), "note", "demo follow-up"))));
            count(answer.statusCode() == 202 ? "follow-ups" : "refused-follow-ups");
        }
    }

    /** Moves a held customer one stage on; from negotiation it is won (mostly) or lost. */
    private void advance(String salesperson) throws IOException, InterruptedException {
        JsonNode customer = held(salesperson);
        if (customer == null) {
            return;
        }
        String stage = customer.path("stage").asString("NEW");
        int at = PATH.indexOf(stage);
        if (at < 0) {
            return;
        }
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("customerId", customer.path("customerId").asString());
        activity.put("actor", salesperson);
        long amount = (5 + actions.nextInt(96)) * 10_000L;
        if (at == PATH.size() - 1) {
            boolean won = actions.nextInt(100) < 60;
            activity.put("kind", won ? "WON" : "LOST");
            if (won) {
                activity.put("amount", amount);
            }
        } else {
            activity.put("kind", "STAGE_CHANGE");
            activity.put("stage", PATH.get(at + 1));
            if (at + 1 >= PATH.indexOf("PROPOSAL")) {
                activity.put("amount", amount);
            }
        }
        HttpResponse<String> answer =
                send(HttpRequest.newBuilder(settings.ingest().resolve("/ingest/v1/activities"))
                        .header("X-Api-Key", settings.ingestKey())
                        .header("Content-Type", "application/json")
                        .POST(body(activity)));
        count(answer.statusCode() == 202 ? "stage-changes" : "refused-stage-changes");
    }

    private void release(String salesperson) throws IOException, InterruptedException {
        JsonNode customer = held(salesperson);
        if (customer != null
                && command(salesperson, customer, "release", Map.of("reason", "not a fit"))
                                .statusCode()
                        == 200) {
            count("releases");
        }
    }

    /** A customer the salesperson holds and that is still open, or null. */
    private JsonNode held(String salesperson) throws IOException, InterruptedException {
        List<JsonNode> open = api("GET", "/api/v1/private-pool?size=50", null, salesToken(salesperson))
                .path("items")
                .valueStream()
                .map(item -> item.path("customer"))
                .filter(customer -> PATH.contains(customer.path("stage").asString("NEW")))
                .toList();
        return open.isEmpty() ? null : pick(open);
    }

    private void refreshHolders() throws IOException, InterruptedException {
        holders.clear();
        for (String salesperson : SALESPEOPLE.keySet()) {
            api("GET", "/api/v1/private-pool?size=50", null, salesToken(salesperson))
                    .path("items")
                    .forEach(item -> remember(salesperson, item.path("customer")));
        }
    }

    private void remember(String salesperson, JsonNode customer) {
        customer.path("contacts").forEach(contact -> {
            String email = contact.path("email").asString(null);
            if (email != null) {
                holders.put(email, salesperson);
            }
        });
    }

    private HttpResponse<String> command(String salesperson, JsonNode customer, String command, Map<String, ?> body)
            throws IOException, InterruptedException {
        return send(request(
                        "/api/v1/customers/" + customer.path("customerId").asString() + "/" + command,
                        salesToken(salesperson))
                .POST(body(body)));
    }

    private JsonNode api(String method, String path, Object body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                request(path, token).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body(body));
        HttpResponse<String> answer = send(request);
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json.readTree(answer.body());
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(settings.api().resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (answer.statusCode() == 401) {
            tokens.clear(); // expired: mint afresh next time
        }
        return answer;
    }

    private HttpRequest.BodyPublisher body(Object value) {
        return HttpRequest.BodyPublishers.ofString(json.writeValueAsString(value), StandardCharsets.UTF_8);
    }

    private String salesToken(String salesperson) throws IOException, InterruptedException {
        return token(salesperson, SALESPEOPLE.get(salesperson), "sales");
    }

    /** A development token from the api's token endpoint (standalone only), kept until it stops working. */
    private String token(String user, String team, String role) throws IOException, InterruptedException {
        String token = tokens.get(user);
        if (token == null) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("user", user);
            request.put("team", team);
            request.put("roles", List.of(role));
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(settings.api().resolve("/api/v1/dev/tokens"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(10))
                            .POST(body(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (answer.statusCode() != 200) {
                throw new IOException("no development token for " + user + ": " + answer.statusCode());
            }
            token = json.readTree(answer.body()).path("token").asString();
            tokens.put(user, token);
        }
        return token;
    }

    private <T> T pick(List<T> values) {
        return values.get(actions.nextInt(values.size()));
    }

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
