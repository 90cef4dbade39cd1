package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.testkit.Browser;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What the hash layout adds to the store contract: per-key merge of concurrent saves, sessions written by
 * 0.1 read and converted, the per-user cap and bounded registry calls. Run on standalone Redis and on a
 * cluster by the subclasses.
 */
abstract class RedisMergeContract extends RedisUserIndexContract {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String USER = "merge-user";

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static SessionChanges changed(String... keys) {
        return SessionChanges.of(Set.of(keys), Set.of());
    }

    // --- per-key merge ---

    @Test
    void concurrentSavesOfDifferentKeysAreAllKeptAndARemovalIsAChange() {
        for (String user : new String[] {null, USER}) {
            Map<String, Object> start = user == null ? map("a", 1, "b", 2) : map("a", 1, "b", 2, "user_id", user);
            Map<String, Object> payload = store.save(null, start, SessionChanges.whole(), TTL);
            // three requests loaded {a, b} at the same time; each saves only what it changed
            Map<String, Object> first = new LinkedHashMap<>(start);
            first.put("c", 3);
            Map<String, Object> second = new LinkedHashMap<>(start);
            second.remove("a");
            Map<String, Object> third = new LinkedHashMap<>(start);
            third.put("b", 20);
            assertThat(store.save(payload, first, changed("c"), TTL)).isEqualTo(payload);
            assertThat(store.save(payload, second, SessionChanges.of(Set.of(), Set.of("a")), TTL)).isEqualTo(payload);
            assertThat(store.save(payload, third, changed("b"), TTL)).isEqualTo(payload);

            Map<String, Object> expected = user == null ? map("b", 20, "c", 3) : map("b", 20, "user_id", user, "c", 3);
            assertThat(store.load(payload)).containsExactlyInAnyOrderEntriesOf(expected);
        }
    }

