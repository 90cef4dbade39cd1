package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Redis going away and coming back under a running store: requests fail closed and fast with a clear
 * {@link SessionStoreException}, the outage is logged once, and the store recovers without a restart.
 * The server requires a password, so the tests also check that it never leaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {

    private static final String PASSWORD = "hunter2-redis-pass";
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    // The store's default is 30 s; the tests move the outage log's ticker past it instead of waiting.
    private static final Duration CALM = Duration.ofMillis(300);
    private final AtomicLong ticker = new AtomicLong();

    private LogCapture captured;

    private RedisProcess server;
    private RedisSessionStore store;
    private SessionMiddleware middleware;

    @BeforeAll
    void start() {
        server = RedisProcess.launch("--requirepass", PASSWORD);
        store = RedisSessionStore.builder("redis://:" + PASSWORD + "@127.0.0.1:" + server.port())
                .commandTimeout(TIMEOUT).outageCalm(CALM).outageTicker(ticker::get).build();
        middleware = new SessionMiddleware(SessionConfig.builder(RedisStoreContract.SECRET).store(store).build());
    }

    @AfterAll
    void stop() {
        store.close();
        server.close();
    }

    @BeforeEach
    void captureLogs() {
        server.start();
        awaitRecovery();
        awaitCalm(); // so that the end of an earlier test's outage is not logged during this one
        captured = LogCapture.of("dev.chirp.sessions.redis");
    }

    @AfterEach
    void stopCapturing() {
        captured.close();
    }

    @Test
    void outageFailsRequestsAtOnceNamingTheAddressButNeverThePassword() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("user", "alice"));
        server.kill();

        // "At once": the store knows the connection is gone and rejects the command, rather than wait
        // for the command timeout (the message says which; elapsed time would flake on a busy machine).
        assertThatThrownBy(() -> browser.request(s -> s.get("user")))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageStartingWith("session store failed: redis://127.0.0.1:" + server.port()
                        + " did not complete HGETALL (")
                .hasMessageEndingWith("); the request fails closed rather than run with a wrong session, and "
                        + "the store reconnects by itself")
                .hasMessageNotContaining("no answer within")
                .hasMessageNotContaining(PASSWORD);

        assertThatThrownBy(() -> new Browser(middleware).request(s -> s.put("new", true)))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageContaining("did not complete HSET");
        Browser.Response untouched = new Browser(middleware).request(s -> { });
        assertThat(untouched.setsCookie()).isFalse(); // requests that never touch the session still work
        assertThat(captured.records()).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain(PASSWORD));
    }

    @Test
    void outageIsLoggedOncePerBurstAndItsEndOnce() {
        server.kill();
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> new Browser(middleware).request(s -> s.put("n", 1)))
                    .isInstanceOf(SessionStoreException.class);
        }
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0).getMessage())
                .contains("redis://127.0.0.1:" + server.port())
                .contains("Requests that use the session fail with SessionStoreException until Redis answers again");

        server.start();
        awaitRecovery();
        awaitCalm();
        List<LogRecord> infos = captured.records().stream().filter(r -> r.getLevel() == Level.INFO).toList();
        assertThat(infos).hasSize(1);
        assertThat(infos.get(0).getMessage()).contains("answers again").contains("session operations failed meanwhile");

        server.kill();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> new Browser(middleware).request(s -> s.put("n", 1)))
                    .isInstanceOf(SessionStoreException.class);
        }
        assertThat(warnings()).hasSize(2); // a new burst is logged again
    }

    @Test
    void storeRecoversByItselfWhenRedisReturns() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("user", "alice"));
        server.kill();
        assertThatThrownBy(() -> browser.request(s -> s.get("user"))).isInstanceOf(SessionStoreException.class);

        server.start();
        awaitRecovery(); // fails the test if the store has not recovered within 30 s
        // The restarted server had no persistence: the old session is gone, the cookie yields an empty one.
        assertThat(RedisStoreContract.read(browser, "user")).isNull();
        browser.request(s -> s.put("user", "bob"));
        assertThat(RedisStoreContract.read(browser, "user")).isEqualTo("bob");
    }

    @Test
    void hungRedisFailsOneRequestAfterTheCommandTimeoutThenTheRestAtOnceAndLateAnswersGoToNobody() {
        Browser alice = new Browser(middleware);
        alice.request(s -> s.put("user", "alice"));
        Browser bob = new Browser(middleware);
        bob.request(s -> s.put("user", "bob"));

        server.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> alice.request(s -> s.get("user")))
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("did not complete HGETALL (no answer within 300 ms)");
            // It waited for the timeout (a busy machine may wait longer, never much shorter).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50));
            assertThat(store.isAvailable()).isFalse();
            // The circuit breaker is open: later requests are not even sent, so nobody waits again.
            for (Browser browser : List.of(bob, alice)) {
                assertThatThrownBy(() -> browser.request(s -> s.get("user")))
                        .isInstanceOf(SessionStoreException.class)
                        .hasMessageContaining("did not complete HGETALL (not sent: Redis stopped answering and has "
                                + "not answered a probe since)")
                        .hasMessageNotContaining(PASSWORD);
            }
        } finally {
            server.resume();
        }
        awaitRecovery();
        // The late answers to the timed-out GETs arrive now; each must be dropped, not handed to the
        // next request on the shared connection.
        assertThat(RedisStoreContract.read(bob, "user")).isEqualTo("bob");
        assertThat(RedisStoreContract.read(alice, "user")).isEqualTo("alice");
        assertThat(RedisStoreContract.read(bob, "user")).isEqualTo("bob");
    }

    private List<LogRecord> warnings() {
        return captured.records().stream().filter(r -> r.getLevel() == Level.WARNING).toList();
    }

    /** Polls with a real request until the store answers, for at most a generous 30 s. */
    private void awaitRecovery() {
        Await.until(Duration.ofSeconds(30), () -> "the store answers again", () -> {
            try {
                probe();
                return true;
            } catch (SessionStoreException stillDown) {
                return false;
            }
        });
    }

    /** Once Redis answers: moves the outage log past the calm period; then one success ends the outage. */
    private void awaitCalm() {
        ticker.addAndGet(CALM.toNanos() + 1);
        probe();
    }

    private void probe() {
        new Browser(middleware).request(s -> s.put("probe", 1)); // a write always reaches Redis
    }
}
