package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Issue 4's acceptance check, automated: two demo instances that share nothing but a Redis server (started
 * here from the binary embedded-redis ships) and the secret.
 */
class DemoRedisTest {

    private static final String SECRET = "demo-redis-secret-0123456789abcdef-0123456789";

    private static RedisServer redis;
    private static int redisPort;
    private static DemoServer first;
    private static DemoServer second;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        first = startDemo();
        second = startDemo();
    }

    private static DemoServer startDemo() {
        DemoApp app = new DemoApp(Map.of(DemoApp.SECRET_ENV, SECRET), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        int exit = DemoApp.commandLine(app).execute("--port", "0", "--redis", "redis://127.0.0.1:" + redisPort);
        assertThat(exit).isZero();
        return app.server();
    }

    @AfterAll
    static void stop() throws IOException {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void aUserLoggedInOnOneInstanceIsLoggedInOnTheOtherAndLogoutEndsItOnBoth() throws Exception {
        Browser onFirst = new Browser(first.uri());
        onFirst.post("/login", Map.of("username", "alice"));
        String loggedIn = onFirst.cookie;
        assertThat(loggedIn).isNotNull();
        assertThat(redis("DBSIZE")).isNotEqualTo(":0");

        Browser onSecond = new Browser(second.uri());
        onSecond.cookie = loggedIn;
        assertThat(onSecond.get("/").body()).contains("alice");

        onSecond.post("/logout", Map.of());

        for (DemoServer server : new DemoServer[] {first, second}) {
            Browser replay = new Browser(server.uri());
            replay.cookie = loggedIn;
            assertThat(replay.get("/session").body()).doesNotContain("alice");
        }
    }

    @Test
    void logOutEverywhereOnOneInstanceEndsTheSessionOnTheOtherAndANewLoginWorks() throws Exception {
        Browser laptop = new Browser(first.uri());
        Browser phone = new Browser(second.uri());
        laptop.post("/login", Map.of("username", "frank"));
        phone.post("/login", Map.of("username", "frank"));

        String account = laptop.get("/account").body();
        assertThat(account.split("<li class=\"device", -1).length - 1).as(account).isEqualTo(2);
        assertThat(account.split("This device", -1).length - 1).isEqualTo(1);
        assertThat(phone.postWithoutToken("/logout/everywhere", Map.of()).statusCode()).isEqualTo(403);
        assertThat(phone.get("/").body()).contains("Hello, <strong>frank</strong>");

        assertThat(laptop.post("/logout/everywhere", Map.of()).statusCode()).isEqualTo(303);
        assertThat(laptop.get("/").body()).contains("Logged out everywhere (2 sessions).");
        assertThat(phone.get("/").body()).doesNotContain("Hello,");

        phone.post("/login", Map.of("username", "frank"));
        assertThat(phone.get("/").body()).contains("Hello, <strong>frank</strong>");
        String after = phone.get("/account").body();
        assertThat(after.split("<li class=\"device", -1).length - 1).isEqualTo(1);
        assertThat(after).contains("This device");
    }

    @Test
    void logOutOtherSessionsKeepsThisDevice() throws Exception {
        Browser laptop = new Browser(first.uri());
        Browser phone = new Browser(second.uri());
        Browser tablet = new Browser(first.uri());
        for (Browser b : new Browser[] {laptop, phone, tablet}) {
            b.post("/login", Map.of("username", "gina"));
        }
        assertThat(phone.post("/logout/others", Map.of()).statusCode()).isEqualTo(303);
        assertThat(phone.get("/account").body()).contains("Logged out 2 other sessions.").contains("This device");
        assertThat(laptop.get("/").body()).doesNotContain("Hello,");
        assertThat(tablet.get("/").body()).doesNotContain("Hello,");
        assertThat(phone.get("/").body()).contains("Hello, <strong>gina</strong>");
    }

    @Test
    void requestsThatNeverWriteCreateNoKey() throws Exception {
        redis("FLUSHALL");
        Browser browser = new Browser(second.uri());
        browser.get("/health");
        browser.get("/session");
        assertThat(redis("DBSIZE")).isEqualTo(":0");
        // (A page with a form, /cart for one, stores the session's CSRF token, so it writes.)
        browser.get("/");
        assertThat(redis("DBSIZE")).isEqualTo(":1");
    }

    @Test
    void aRedisOutageIsAShort503AndTheAppRecoversWhenRedisReturns() throws Exception {
        Browser browser = new Browser(first.uri());
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
        // The store logs the outage it is meant to log: captured and checked here, not printed.
        // Lettuce's reconnect attempts too (the demo's main() turns them down; tests do not run main()).
        try (LogCapture log = LogCapture.of("dev.chirp.sessions.redis");
             LogCapture lettuce = LogCapture.of("io.lettuce.core")) {
            outageAndRecovery(browser);
            assertThat(log.warnings()).isNotEmpty().allMatch(w -> w.contains("redis://127.0.0.1:" + redisPort));
        }
    }

    private static void outageAndRecovery(Browser browser) throws Exception {
        redis.stop();
        try {
            java.net.http.HttpResponse<String> down = browser.get("/");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(down.body()).contains("Sessions are unavailable").doesNotContain("Exception");
            assertThat(browser.get("/health").statusCode()).isEqualTo(200);
        } finally {
            redis.start();
        }
        // Both instances reconnect by themselves (the other tests need the second one too).
        for (DemoServer server : new DemoServer[] {first, second}) {
            Browser probe = new Browser(server.uri());
            Await.until(Duration.ofSeconds(30), () -> "recovered without a restart: " + server.uri(),
                    () -> status(probe, "/") == 200);
        }
    }

    private static int status(Browser browser, String path) {
        try {
            return browser.get(path).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends one inline command and returns the first reply line, e.g. ":0". */
    private static String redis(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", redisPort), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }
}
