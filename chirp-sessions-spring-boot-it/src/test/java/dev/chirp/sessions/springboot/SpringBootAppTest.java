package dev.chirp.sessions.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.IOException;
import java.net.URI;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's Spring Boot registration in a real Spring Boot application (Spring MVC on embedded Tomcat, or
 * Jetty in chirp-sessions-spring-boot-jetty-it),
 * driven through real HTTP on port 0: every response that touched the session carries exactly one correct
 * session cookie and {@code Vary: Cookie}, whichever way Spring committed it.
 */
class SpringBootAppTest {

    private static final String SECRET = "spring-boot-it-secret-0123456789abcdef";
    private static final String COOKIE = "chirp_session";
    private static final TimedSerializer SERIALIZER = TimedSerializer.builder(SECRET).build();

    private static ConfigurableApplicationContext app;
    private static URI base;

    @BeforeAll
    static void start() {
        app = new SpringApplicationBuilder(ShopApplication.class)
                .properties("server.port=0", "CHIRP_SESSION_SECRET=" + SECRET, "spring.main.banner-mode=off")
                .run();
        base = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theCounterClimbsWithTheCookieAndRestartsWithoutIt() throws Exception {
        Client client = new Client();
        for (int n = 1; n <= 3; n++) {
            Reply reply = client.get("/count");
            assertThat(reply.body()).isEqualTo("n=" + n);
            assertThat(reply.session()).containsEntry("n", n);
        }
        String header = client.last.sessionCookieHeader();
        assertThat(header).contains("; Path=/").contains("; HttpOnly").contains("; SameSite=Lax")
                .contains("; Max-Age=86400").doesNotContain("Secure");

        assertThat(new Client().get("/count").body()).isEqualTo("n=1");
    }

    @Test
    void aRequestThatNeverTouchesTheSessionSetsNothing() throws Exception {
        Client client = new Client();
        client.get("/count");
        Reply health = client.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.sessionCookies()).isEmpty();
        assertThat(health.vary()).doesNotContain("Cookie");
    }

    @Test
    void aTamperedCookieIsAFreshSessionNotAnError() throws Exception {
        Client client = new Client();
        client.get("/count");
        client.get("/count");
        String good = client.cookie;
        client.cookie = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
        Reply reply = client.get("/count");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("n=1");
    }

