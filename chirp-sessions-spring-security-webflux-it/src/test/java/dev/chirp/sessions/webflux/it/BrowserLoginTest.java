package dev.chirp.sessions.webflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The login flow of the WebFlux application in a real browser, headless Chromium driven by Selenium: Spring
 * Security's own login page, the protected page, its logout form, with only the chirp cookie in the
 * browser's jar and never a {@code SESSION} cookie. Skipped, with a message, only when Debian's
 * {@code chromium} and {@code chromium-driver} are not installed ({@code .ci/run} installs them).
 */
class BrowserLoginTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static ConfigurableApplicationContext app;
    private static URI base;
    private static Path profile;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium flow skipped: install Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + ") to run it");
        app = ReactiveSecureAppTest.start(Map.of("chirp.sessions.secret", ReactiveSecureAppTest.SECRET));
        base = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
        profile = Files.createTempDirectory("chirp-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aVisitorLogsInThroughTheFormSeesTheProtectedPageAndLogsOut() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get(base.resolve("/private").toString());
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys(ReactiveApplication.USER);
        browser.findElement(By.id("password")).sendKeys(ReactiveApplication.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(ExpectedConditions.urlContains("/private"));
        assertThat(browser.findElement(By.id("greeting")).getText()).isEqualTo("hello ada");
        assertThat(browser.findElement(By.id("chirp-user")).getText()).isEqualTo("ada");
        assertThat(browser.manage().getCookies()).extracting(Cookie::getName)
                .containsExactly(ReactiveSecureAppTest.COOKIE);
        Cookie loggedIn = browser.manage().getCookieNamed(ReactiveSecureAppTest.COOKIE);
        assertThat(loggedIn.isHttpOnly()).isTrue();

        browser.findElement(By.id("logout-button")).click();
        wait.until(ExpectedConditions.urlContains("/login?logout"));
        assertThat(browser.manage().getCookies()).extracting(Cookie::getName).doesNotContain("SESSION");
        Cookie after = browser.manage().getCookieNamed(ReactiveSecureAppTest.COOKIE);
        assertThat(after == null ? null : after.getValue()).isNotEqualTo(loggedIn.getValue());

        browser.get(base.resolve("/private").toString());
        wait.until(ExpectedConditions.urlContains("/login"));
        assertThat(browser.manage().getCookies()).extracting(Cookie::getName).doesNotContain("SESSION");
    }
}
