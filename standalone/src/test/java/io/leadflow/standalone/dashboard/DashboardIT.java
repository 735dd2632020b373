package io.leadflow.standalone.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.TokenMinter;
import io.leadflow.api.auth.Viewer;
import io.leadflow.standalone.LeadflowServices;
import io.leadflow.standalone.TestPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; CI installs
 * them) against the real services on the shared broker and database: a salesperson signs in with a development
 * token, claims a customer from the public pool, and sees it in their private pool and their funnel, and a new
 * lead in the company funnel, all over Server-Sent Events without reloading. Screenshots land in
 * {@code target/screenshots}. Without {@code /usr/bin/chromium} the browser test is skipped.
 */
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TENANT = "ui-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String INGEST_KEY = "ingest-key-" + TENANT;
    private static final String API_SECRET = "a-test-secret-of-at-least-thirty-two-bytes-" + TENANT;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LeadflowServices services;

    @BeforeAll
    static void startLeadflow() throws IOException {
        services = TestPipeline.start("ui", TENANT, INGEST_KEY, API_SECRET, TENANT);
    }

    @AfterAll
    static void stopLeadflow() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void servesTheDashboardWithoutATokenAndTheLiveStreamsWithOneInTheQuery() throws Exception {
        HttpResponse<String> page = get("/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("/dashboard/app.js", "/webjars/echarts/5.3.1/dist/echarts.min.js");
        assertThat(get("/dashboard/app.js", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/echarts/5.3.1/dist/echarts.min.js", Map.of()).statusCode())
                .isEqualTo(200);

        String token = token("stream-reader", Role.SALES);
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(api("/api/v1/streams/funnel?access_token=" + token))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        }
        assertThat(get("/api/v1/streams/funnel", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/customers?access_token=" + token, Map.of()).statusCode())
                .as("only the live streams take a token in the query")
                .isEqualTo(401);
        assertThat(get("/api/v1/customers", Map.of("Authorization", "Bearer " + token))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aSalespersonClaimsACustomerAndWatchesTheFunnelFollowWithoutReloading() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: the dashboard browser test needs Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y chromium chromium-driver");
        for (String name : List.of("上海星云科技有限公司", "Acme Trading Co., Ltd.", "深圳市蓝海电子有限公司")) {
            ingest(name);
        }
        String admin = token("admin", Role.ADMIN);
        await().atMost(WAIT)
                .until(() -> get("/api/v1/pools/public/customers", Map.of("Authorization", "Bearer " + admin))
                        .body()
                        .contains("深圳市蓝海电子有限公司"));

        WebDriver browser = chromium();
        try {
            browser.get(api("/").toString());
            // The lists and the funnel table re-render on every live update: an element found may be replaced
            // before it is read, so every wait reads it again then.
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(driver -> driver.findElement(By.id("sign-in-form")).isDisplayed());
            screenshot(browser, "1-sign-in");

            browser.findElement(By.id("sign-in-user")).clear();
            browser.findElement(By.id("sign-in-user")).sendKeys("li.lei");
            new Select(browser.findElement(By.id("sign-in-role"))).selectByValue("sales");
            browser.findElement(By.id("sign-in-submit")).click();
            wait.until(driver -> driver.findElement(By.id("dashboard")).isDisplayed());
            ((JavascriptExecutor) browser).executeScript("window.loadedOnce = true;");

            // The company funnel: every customer is NEW and unowned.
            wait.until(driver -> funnelTotal(driver) >= 3);
            wait.until(driver -> !driver.findElements(By.cssSelector("#pool-list li[data-customer-id]"))
                    .isEmpty());
            assertThat(browser.findElement(By.cssSelector("#funnel-chart svg")).isDisplayed())
                    .as("ECharts drew the funnel")
                    .isTrue();
            screenshot(browser, "2-company-funnel");

            // My funnel: nothing held yet.
            new Select(browser.findElement(By.id("funnel-scope"))).selectByValue("OWNER");
            wait.until(driver -> funnelTotal(driver) == 0);

            // The pool list re-renders on every live update: find and click in one step, again if it moved.
            String customerId = wait.until(driver -> {
                try {
                    WebElement first = driver.findElement(By.cssSelector("#pool-list li[data-customer-id]"));
                    String id = first.getDomAttribute("data-customer-id");
                    first.findElement(By.cssSelector("button.claim")).click();
                    return id;
                } catch (StaleElementReferenceException e) {
                    return null;
                }
            });

            wait.until(driver -> !driver.findElements(
                            By.cssSelector("#mine-list li[data-customer-id='" + customerId + "']"))
                    .isEmpty());
            wait.until(driver -> funnelTotal(driver) == 1);
            assertThat(browser.findElement(By.id("toast")).getText()).startsWith("Claimed");
            assertThat(textOf(wait, By.cssSelector("#mine-list li[data-customer-id='" + customerId + "'] .left")))
                    .startsWith("returns in");
            screenshot(browser, "3-claimed");

            // Back to the company funnel; a new lead shows up in it live.
            new Select(browser.findElement(By.id("funnel-scope"))).selectByValue("TENANT");
            wait.until(driver -> funnelTotal(driver) == 3);
            ingest("Globex Industrial GmbH");
            wait.until(driver -> funnelTotal(driver) == 4);
            assertThat(textOf(wait, By.cssSelector("#funnel-rows tr[data-stage='NEW'] td[data-count]")))
                    .isEqualTo("4");

            // 查重 finds the claimed customer.
            browser.findElement(By.id("check-name")).sendKeys("蓝海电子");
            browser.findElement(By.id("check-submit")).click();
            wait.until(driver ->
                    driver.findElement(By.id("check-results")).getText().contains("深圳市蓝海电子有限公司"));

            assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce === true;"))
                    .as("everything above arrived without a page reload")
                    .isEqualTo(true);
            screenshot(browser, "4-live-update");

            browser.manage().window().setSize(new org.openqa.selenium.Dimension(412, 915));
            screenshot(browser, "5-phone");
        } catch (RuntimeException | AssertionError e) {
            screenshot(browser, "failure");
            throw e;
        } finally {
            browser.quit();
        }
    }

    /** The element's text, read again if the element was replaced between finding and reading it. */
    private static String textOf(WebDriverWait wait, By element) {
        return wait.until(driver -> driver.findElement(element).getText());
    }

    private static long funnelTotal(WebDriver driver) {
        String total = driver.findElement(By.id("funnel-chart")).getDomAttribute("data-total");
        return total == null ? -1 : Long.parseLong(total);
    }

    private static WebDriver chromium() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--lang=en-US",
                "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("leadflow-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(
                    SCREENSHOTS.resolve("dashboard-" + name + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("could not save screenshot " + name + ": " + e);
        }
    }

    private static void ingest(String companyName) throws Exception {
        String lead = """
                {"leadId":"%s","source":"web-form","company":{"name":"%s"},"contact":{"name":"王伟"}}""".formatted(UUID.randomUUID(), companyName);
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + services.ingestPort() + "/ingest/v1/leads"))
                        .header("X-Api-Key", INGEST_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(lead, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(path)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI api(String path) {
        return URI.create("http://localhost:" + services.apiPort() + path);
    }

    private static String token(String user, Role role) {
        return new TokenMinter(API_SECRET, null, Clock.systemUTC())
                .mint(new Viewer(TENANT, user, null, Set.of(role)), Duration.ofHours(1));
    }
}