    @Test
    void loginAndLogoutRedirectWithANewCookie() throws Exception {
        Client client = new Client();
        client.get("/count");
        String anonymous = client.cookie;

        Reply login = client.post("/login", "username=ada");
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.response.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l).endsWith("/whoami"));
        assertThat(client.cookie).isNotEqualTo(anonymous);
        assertThat(login.session()).isEqualTo(Map.of("user_id", "ada"));
        assertThat(client.get("/whoami").body()).isEqualTo("user=ada");

        Reply logout = client.post("/logout", "");
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.sessionCookies()).hasSize(1);
        assertThat(client.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void aSpringForwardKeepsTheCookie() throws Exception {
        Reply reply = new Client().get("/via-forward");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("n=1");
        assertThat(reply.session()).isEqualTo(Map.of("forwarded", true, "n", 1));
    }

    @Test
    void aHandlerThatThrowsGetsBootsErrorPageAndSavesNothing() throws Exception {
        Client client = new Client();
        client.get("/count");
        Reply boom = quietly(() -> client.get("/boom"));
        assertThat(boom.status()).isEqualTo(500);
        assertThat(boom.sessionCookies()).isEmpty();
        assertThat(client.get("/session").body()).isEqualTo("{\"n\":1}");
    }

    @Test
    void sendErrorThroughResponseStatusExceptionKeepsTheChangeMadeBefore() throws Exception {
        Client client = new Client();
        client.get("/count");
        Reply gone = client.get("/gone");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.session()).isEqualTo(Map.of("n", 1, "saw404", true));
        assertThat(gone.vary()).contains("Cookie");
    }

    @Test
    void aBodyWithAKnownLengthLargerThanTheBufferKeepsTheCookie() throws Exception {
        Reply big = new Client().get("/big");
        assertThat(big.status()).isEqualTo(200);
        assertThat(big.body()).hasSize(ShopController.BIG_BODY_BYTES);
        assertThat(big.session()).isEqualTo(Map.of("big", true));
    }

    @Test
    void aStreamedBodyWrittenOnAnotherThreadKeepsTheCookie() throws Exception {
        Reply stream = new Client().get("/stream");
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.body()).hasSize(ShopController.STREAM_CHUNKS * ShopController.CHUNK_BYTES);
        assertThat(stream.session())
                .isEqualTo(Map.of("streamStarted", true, "streamedChunks", ShopController.STREAM_CHUNKS));
    }

    @Test
    void aCallableChangesTheSessionOnSpringsExecutor() throws Exception {
        Client client = new Client();
        client.get("/count");
        Reply reply = client.get("/callable");
        assertThat(reply.body()).isEqualTo("n=2");
        assertThat(reply.session()).isEqualTo(Map.of("n", 2));
        assertThat(client.get("/count").body()).isEqualTo("n=3");
    }

    @Test
    void aDeferredResultSetFromAnotherThreadKeepsTheCookie() throws Exception {
        Client client = new Client();
        client.get("/count");
        Reply reply = client.get("/deferred");
        assertThat(reply.body()).isEqualTo("n=2");
        assertThat(reply.session()).isEqualTo(Map.of("n", 2));
    }

    @Test
    void theReadmeShowsThisApplicationsRegistrationWordForWord() throws IOException {
        String source = Files.readString(Path.of(
                "..", "chirp-sessions-spring-boot-it", "src/test/java/dev/chirp/sessions/springboot/ShopApplication.java"));
        String tested = between(source, "// README: spring-boot example begins\n", "    // README: spring-boot example ends");
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(normalize(readme)).contains(normalize(tested));
    }

    private static String between(String text, String begin, String end) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("marker %s", begin.strip()).isNotNegative();
        assertThat(to).as("marker %s", end.strip()).isGreaterThan(from);
        return text.substring(from + begin.length(), to);
    }

    /** Indentation-insensitive: the README shows the beans without the class around them. */
    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }

    /** One browser: follows no redirects, keeps the session cookie it was last given. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String cookie;
        Reply last;

        Reply get(String path) throws IOException, InterruptedException {
            return send(request(path).GET());
        }

        Reply post(String path, String form) throws IOException, InterruptedException {
            return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
            return cookie == null ? b : b.header("Cookie", COOKIE + "=" + cookie);
        }

        private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
            Reply reply = new Reply(response);
            List<String> set = reply.sessionCookies();
            assertThat(set).as("Set-Cookie headers for %s", COOKIE).hasSizeLessThanOrEqualTo(1);
            if (!set.isEmpty()) {
                assertThat(reply.vary()).as("Vary on a response that sets the session cookie").contains("Cookie");
                String value = set.get(0).substring(COOKIE.length() + 1, set.get(0).indexOf(';'));
                cookie = set.get(0).contains("Max-Age=0") ? null : value;
            }
            last = reply;
            return reply;
        }
    }

    private record Reply(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        List<String> sessionCookies() {
            return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).toList();
        }

        String sessionCookieHeader() {
            assertThat(sessionCookies()).hasSize(1);
            return sessionCookies().get(0);
        }

        List<String> vary() {
            return response.headers().allValues("vary").stream()
                    .flatMap(v -> List.of(v.split(",")).stream()).map(String::strip)
                    .map(v -> v.substring(0, 1).toUpperCase(Locale.ROOT) + v.substring(1)).toList();
        }

        /** The session this response's cookie carries, verified with the application's secret. */
        Map<String, Object> session() {
            String header = sessionCookieHeader();
            LoadResult loaded = SERIALIZER.loads(header.substring(COOKIE.length() + 1, header.indexOf(';')));
            assertThat(loaded.isVerified()).as("cookie verifies: %s", loaded).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, Object> session = (Map<String, Object>) loaded.value();
            return session;
        }
    }

    /** A request that fails on purpose, without the container's error log and stack trace for it. */
    private static Reply quietly(Request request) throws Exception {
        // Tomcat logs the handler's exception as an error with a stack trace, Jetty as a warning: both
        // expected here, and fifty lines each that would bury a real warning in the build's output.
        LoggingSystem logging = LoggingSystem.get(SpringBootAppTest.class.getClassLoader());
        List<String> loggers = List.of("org.apache.catalina.core", "org.eclipse.jetty.ee11.servlet.ServletChannel");
        loggers.forEach(name -> logging.setLogLevel(name, LogLevel.OFF));
        try {
            return request.send();
        } finally {
            loggers.forEach(name -> logging.setLogLevel(name, null));
        }
    }

    @FunctionalInterface
    private interface Request {
        Reply send() throws Exception;
    }
}