    @Test
    void sixteenConcurrentRequestsSettingDifferentKeysAllKeepTheirKey() throws Exception {
        Map<String, Object> payload = store.save(null, map("start", true), SessionChanges.whole(), TTL);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String key = "k" + i;
            Thread thread = new Thread(() -> {
                Map<String, Object> data = store.load(payload);
                data.put(key, key);
                store.save(payload, data, changed(key), TTL);
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(store.load(payload)).hasSize(17);
    }

    @Test
    void timeoutStampsNeverGoBackwards() {
        Map<String, Object> payload = store.save(null, map("x", 1, "__created_at", 100, "__last_seen_at", 200),
                SessionChanges.whole(), TTL);
        SessionChanges stamps = changed("__created_at", "__last_seen_at");
        store.save(payload, map("x", 1, "__created_at", 150, "__last_seen_at", 180), stamps, TTL);
        assertThat(store.load(payload)).containsEntry("__created_at", 100).containsEntry("__last_seen_at", 200);
        store.save(payload, map("x", 1, "__created_at", 150, "__last_seen_at", 300.5), stamps, TTL);
        assertThat(store.load(payload)).containsEntry("__created_at", 100).containsEntry("__last_seen_at", 300.5);
    }

    @Test
    void aWholeSaveReplacesTheSession() {
        Map<String, Object> payload = store.save(null, map("a", 1, "b", 2), SessionChanges.whole(), TTL);
        store.save(payload, map("c", 3), SessionChanges.whole(), TTL);
        assertThat(store.load(payload)).containsExactlyEntriesOf(map("c", 3));
        assertThat(redis.pttl(PREFIX + "s:" + RedisKeys.hashOf((String) payload.get("sid"))))
                .isBetween(TTL.toMillis(), TTL.toMillis() + TTL.toMillis() / 16);
    }

    @Test
    void aMergeAfterALogoutOrRegenerateWritesNothing() {
        for (String user : new String[] {null, USER}) {
            Map<String, Object> data = user == null ? map("a", 1) : map("a", 1, "user_id", user);
            Map<String, Object> payload = store.save(null, data, SessionChanges.whole(), TTL);
            assertThat(store.delete(payload)).isTrue(); // a concurrent logout
            data.put("b", 2);
            assertThat(store.save(payload, data, changed("b"), TTL)).isNull();
            assertThat(store.load(payload)).isNull();
            assertThat(redis.keys()).isEmpty();
        }
    }

    @Test
    void aValueTooDeepOrAnyJsonTypeRoundTripsPerKey() {
        Map<String, Object> data = map("s", "é☃😀", "n", null, "t", true, "big", new java.math.BigInteger("123456789012345678901234567890"),
                "f", 0.1, "list", List.of(1, List.of(), Map.of()), "empty", Map.of(), "", "empty key");
        Map<String, Object> payload = store.save(null, data, SessionChanges.whole(), TTL);
        assertThat(store.load(payload)).isEqualTo(data);
    }

    // --- the layout: hashed names ---

    @Test
    void noKeyNameHoldsASessionId() {
        Browser anonymous = browser();
        anonymous.request(s -> s.put("a", 1));
        Browser user = browser();
        user.request(s -> Sessions.login("alice"));
        List<String> keys = redis.keys();
        assertThat(keys).hasSize(4).noneMatch(k -> k.contains(sessionId(anonymous)) || k.contains(sessionId(user)));
        assertThat(redis.sortedSet(indexKey("alice"))).containsExactly(RedisKeys.hashOf(sessionId(user)))
                .noneMatch(m -> m.contains(sessionId(user)));
    }

    // --- sessions 0.1 wrote ---

    /** Writes a session exactly as 0.1 did, and returns its 32-character id. */
    String writeAsVersion01(Map<String, Object> data, String user) {
        String id = RedisKeys.newId().substring(0, 32);
        String tag = user == null ? null : SessionIds.userTag(user);
        String key = tag == null ? PREFIX + id : PREFIX + "{" + tag + "}" + id;
        long ttl = TTL.toMillis();
        // 0.1: SET key json PX ttl NX; for a user, in one script with HSET of both index hashes and PEXPIRE
        redis.nodeOf(key).set(key, SessionJson.write(data), SetArgs.Builder.px(ttl).nx());
        if (tag != null) {
            String index = PREFIX + "user:{" + tag + "}";
            String now = Long.toString(System.currentTimeMillis() - 60_000);
            redis.nodeOf(index).hset(index, id, now);
            redis.nodeOf(index).hset(index + ":created", id, now);
            redis.nodeOf(index).pexpire(index, ttl);
            redis.nodeOf(index).pexpire(index + ":created", ttl);
        }
        return id;
    }

    Browser browserOf(String id, String user) {
        Browser browser = browser();
        browser.setCookie(legacyCookie(user == null ? Map.of("sid", id) : Map.of("sid", id, "u", SessionIds.userTag(user))));
        return browser;
    }

    @Test
    void anAnonymousSessionWrittenBy01IsReadAndConvertedOnItsNextWrite() {
        String id = writeAsVersion01(map("cart", List.of("book")), null);
        Browser browser = browserOf(id, null);
        assertThat(read(browser, "cart")).isEqualTo(List.of("book"));

        Browser.Response write = browser.request(s -> s.put("theme", "dark"));
        assertThat(write.setsCookie()).isTrue();
        assertThat(sessionId(browser)).as("same id: concurrent requests with the old cookie find it").isEqualTo(id);
        assertThat(redis.keys()).containsExactly(PREFIX + "s:" + RedisKeys.hashOf(id));
        assertThat(read(browser, "cart")).isEqualTo(List.of("book"));
        assertThat(read(browser, "theme")).isEqualTo("dark");
    }

    @Test
    void aLoggedInSessionWrittenBy01IsListedConvertedAndRevocable() {
        String id = writeAsVersion01(map("user_id", "alice", "n", 1), "alice");
        String other = writeAsVersion01(map("user_id", "alice", "n", 1), "alice");
        Browser browser = browserOf(id, "alice");
        assertThat(userId(browser)).isEqualTo("alice");
        assertThat(store.sessionsOf("alice", 10).sessions()).extracting(UserSession::fingerprint)
                .containsExactlyInAnyOrder(SessionIds.fingerprint(id), SessionIds.fingerprint(other));
        assertThat(fingerprint(browser)).isEqualTo(SessionIds.fingerprint(id));

        browser.request(s -> s.put("n", 2));
        assertThat(sessionId(browser)).isEqualTo(id);
        assertThat(redis.keys()).contains(userKeys("alice", browser)).doesNotContain(PREFIX + "{" + SessionIds.userTag("alice") + "}" + id);
        assertThat(read(browser, "n")).isEqualTo(2);
        assertThat(userId(browser)).isEqualTo("alice");
        UserSessionPage page = store.sessionsOf("alice", 10);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.sessions()).extracting(UserSession::fingerprint)
                .containsExactlyInAnyOrder(SessionIds.fingerprint(id), SessionIds.fingerprint(other));

        assertThat(store.revoke("alice", SessionIds.fingerprint(other))).isTrue();
        assertThat(store.revokeAll("alice")).isEqualTo(1);
        assertThat(userId(browser)).isNull();
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void logoutOfA01SessionEndsIt() {
        String id = writeAsVersion01(map("user_id", "alice"), "alice");
        Browser browser = browserOf(id, "alice");
        browser.request(s -> Sessions.logout());
        assertThat(redis.keys()).isEmpty();
        String anonymous = writeAsVersion01(map("a", 1), null);
        assertThat(store.delete(Map.of("sid", anonymous))).isTrue();
        assertThat(redis.keys()).isEmpty();
    }

    // --- the per-user cap and bounded calls ---

    @Test
    void aLoginPastTheCapEndsTheLeastRecentlySeenSessions() {
        AtomicLong clockMillis = new AtomicLong(1_700_000_000_000L);
        RedisSessionStore capped = storeBuilder.maxSessionsPerUser(3).millis(clockMillis::incrementAndGet).build();
        storeBuilder.maxSessionsPerUser(UserSessionRegistry.DEFAULT_MAX_SESSIONS_PER_USER).millis(System::currentTimeMillis);
        try {
            List<Map<String, Object>> logins = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                logins.add(capped.save(null, map("user_id", "alice", "i", i), SessionChanges.whole(), TTL));
            }
            assertThat(logins.subList(0, 2)).allSatisfy(p -> assertThat(capped.load(p)).isNull());
            assertThat(logins.subList(2, 5)).allSatisfy(p -> assertThat(capped.load(p)).isNotNull());
            assertThat(capped.maxSessionsPerUser()).isEqualTo(3);

            // the oldest login, seen again, is now the most recent; the next login ends the next oldest
            capped.touch(logins.get(2), Map.of(), TTL);
            capped.save(null, map("user_id", "alice"), SessionChanges.whole(), TTL);
            assertThat(capped.load(logins.get(3))).isNull();
            assertThat(capped.load(logins.get(2))).isNotNull();

            UserSessionPage page = capped.sessionsOf("alice", 2);
            assertThat(page.total()).isEqualTo(3);
            assertThat(page.sessions()).hasSize(2);
            assertThat(page.sessions().get(0).lastSeen()).isAfter(page.sessions().get(1).lastSeen());
            assertThat(page.sessions().get(1).fingerprint()).isEqualTo(capped.fingerprint(logins.get(2)).orElseThrow());
        } finally {
            capped.close();
        }
    }

    @Test
    void expiredIndexEntriesArePrunedOnLoginWithoutAListing() {
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Browser b = browser();
            b.request(s -> Sessions.login("alice"));
            browsers.add(b);
        }
        redis.delete(userKeys("alice", browsers.get(0))[0]); // as their TTLs would
        redis.delete(userKeys("alice", browsers.get(1))[0]);
        browser().request(s -> Sessions.login("alice"));
        assertThat(redis.sortedSet(indexKey("alice"))).hasSize(2);
    }

