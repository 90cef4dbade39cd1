package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionFormat;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.LogCapture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The session contract on a standalone Redis, plus what only a standalone server can show. */
class RedisSessionStoreTest extends RedisMergeContract {

    private RedisProcess server;

    @Override
    RedisSessionStore.Builder startRedis() {
        server = RedisProcess.launch();
        return RedisSessionStore.builder(server.uri());
    }

    @Override
    List<String> nodeUris() {
        return List.of(server.uri());
    }

    @Override
    void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sealedFormatSealsTheIdCookieWhileTheSessionLivesInRedis() {
        Browser browser = browser(options -> options.format(SessionFormat.SEALED));
        browser.request(s -> s.put("user", "alice"));

        String cookie = browser.cookie();
        assertThat(SealedSerializer.looksSealed(cookie)).isTrue();
        Object payload = SealedSerializer.builder(SECRET).build().loads(cookie).value();
        String id = (String) ((Map<?, ?>) payload).get(RedisSessionStore.SESSION_ID);
        String key = PREFIX + "s:" + RedisKeys.hashOf(id);
        assertThat(redis.hash(key)).containsEntry("user", "\"alice\"");
        assertThat(read(browser, "user")).isEqualTo("alice");

        browser.request(s -> s.clear());
        assertThat(redis.hash(key)).isEmpty();
    }

