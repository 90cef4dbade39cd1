package dev.chirp.sessions.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionFormat;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.redis.RedisSessionStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import redis.embedded.RedisServer;

/**
 * Proof that nothing blocks a Reactor Netty event-loop thread: every test of this module runs under
 * BlockHound (installed by blockhound-junit-platform, recording through {@link RecordingBlockHound}), and
 * these drive whole session flows through real HTTP with the cookie store and with the Redis store on a
 * real redis-server, then check that BlockHound saw no blocking call. Two controls show the check can
 * fail: a handler that sleeps, and the Redis store forced onto the event loop.
 */
class NoBlockingTest {

    private static RedisServer redis;
    private static int redisPort;

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").soutListener(line -> { }).serrListener(line -> { }).build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
    }

    @BeforeEach
    void clear() {
        RecordingBlockHound.VIOLATIONS.clear();
    }

    @Test
    void blockHoundCatchesABlockingCallOnTheEventLoop() {
        try (TestApp app = new TestApp(cookieMiddleware(SessionFormat.CHIRP))) {
            HttpResponse<String> response = new Client(app.base(), "chirp_session").get("/block");
            assertThat(response.statusCode()).isEqualTo(500);
        }
        assertThat(RecordingBlockHound.VIOLATIONS).anySatisfy(violation ->
                assertThat(violation).contains("sleep").contains("reactor-http"));
    }

    @Test
    void theCookieStoreNeverBlocksTheEventLoop() {
        for (SessionFormat format : SessionFormat.values()) {
            SessionMiddleware middleware = cookieMiddleware(format);
            try (TestApp app = new TestApp(middleware)) {
                runFlows(new Client(app.base(), middleware.config().cookieName()));
            }
        }
        assertThat(RecordingBlockHound.VIOLATIONS).isEmpty();
    }

    @Test
    void theRedisStoreRunsOnTheBoundedSchedulerAndNeverBlocksTheEventLoop() {
        try (RedisSessionStore store = RedisSessionStore.builder("redis://127.0.0.1:" + redisPort).build()) {
            SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(WebFluxSessionsTest.SECRET)
                    .store(store).build());
            try (TestApp app = new TestApp(middleware)) {
                Client client = new Client(app.base(), "chirp_session");
                runFlows(client);
                client.get("/put?key=user&value=ada");
                assertThat(client.cookie).as("the cookie carries an id, the data is in Redis").isNotNull();
                assertThat(client.get("/get?key=user").body()).isEqualTo("ada");
            }
        }
        assertThat(RecordingBlockHound.VIOLATIONS).isEmpty();
    }

    @Test
    void theRedisStoreOnTheEventLoopIsCaught() {
        try (RedisSessionStore store = RedisSessionStore.builder("redis://127.0.0.1:" + redisPort).build()) {
            SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(WebFluxSessionsTest.SECRET)
                    .store(store).build());
            WebFluxSessions inPlace = WebFluxSessions.builder(middleware).storeScheduler(Schedulers.immediate()).build();
            try (TestApp app = new TestApp(inPlace)) {
                // A reply that is already in when the store waits for it never parks the thread, so one
                // round can pass unseen on a fast loopback; a bounded number of rounds cannot, unless
                // nothing is watching.
                for (int round = 0; round < 50 && RecordingBlockHound.VIOLATIONS.isEmpty(); round++) {
                    Client client = new Client(app.base(), "chirp_session");
                    client.get("/put?key=user&value=ada");
                    client.get("/get?key=user");
                    client.get("/invalidate");
                }
            }
        }
        assertThat(RecordingBlockHound.VIOLATIONS).isNotEmpty();
    }

    private static SessionMiddleware cookieMiddleware(SessionFormat format) {
        return new SessionMiddleware(SessionConfig.builder(WebFluxSessionsTest.SECRET).format(format).build());
    }

    /** Every session operation once, each answered with a 200. */
    private static void runFlows(Client client) {
        Function<String, String> ok = path -> {
            HttpResponse<String> response = client.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        };
        ok.apply("/put?key=user&value=ada");
        assertThat(ok.apply("/get?key=user")).isEqualTo("ada");
        assertThat(ok.apply("/attr")).isEqualTo("ada");
        ok.apply("/nested");
        ok.apply("/change");
        ok.apply("/flash?message=hi");
        ok.apply("/flashes");
        String token = ok.apply("/csrf");
        assertThat(client.postForm("/form", "_csrf_token=" + token).statusCode()).isEqualTo(200);
        assertThat(ok.apply("/login?user=grace")).isEqualTo("grace");
        ok.apply("/invalidate");
        ok.apply("/put?key=user&value=ada");
        ok.apply("/logout");
    }
}