    @Test
    void revokeAllEndsMoreSessionsThanOneBatchHolds() {
        int count = RedisUserIndex.REVOKE_BATCH * 2 + 5;
        RedisSessionStore large = storeBuilder.maxSessionsPerUser(count).build();
        storeBuilder.maxSessionsPerUser(UserSessionRegistry.DEFAULT_MAX_SESSIONS_PER_USER);
        try {
            for (int i = 0; i < count; i++) {
                large.save(null, map("user_id", "alice"), SessionChanges.whole(), TTL);
            }
            assertThat(large.sessionsOf("alice", 5).total()).isEqualTo(count);
            assertThat(large.revokeAll("alice")).isEqualTo(count);
            assertThat(redis.keys()).isEmpty();
        } finally {
            large.close();
        }
    }

    @Test
    void aPageIsAtMostTheCapAndAFingerprintThatIsNoHashRevokesNothing() {
        for (int i = 0; i < 3; i++) {
            store.save(null, map("user_id", "alice"), SessionChanges.whole(), TTL);
        }
        assertThat(store.sessionsOf("alice", Integer.MAX_VALUE).sessions()).hasSize(3);
        assertThatThrownBy(() -> store.sessionsOf("alice", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1: 0");
        assertThat(store.revoke("alice", "*")).isFalse();
        assertThat(store.revoke("alice", "????????????????")).isFalse();
        assertThat(store.sessionsOf("alice", 10).total()).isEqualTo(3);
    }

    @Test
    void theCapMustBeBetweenOneAndTenThousand() {
        assertThatThrownBy(() -> RedisSessionStore.builder("redis://localhost:1").maxSessionsPerUser(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("maxSessionsPerUser must be between 1 and 10000: 0; it bounds what one user can make "
                        + "Redis hold (default 100)");
        assertThat(store.maxSessionsPerUser()).isEqualTo(UserSessionRegistry.DEFAULT_MAX_SESSIONS_PER_USER);
    }

    // --- commands per request ---

    @Test
    void aWriteOfALoggedInSessionIsTheLoadAndOneScriptThatSetsTheKeyAndItsLastSeenTime() {
        Browser browser = browser();
        browser.request(s -> {
            Sessions.login("alice");
            s.put("counter", 0);
        });
        redis.resetStats();
        for (int i = 1; i <= 10; i++) {
            int n = i;
            browser.request(s -> s.put("counter", n)); // the middleware hands over changed("counter")
        }
        Map<String, Long> calls = redis.commandCalls();
        calls.remove("info");
        calls.remove("config|resetstat");
        calls.remove("config");
        // per write: HGETALL, EVALSHA (HSET, and ZADD of the last-seen time, which the per-user cap and
        // maximumSessions order by); the expiry moves once per slack
        assertThat(calls).containsExactlyInAnyOrderEntriesOf(
                Map.of("hgetall", 10L, "evalsha", 10L, "hset", 10L, "zadd", 10L));
        assertThat(read(browser, "counter")).isEqualTo(10);
    }

    @Test
    void aWriteOfAnAnonymousSessionIsTheLoadAndOneScriptOfOneCommand() {
        Browser browser = browser();
        browser.request(s -> s.put("counter", 0));
        redis.resetStats();
        for (int i = 1; i <= 10; i++) {
            int n = i;
            browser.request(s -> s.put("counter", n));
        }
        Map<String, Long> calls = redis.commandCalls();
        calls.remove("info");
        calls.remove("config|resetstat");
        calls.remove("config");
        assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("hgetall", 10L, "evalsha", 10L, "hset", 10L));
        assertThat(read(browser, "counter")).isEqualTo(10);
    }
}
