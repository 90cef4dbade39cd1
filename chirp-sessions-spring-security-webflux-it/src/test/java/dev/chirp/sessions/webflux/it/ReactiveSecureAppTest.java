package dev.chirp.sessions.webflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.springboot.autoconfigure.SessionSecretException;
import dev.chirp.sessions.webflux.WebFluxSessions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot WebFlux application on Reactor Netty, port 0, with Spring Security's defaults and nothing
 * of chirp's but the starter and {@code chirp.sessions.secret}, driven through real HTTP: the session is the
 * chirp cookie (Python's itsdangerous reads it), form login with CSRF stores {@code user_id}, logout ends
 * the session, and no {@code SESSION} cookie is ever set.
 */
class ReactiveSecureAppTest {

    static final String SECRET = "webflux-it-secret-0123456789abcdefghij";
    static final String COOKIE = "chirp_session";
    private static final TimedSerializer SERIALIZER = TimedSerializer.builder(SECRET).build();
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private static ConfigurableApplicationContext app;
    static URI base;

    @BeforeAll
    static void start() {
        app = start(Map.of("chirp.sessions.secret", SECRET));
        base = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }

    static ConfigurableApplicationContext start(Map<String, String> extra) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ReactiveApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "logging.level.org.openqa.selenium=ERROR",
                        "spring.security.user.name=" + ReactiveApplication.USER,
                        "spring.security.user.password=" + ReactiveApplication.PASSWORD,
                        "spring.security.user.roles=USER");
        extra.forEach((key, value) -> builder.properties(key + "=" + value));
        return builder.run();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theWebSessionManagerIsChirps() {
        assertThat(app.getBean("webSessionManager")).isInstanceOf(WebFluxSessions.class);
    }

    @Test
    void aProtectedPageSendsAnonymousVisitorsToTheLoginPageAndBackAfterLogin() throws Exception {
        Client client = new Client();
        Reply denied = client.get("/private");
        assertThat(denied.status()).isEqualTo(302);
        assertThat(denied.location()).endsWith("/login");
        assertThat(client.cookie).as("the saved request lives in the chirp cookie").isNotNull();

        Reply login = client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).endsWith("/private");

        Reply page = client.get("/private");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<p id=\"greeting\">hello ada</p>", "<p id=\"chirp-user\">ada</p>");
    }

    @Test
    void theLoginIsStoredAsPlainJsonThatChirpAndPythonRead() throws Exception {
        Client client = new Client();
        client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);

        Map<String, Object> session = client.session();
        assertThat(session).containsEntry("user_id", "ada").containsKey("_authentication");
        assertThat(session.keySet()).allMatch(key -> List.of("user_id", "_authentication", "_csrf_token").contains(key));
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) session.get("_authentication");
        assertThat(stored).containsEntry("name", "ada").containsEntry("type", "password");
        assertThat(stored.get("authorities")).asString().contains("ROLE_USER");
        pythonReadsTheUserId(client.cookie, "ada");
    }

    @Test
    void aLoginRegeneratesSoTheCookieFromBeforeLoginStaysAnonymous() throws Exception {
        Client client = new Client();
        client.get("/private");
        String preLogin = client.cookie;
        assertThat(preLogin).isNotNull();

        client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);
        assertThat(client.cookie).isNotEqualTo(preLogin);
        assertThat(client.get("/private").status()).isEqualTo(200);

        Client attacker = new Client();
        attacker.cookie = preLogin;
        Reply replayed = attacker.get("/private");
        assertThat(replayed.status()).isEqualTo(302);
        assertThat(replayed.location()).endsWith("/login");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Client client = new Client();
        Reply refused = client.login(ReactiveApplication.USER, "wrong");
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).endsWith("/login?error");
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void aLoginWithoutTheCsrfTokenIsRefused() throws Exception {
        Client client = new Client();
        client.get("/login");
        Reply refused = client.post("/login", "username=ada&password=lovelace");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void csrfProtectionRefusesAPostWithoutTheTokenAndAcceptsItWithTheToken() throws Exception {
        Client client = new Client();
        client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);
        String token = client.csrfTokenFrom("/private");

        assertThat(client.post("/transfer", "amount=1").status()).isEqualTo(403);
        assertThat(client.post("/transfer", "_csrf=not-the-token").status()).isEqualTo(403);
        Reply accepted = client.post("/transfer", "_csrf=" + encode(token));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("transferred for ada");
        assertThat(client.session().get("_csrf_token")).asString().hasSize(64);
    }

    @Test
    void logoutEndsTheSessionWithADeletionCookie() throws Exception {
        Client client = new Client();
        client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);
        String token = client.csrfTokenFrom("/private");

        Reply logout = client.post("/logout", "_csrf=" + encode(token));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).endsWith("/login?logout");
        assertThat(logout.sessionCookies()).singleElement().asString().contains("Max-Age=0");
        assertThat(client.cookie).isNull();
        assertThat(client.get("/private").status()).isEqualTo(302);
    }

    @Test
    void valuesKeptThroughSpringsWebSessionApiLiveInTheCookie() throws Exception {
        Client client = new Client();
        client.login(ReactiveApplication.USER, ReactiveApplication.PASSWORD);
        assertThat(client.get("/visits").body()).isEqualTo("visits=1");
        assertThat(client.get("/visits").body()).isEqualTo("visits=2");
        assertThat(client.session()).containsEntry("visits", 2);
    }

    @Test
    void aMissingSecretStopsStartupWithTheFailureAnalysis() {
        ReportedFailures.ANALYSES.clear();
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(SessionSecretException.class);
        assertThat(ReportedFailures.ANALYSES).hasSize(1);
        FailureAnalysis analysis = ReportedFailures.ANALYSES.get(0);
        assertThat(analysis.getDescription()).contains("chirp.sessions.secret", "none is set");
        assertThat(analysis.getAction()).contains("openssl rand -base64 32");
    }

    @Test
    void aShortSecretStopsStartupWithTheFailureAnalysis() {
        ReportedFailures.ANALYSES.clear();
        assertThatThrownBy(() -> start(Map.of("chirp.sessions.secret", "short")))
                .isInstanceOf(SessionSecretException.class);
        assertThat(ReportedFailures.ANALYSES).singleElement()
                .satisfies(analysis -> assertThat(analysis.getDescription()).contains("too short"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Python's itsdangerous, the reference for chirp's cookie, reads the user id; skipped only without it. */
    static void pythonReadsTheUserId(String cookie, String expected) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean available = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import itsdangerous")
                .redirectErrorStream(true).start().waitFor() == 0;
        Assumptions.assumeTrue(available, "python3 with itsdangerous is not installed: the Python cross-check is skipped");
        Process process = new ProcessBuilder(python.toString(), "-c",
                "import sys, itsdangerous; print(itsdangerous.URLSafeTimedSerializer(sys.argv[1]).loads(sys.argv[2], max_age=300)['user_id'])",
                SECRET, cookie).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("python output: %s", out).isZero();
        assertThat(out).isEqualTo(expected);
    }

    /** One browser: follows no redirects, keeps the chirp cookie it was last given, refuses a SESSION cookie. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String cookie;

        Reply get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        /**
         * Posts on a connection of its own. A POST that Spring Security refuses with 403, sent on a kept-alive
         * connection after a login, sometimes gets no answer from Reactor Netty (the JDK client times out);
         * it happens the same with Spring's own in-memory WebSession, so it is not the session's doing.
         */
        Reply post(String path, String form) throws IOException, InterruptedException {
            HttpClient fresh = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            return send(fresh, request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        /** Fetches the login page for its CSRF token, then posts the form as a browser does. */
        Reply login(String username, String password) throws IOException, InterruptedException {
            String token = csrfTokenFrom("/login");
            return post("/login", "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(token));
        }

        String csrfTokenFrom(String path) throws IOException, InterruptedException {
            Reply page = get(path);
            assertThat(page.status()).as("GET %s", path).isEqualTo(200);
            Matcher matcher = CSRF_INPUT.matcher(page.body());
            assertThat(matcher.find()).as("a CSRF field on %s: %s", path, page.body()).isTrue();
            return matcher.group(1);
        }

        /** The session the jar's cookie carries, verified with the application's secret. */
        Map<String, Object> session() {
            assertThat(cookie).as("the chirp cookie").isNotNull();
            LoadResult loaded = SERIALIZER.loads(cookie);
            assertThat(loaded.isVerified()).as("cookie verifies: %s", loaded).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> session = (Map<String, Object>) loaded.value();
            return session;
        }

        HttpRequest.Builder request(String path) {
            // A browser's Accept: Spring Security redirects it to the login page (a script gets a 401).
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
            return cookie == null ? b : b.header("Cookie", COOKIE + "=" + cookie);
        }

        Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return send(http, request);
        }

        Reply send(HttpClient client, HttpRequest.Builder request) throws IOException, InterruptedException {
            Reply reply = new Reply(client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            List<String> all = reply.response.headers().allValues("set-cookie");
            assertThat(all).as("Set-Cookie headers").allMatch(c -> c.startsWith(COOKIE + "="))
                    .noneMatch(c -> c.toUpperCase(Locale.ROOT).startsWith("SESSION="));
            List<String> set = reply.sessionCookies();
            assertThat(set).as("Set-Cookie headers for %s", COOKIE).hasSizeLessThanOrEqualTo(1);
            if (!set.isEmpty()) {
                String value = set.get(0).substring(COOKIE.length() + 1, set.get(0).indexOf(';'));
                cookie = set.get(0).contains("Max-Age=0") ? null : value;
            }
            return reply;
        }
    }

    record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String location() {
            return response.headers().firstValue("location").orElse("");
        }

        List<String> sessionCookies() {
            return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
        }
    }
}
