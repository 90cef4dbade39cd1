package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import redis.embedded.RedisServer;

/**
 * The demo shop in a real browser, headless Chromium driven by Selenium, on Redis (so that the account page
 * lists devices): a visitor fills the cart, logs in and keeps it, sees their devices, and meets the 404 and
 * the stale-form 403. Every page is saved as a screenshot under {@code target/screenshots/} for a reviewer.
 * Skipped, with a message, when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
class DemoBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String SECRET = "demo-browser-secret-0123456789abcdef-0123456789";

    // Selenium logs through java.util.logging; held so that the level set here is not collected away.
    private static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

    private static RedisServer redis;
    private static DemoServer demo;
    private static Path profile;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium tour skipped: install Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + ") to run it");
        int redisPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        DemoApp app = new DemoApp(Map.of(DemoApp.SECRET_ENV, SECRET), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        assertThat(DemoApp.commandLine(app).execute("--port", "0", "--redis", "redis://127.0.0.1:" + redisPort))
                .isZero();
        demo = app.server();

        // "Unable to find CDP implementation matching NNN": Debian's Chromium is newer than Selenium's
        // DevTools bindings, which this test does not use.
        SELENIUM.setLevel(java.util.logging.Level.SEVERE);
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("chirp-demo-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aVisitorShopsLogsInKeepsTheCartAndSeesTheirDevices() throws Exception {
        open("/");
        assertThat(browser.findElements(By.cssSelector("article.product"))).hasSize(Catalog.PRODUCTS.size());
        assertThat(browser.findElement(By.cssSelector("header nav")).getText()).doesNotContain("Health", "JSON");
        assertThat(styled(By.cssSelector("header.top"))).as("the stylesheet applies").isTrue();
        screenshot("01-shop");

        addToCart("Sencha");
        addToCart("Stoneware mug");
        wait.until(ExpectedConditions.urlContains("/cart"));
        assertThat(browser.findElement(By.cssSelector(".total")).getText()).contains("€22.50");
        screenshot("02-cart");

        open("/");
        browser.findElement(By.name("username")).sendKeys("alice");
        browser.findElement(By.cssSelector("#login button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "Logged in as alice."));
        assertThat(browser.findElement(By.id("cart-count")).getText()).as("the cart survived the login").isEqualTo("2");
        screenshot("03-logged-in");

        // A second device: the same user from another client.
        new Browser(demo.uri()).post("/login", Map.of("username", "alice"));
        open("/account");
        assertThat(browser.findElements(By.cssSelector("ul.devices li"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("ul.devices .current"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("ul.devices")).getText()).contains("just now");
        assertThat(browser.findElement(By.cssSelector("ul.devices time")).getCssValue("white-space")).isEqualTo("nowrap");
        screenshot("04-account");

        open("/no-such-page");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
        screenshot("05-not-found");

        // A form gone stale: its token no longer matches the session (as after a login in another tab).
        open("/cart");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelectorAll('input[name=_csrf_token]').forEach(i => i.value = '0'.repeat(64));");
        browser.findElement(By.cssSelector("aside input[name=item]")).sendKeys("biscuits");
        browser.findElement(By.cssSelector("aside button")).click();
        wait.until(ExpectedConditions.titleContains("This form has expired"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Reload the page and try again.");
        assertThat(browser.findElement(By.linkText("Reload and try again")).getAttribute("href")).endsWith("/cart");
        screenshot("06-stale-form");

        open("/session");
        screenshot("07-session-json");
        open("/health");
        screenshot("08-health");
    }

    private static void open(String path) {
        browser.get(demo.uri().resolve(URI.create(path)).toString());
    }

    private static void addToCart(String product) {
        open("/");
        browser.findElement(By.xpath("//article[h3='" + product + "']//button")).click();
        wait.until(ExpectedConditions.urlContains("/cart"));
    }

    private static boolean styled(By element) {
        return !browser.findElement(element).getCssValue("background-color").equals("rgba(0, 0, 0, 0)");
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