    @Test
    void dataThatIsNotJsonGivesAnEmptySessionInsteadOfAnError() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        redis.nodeOf(RedisStoreContract.key(browser)).hset(RedisStoreContract.key(browser), "user", "not json {");

        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void unreadableDataIsLoggedWithTheParseReasonButNeitherTheDataNorTheId() {
        LogCapture captured = LogCapture.of("dev.chirp.sessions.redis");
        List<LogRecord> logged = captured.records();
        try {
            Browser browser = browser();
            browser.request(s -> s.put("user", "alice"));
            String id = RedisStoreContract.sessionId(browser);
            redis.nodeOf(RedisStoreContract.key(browser)).hset(RedisStoreContract.key(browser), "user", "{\"card\": topsecret4111}");
            assertThat(read(browser, "user")).isNull();

            // a session as 0.1 wrote it, a JSON string, that is not an object
            Browser old = browser();
            old.setCookie(legacyCookie(Map.of("sid", "A".repeat(32))));
            redis.set(PREFIX + "A".repeat(32), "[\"topsecret4111\"]");
            assertThat(read(old, "user")).isNull();

            assertThat(logged).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.WARNING);
            assertThat(logged.get(0).getMessage())
                    .startsWith("chirp-sessions: a session in " + server.uri() + " under \"" + PREFIX
                            + "\" cannot be read (Unrecognized token '...' at line 1, column 10); ")
                    .endsWith("); the request gets a new, empty session")
                    .doesNotContain("\n").doesNotContain("is not a JSON object");
            assertThat(logged.get(1).getMessage()).contains("cannot be read (it is JSON but not an object)");
            assertThat(logged).allSatisfy(r -> assertThat(r.getMessage())
                    .doesNotContain("topsecret").doesNotContain("4111").doesNotContain(id));
        } finally {
            captured.close();
        }
    }

    @Test
    void parseReasonsKeepOneLineWithoutQuotedInput() throws Exception {
        assertThat(RedisSessionStore.reason(new java.io.IOException("Unexpected character ('x' (code 120)): "
                + "was expecting comma\n at [Source: \"secret\"] at line 1, column 9")))
                .isEqualTo("Unexpected character ('...') at line 1, column 9");
        assertThat(RedisSessionStore.reason(new java.io.IOException("String value length (30000017) exceeds the "
                + "maximum allowed (30000016, from `StreamReadConstraints.getMaxStringLength()`) at line 1, column 9")))
                .isEqualTo("String value length (30000017) exceeds the maximum allowed (30000016, from "
                        + "`StreamReadConstraints.getMaxStringLength()`) at line 1, column 9");
        for (String broken : List.of("{\"secret\": \"4111\" \"secret\"}", "{\"a\" 4111secret}", "[4111secret]",
                "{\"secret\": 4111", "\"secret4111", "{\"secret\": 4111}}", "{\"secret\": 04111}", "")) {
            try {
                dev.chirp.sessions.json.SessionJson.read(broken);
                throw new AssertionError("read " + broken);
            } catch (java.io.IOException e) {
                assertThat(RedisSessionStore.reason(e)).as(e.getMessage())
                        .doesNotContain("secret").doesNotContain("4111").doesNotContain("\n").isNotBlank();
            }
        }
        assertThat(RedisSessionStore.reason(new java.io.IOException("Unrecognized token 'secret: was expecting")))
                .isEqualTo("Unrecognized token");
        assertThat(RedisSessionStore.reason(new java.io.IOException("x".repeat(500)))).hasSize(203);
        assertThat(RedisSessionStore.reason(new java.io.IOException((String) null))).isEqualTo("not JSON");
    }

    @Test
    void payloadWithoutAWellFormedIdIsNotLookedUp() {
        redis.reset();
        assertThat(store.load(Map.of("user", "alice"))).isNull();          // a cookie-store payload
        assertThat(store.load(Map.of("sid", "*"))).isNull();               // would be a KEYS-like pattern
        assertThat(store.load(Map.of("sid", "../../../../etc/passwd/xx"))).isNull();
        assertThat(store.load(Map.of("sid", 42))).isNull();
        store.delete(Map.of("sid", "short"));
        assertThat(redis.calls("get") + redis.calls("hgetall") + redis.calls("del")).isZero();
    }

    @Test
    void toStringNamesTheAddressAndPrefixButNoPassword() {
        assertThat(store.toString()).isEqualTo("RedisSessionStore[" + server.uri() + ", keyPrefix=" + PREFIX + "]");
        assertThat(store.keyPrefix()).isEqualTo(PREFIX);
        assertThat(store.commandTimeout()).isEqualTo(RedisSessionStore.DEFAULT_COMMAND_TIMEOUT);
    }

    @Test
    void storeOnAnExistingConnectionWorksAndLeavesItOpenWhenClosed() {
        RedisClient client = RedisClient.create(server.uri());
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            RedisSessionStore shared = RedisSessionStore.using(connection).keyPrefix("shared:").build();
            Browser browser = new Browser(new dev.chirp.sessions.SessionMiddleware(
                    dev.chirp.sessions.SessionConfig.builder(SECRET).store(shared).build()));
            browser.request(s -> s.put("n", 1));
            assertThat(read(browser, "n")).isEqualTo(1);
            assertThat(connection.sync().exists("shared:s:" + RedisKeys.hashOf(RedisStoreContract.sessionId(browser)))).isEqualTo(1);
            assertThat(shared.toString()).contains("the connection given to RedisSessionStore.using");

            shared.close();
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThatThrownBy(() -> shared.load(Map.of("sid", RedisStoreContract.sessionId(browser))))
                    .isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("is closed");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void storeOnAnExistingClientClosesOnlyItsOwnConnection() {
        RedisClient client = RedisClient.create();
        try {
            RedisSessionStore own = RedisSessionStore.using(client, RedisURI.create(server.uri()))
                    .commandTimeout(Duration.ofMillis(500)).build();
            Map<String, Object> payload = own.save(null, Map.of("a", 1), Duration.ofMinutes(1));
            assertThat(own.load(payload)).isEqualTo(Map.of("a", 1));
            own.close();
            own.close(); // idempotent

            try (StatefulRedisConnection<String, String> still = client.connect(RedisURI.create(server.uri()))) {
                assertThat(still.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void closingAStoreItBuiltReleasesTheConnection() {
        RedisSessionStore own = RedisSessionStore.builder(server.uri()).keyPrefix("own:").build();
        long before = clients();
        own.close();
        // Generous: a busy CI machine is slow, not wrong.
        Await.until(Duration.ofSeconds(30), () -> "the connection is released", () -> clients() < before);
        assertThat(clients()).isLessThan(before);
        assertThatThrownBy(() -> own.save(null, Map.of("a", 1), Duration.ofMinutes(1)))
                .isInstanceOf(SessionStoreException.class);
    }

    private long clients() {
        try (RedisInspector look = new RedisInspector(List.of(server.uri()))) {
            return look.clientCount();
        }
    }
}
