package dev.chirp.sessions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoAppTest {

    private final Map<String, String> env = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private DemoApp app;

    private int run(String... args) {
        app = new DemoApp(env, new PrintWriter(out, true), new PrintWriter(err, true));
        return DemoApp.commandLine(app).execute(args);
    }

    @AfterEach
    void stop() {
        if (app != null && app.server() != null) {
            app.server().close();
        }
    }

    @Test
    void withPortZeroItPrintsTheAddressItBound() throws Exception {
        env.put(DemoApp.SECRET_ENV, "demo-app-test-secret-0123456789abcdef");

        int exitCode = run("--port", "0");

        assertThat(exitCode).isZero();
        int port = app.server().port();
        assertThat(port).isPositive();
        assertThat(out.toString()).isEqualTo("chirp-sessions demo listening on http://127.0.0.1:" + port
                + "/ (sessions in the signed cookie)\n");
        assertThat(err.toString()).isEmpty();
        assertThat(new Browser(app.server().uri()).get("/health").body()).isEqualTo("ok\n");
    }

    @Test
    void withoutASecretItWarnsThatSessionsEndAtRestart() {
        int exitCode = run("--port", "0");

        assertThat(exitCode).isZero();
        assertThat(err.toString()).isEqualTo("chirp-sessions demo: warning: CHIRP_SESSION_SECRET is not set, so a random "
                + "secret is used and every session ends when the demo restarts; set it (e.g. from 'chirp-session "
                + "keygen') to keep them\n");
    }

    @Test
    void sessionsSurviveARestartWhenTheSecretIsSet() throws Exception {
        env.put(DemoApp.SECRET_ENV, "demo-app-test-secret-0123456789abcdef");
        run("--port", "0");
        Browser browser = new Browser(app.server().uri());
        browser.get("/");
        browser.get("/");
        app.server().close();

        run("--port", "0");
        Browser same = new Browser(app.server().uri());
        same.cookie = browser.cookie;

        assertThat(same.get("/").body()).contains("Visits: 3");
    }

    @Test
    void theStartupLineNamesTheStoreWithoutItsPassword() {
        DemoApp options = new DemoApp(env, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(DemoApp.storeInUse(options)).isEqualTo("the signed cookie");
        options.redis = "rediss://app:s3cret@redis.internal:6380/2";
        assertThat(DemoApp.storeInUse(options)).isEqualTo("Redis at rediss://redis.internal:6380/2");
        options.redis = null;
        options.jdbc = "jdbc:postgresql://db.internal:5432/shop?user=app&password=s3cret";
        assertThat(DemoApp.storeInUse(options)).isEqualTo("PostgreSQL at jdbc:postgresql://db.internal:5432/shop");
    }

    @Test
    void helpWrapsAtWordsNotMidSentence() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).startsWith("Usage: chirp-sessions-demo");
        dev.chirp.sessions.testkit.HelpText.assertWrapsOnlyWhereFull(out.toString(), 80);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertThat(run("--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("chirp-sessions demo: --port must be between 0 and 65535: 70000; "
                + "use 0 for any free port\nTry 'chirp-sessions-demo --help'.\n");
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() {
        assertThat(run("--port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).startsWith("chirp-sessions demo: Invalid value for option '--port'");
    }

    @Test
    void aPortInUseIsOneLineAndExitOne() {
        env.put(DemoApp.SECRET_ENV, "demo-app-test-secret-0123456789abcdef");
        run("--port", "0");
        DemoApp first = app;
        int taken = first.server().port();
        try {
            int exitCode = run("--port", String.valueOf(taken));

            assertThat(exitCode).isEqualTo(1);
            assertThat(err.toString()).startsWith("chirp-sessions demo: cannot start: ")
                    .endsWith("; is the port in use? try --port 0\n").hasLineCount(1);
        } finally {
            first.server().close();
        }
    }

    @Test
    void aHostThatIsNotAnAddressIsAUsageErrorAboutTheHost() {
        assertThat(run("--port", "0", "--host", "256.1.1.1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("chirp-sessions demo: --host must be an IPv4 address with numbers from "
                + "0 to 255, or a host name: 256.1.1.1; use 127.0.0.1").doesNotContain("port in use");
    }

    @Test
    void aHostOfAnotherMachineIsAUsageErrorAboutTheHost() {
        assertThat(run("--port", "0", "--host", "192.0.2.1")).isEqualTo(2); // TEST-NET-1: never local
        assertThat(err.toString()).startsWith("chirp-sessions demo: --host must be an address of this machine: "
                + "192.0.2.1;").doesNotContain("port in use");
    }

    @Test
    void anUnreachableRedisNamesTheRedisOptionNotAJavaApi() throws Exception {
        env.put(DemoApp.SECRET_ENV, "demo-app-test-secret-0123456789abcdef");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThat(run("--port", "0", "--redis", "redis://127.0.0.1:" + closedPort)).isEqualTo(1);

        assertThat(err.toString()).startsWith("chirp-sessions demo: cannot start: --redis cannot connect to "
                + "redis://127.0.0.1:" + closedPort + ": ")
                .endsWith("; start Redis there, or fix the --redis option\n")
                .doesNotContain("RedisSessionStore").doesNotContain("port in use").hasLineCount(1);
    }

    @Test
    void aRedisOptionThatIsNotAUriNamesTheOptionAndHidesThePassword() {
        env.put(DemoApp.SECRET_ENV, "demo-app-test-secret-0123456789abcdef");

        assertThat(run("--port", "0", "--redis", "redis://:pa/ss@127.0.0.1:notaport")).isEqualTo(1);

        assertThat(err.toString()).startsWith("chirp-sessions demo: cannot start: --redis must be a Redis URI")
                .doesNotContain("pa/ss").doesNotContain("RedisSessionStore").hasLineCount(1);
    }
}
