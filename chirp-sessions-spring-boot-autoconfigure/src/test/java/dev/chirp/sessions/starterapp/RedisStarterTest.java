package dev.chirp.sessions.starterapp;

import dev.chirp.sessions.springboot.autoconfigure.SessionMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.redis.RedisSessionStore;
import dev.chirp.sessions.signing.TimedSerializer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code chirp.sessions.store=redis} in a real Boot application against a real Redis with a password,
 * configured only through Boot's own {@code spring.data.redis.*} settings.
 */
class RedisStarterTest {

    private static TestRedis redis;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("chirp.sessions.secret", StarterApp.SECRET);
        properties.put("chirp.sessions.store", "redis");
        properties.put("chirp.sessions.redis.key-prefix", "shop:session:");
        properties.put("chirp.sessions.redis.max-sessions-per-user", "7");
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.data.redis.password", TestRedis.PASSWORD);
        properties.put("management.endpoints.web.exposure.include", "metrics,health");
        properties.put("management.endpoint.health.show-components", "always");
        properties.put("management.endpoint.health.show-details", "always");
        app = StarterApp.start(properties);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        redis.close();
    }

    @Test
    void storeIsRedisOnBootsConnectionSettings() {
        assertThat(app.getBean(SessionConfig.class).store().toString())
                .contains("127.0.0.1:" + redis.port(), "shop:session:").doesNotContain(TestRedis.PASSWORD);
        assertThat(app.getBean(RedisSessionStore.class).keyPrefix()).isEqualTo("shop:session:");
        assertThat(app.getBean(RedisSessionStore.class).maxSessionsPerUser()).isEqualTo(7);
    }

    @Test
    void loginKeepsTheSessionInRedisAndLogoutEndsItThereSoTheOldCookieIsDead() throws Exception {
        HttpBrowser browser = new HttpBrowser(app);
        browser.post("/login?username=ada");
        String loggedIn = browser.jar.get("chirp_session");

        assertThat(browser.get("/whoami").body()).isEqualTo("user=ada");
        String id = sessionId(loggedIn);
        // The key is the prefix, perhaps the user's hash tag, then a hash of the id: never the id.
        String hash = hashOf(id);
        assertThat(redis.keys("shop:session:")).anyMatch(key -> key.endsWith(hash)).noneMatch(key -> key.contains(id));

        assertThat(browser.post("/logout").body()).isEqualTo("anonymous");
        assertThat(redis.keys("shop:session:")).noneMatch(key -> key.endsWith(hash));

        HttpBrowser thief = new HttpBrowser(app);
        thief.jar.put("chirp_session", loggedIn);
        assertThat(thief.get("/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void healthShowsTheRedisStoreUp() {
        String health = new HttpBrowser(app).get("/actuator/health/chirpSessions").body();

        assertThat(health).contains("\"status\":\"UP\"", "127.0.0.1:" + redis.port())
                .doesNotContain(TestRedis.PASSWORD);
    }

    @Test
    void storeCallsAreTimed() {
        new HttpBrowser(app).get("/count");
        String body = new HttpBrowser(app).get("/actuator/metrics/" + SessionMetrics.STORE_CALLS
                + "?tag=operation:save&tag=outcome:success").body();

        assertThat(body).contains("\"statistic\":\"COUNT\"").doesNotContain("\"value\":0.0}");
    }

    /** What the store names a session's key by: hex of the first 16 bytes of SHA-256 of "session:" + id. */
    private static String hashOf(String id) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("session:" + id).getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /** The session id inside a Redis-mode cookie, whose signed payload is {"sid": ...}. */
    private static String sessionId(String cookie) {
        Object payload = TimedSerializer.builder(StarterApp.SECRET).build().loads(cookie).value();
        return (String) ((Map<?, ?>) payload).get(RedisSessionStore.SESSION_ID);
    }
}
