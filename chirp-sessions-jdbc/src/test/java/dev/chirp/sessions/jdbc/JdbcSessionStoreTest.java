package dev.chirp.sessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The session contract on PostgreSQL, through the middleware with a test exchange (chirp's behaviours as
 * the Redis store passes them) and on the store directly (the per-key merge, the user registry, the
 * table's content).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcSessionStoreTest {

    static final String SECRET = "jdbc-store-test-secret-0123456789abcdef";
    static final String TABLE = "store_test_session";
    static final Duration DAY = Duration.ofDays(1);

    Postgres pg;
    HikariDataSource pool;
    JdbcSessionStore store;
    MutableClock clock;

    @BeforeAll
    void startStore() {
        pg = Postgres.shared();
        pool = pg.pool(8);
        store = JdbcSessionStore.builder(pool).tableName(TABLE).createTableIfMissing(true)
                .maxSessionsPerUser(3).cleanupInterval(Duration.ZERO).build();
    }

    @AfterAll
    void stopStore() {
        store.close();
        pool.close();
    }

    @BeforeEach
    void emptyTable() {
        pg.execute("TRUNCATE " + TABLE);
        clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    }

    Browser browser() {
        return browser(b -> b);
    }

    Browser browser(UnaryOperator<SessionConfig.Builder> options) {
        return new Browser(new SessionMiddleware(options.apply(SessionConfig.builder(SECRET)).store(store)
                .clock(clock).build()));
    }

    static String sessionId(Browser browser) {
        Object payload = TimedSerializer.loadsUnsafe(browser.cookie()).value();
        return (String) ((Map<?, ?>) payload).get(SessionIds.SESSION_ID);
    }

    static Object read(Browser browser, String key) {
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get(key));
        return seen[0];
    }

    static String fingerprint(Browser browser) {
        String[] seen = new String[1];
        browser.request(s -> seen[0] = s.fingerprint().orElse(null));
        return seen[0];
    }

    long rows() {
        return pg.queryLong("SELECT count(*) FROM " + TABLE);
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // --- chirp's session behaviours ---

    @Test
    void setValueIsReadBackOnTheNextRequest() {
        Browser browser = browser();
        Browser.Response first = browser.request(s -> s.put("user", "alice"));
        assertThat(first.setCookies).hasSize(1);
        assertThat(read(browser, "user")).isEqualTo("alice");
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void counterClimbsAcrossRequests() {
        Browser browser = browser();
        List<Object> counts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            browser.request(s -> {
                Object n = s.get("n");
                s.put("n", n == null ? 1 : ((Number) n).intValue() + 1);
            });
            counts.add(read(browser, "n"));
        }
        assertThat(counts).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void nestedDataKeepsEveryJsonType() {
        Map<String, Object> nested = map("list", List.of(1, "two", false), "big", new BigInteger("123456789012345678901234567890"),
                "pi", 3.14, "nothing", null, "text", "ünïcode \" \\ </script>", "inner", map("a", map("b", List.of())));
        Browser browser = browser();
        browser.request(s -> s.put("v", nested));
        assertThat(read(browser, "v")).isEqualTo(nested);
    }

    @Test
    void nestedChangeInPlaceIsSaved() {
        Browser browser = browser();
        browser.request(s -> s.put("cart", new ArrayList<>(List.of("apple"))));
        browser.request(s -> {
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) s.get("cart");
            cart.add("pear");
        });
        assertThat(read(browser, "cart")).isEqualTo(List.of("apple", "pear"));
    }

    @Test
    void removingTheLastKeyDeletesTheRowAndTheCookie() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        Browser.Response cleared = browser.request(s -> s.remove("user"));
        assertThat(cleared.deletesCookie()).isTrue();
        assertThat(rows()).isZero();
    }

    @Test
    void regenerateIssuesANewIdAndKillsTheOldCookie() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        String oldCookie = browser.cookie();
        String oldId = sessionId(browser);
        browser.request(s -> {
            s.regenerate();
            s.put("fresh", true);
        });
        assertThat(sessionId(browser)).isNotEqualTo(oldId);
        assertThat(rows()).isEqualTo(1);

        Browser thief = browser();
        thief.setCookie(oldCookie);
        assertThat(read(thief, "user")).isNull();
    }

    @Test
    void loginAndLogoutRegenerateSoNoEarlierCookieWorks() {
        Browser browser = browser();
        browser.request(s -> s.put("theme", "dark"));
        String anonymous = browser.cookie();
        browser.request(s -> Sessions.login("u-42"));
        String loggedIn = browser.cookie();
        assertThat(read(browser, Sessions.USER_ID_KEY)).isEqualTo("u-42");
        assertThat(browser.request(s -> Sessions.logout()).deletesCookie()).isTrue();

        for (String old : List.of(anonymous, loggedIn)) {
            Browser replay = browser();
            replay.setCookie(old);
            assertThat(read(replay, Sessions.USER_ID_KEY)).isNull();
            assertThat(read(replay, "theme")).isNull();
        }
        assertThat(rows()).isZero();
    }

    @Test
    void slowRequestCannotBringBackASessionLoggedOutMeanwhile() {
        Browser browser = browser();
        browser.request(s -> Sessions.login("u-7"));
        Browser otherTab = browser();
        otherTab.setCookie(browser.cookie());

        Browser.Response slow = browser.request(s -> {
            s.get("anything"); // loaded before the logout
            otherTab.request(t -> Sessions.logout());
            s.put("late", "write");
        });
        assertThat(slow.setsCookie()).isFalse();
        assertThat(rows()).isZero();
        assertThat(read(browser, "late")).isNull();
    }

    @Test
    void idleTimeoutEndsASessionLeftAlone() {
        UnaryOperator<SessionConfig.Builder> idle = b -> b.idleTimeout(Duration.ofMinutes(30));
        Browser browser = browser(idle);
        browser.request(s -> s.put("user", "alice"));
        clock.advance(Duration.ofMinutes(31));
        assertThat(read(browser, "user")).isNull();
    }

    @Test
    void cookieCarriesOnlyARandomSessionIdAndTheTableNeverHoldsIt() {
        Browser browser = browser();
        browser.request(s -> {
            Sessions.login("alice@example.org");
            s.put("note", "hello");
        });
        Map<?, ?> payload = (Map<?, ?>) TimedSerializer.loadsUnsafe(browser.cookie()).value();
        assertThat(new ArrayList<Object>(payload.keySet())).containsExactly(SessionIds.SESSION_ID, SessionIds.USER_TAG);
        String id = sessionId(browser);

        String dump = pg.dump(TABLE);
        assertThat(dump).contains("hello").contains(SessionIds.userTag("alice@example.org"));
        assertThat(dump).doesNotContain(id);
        // Nor in any encoding PostgreSQL could print it in: the key is the hash, as hex in a dump.
        assertThat(dump).contains(java.util.HexFormat.of().formatHex(SessionIds.digest(id)));
        assertThat(dump).doesNotContain(java.util.HexFormat.of().formatHex(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void requestsThatStoreNothingCreateNoRow() {
        Browser browser = browser();
        browser.request(s -> s.get("nothing"));
        browser.request(s -> { });
        assertThat(rows()).isZero();
    }

    @Test
    void expiryColumnFollowsTheLifetimeTheMiddlewareAsks() {
        Browser browser = browser(b -> b.maxAge(Duration.ofHours(2)));
        browser.request(s -> s.put("k", 1));
        long seconds = pg.queryLong("SELECT extract(epoch FROM expires_at - now())::bigint FROM " + TABLE);
        assertThat(seconds).isBetween(7000L, 7200L);
    }

    @Test
    void expiredRowsAreNeverReturned() {
        Browser browser = browser();
        browser.request(s -> s.put("k", 1));
        String id = sessionId(browser);
        pg.execute("UPDATE " + TABLE + " SET expires_at = now() - interval '1 second'");
        assertThat(read(browser, "k")).isNull();
        assertThat(store.touch(map("sid", id), map(), DAY)).isNull();
        assertThat(store.delete(map("sid", id))).isFalse();
    }

    @Test
    void sealedFormatWorksToo() {
        Browser browser = browser(b -> b.format(dev.chirp.sessions.SessionFormat.SEALED));
        browser.request(s -> s.put("user", "alice"));
        assertThat(read(browser, "user")).isEqualTo("alice");
    }

    // --- the store directly: statements, merge, refresh ---

    @Test
    void saveAndTouchOfASessionThatEndedReturnNullAndWriteNothing() {
        Map<String, Object> payload = store.save(null, map("a", 1), DAY);
        assertThat(store.delete(payload)).isTrue();
        assertThat(store.delete(payload)).isFalse();
        assertThat(store.save(payload, map("a", 2), SessionChanges.of(Set.of("a"), Set.of()), DAY)).isNull();
        assertThat(store.touch(payload, map("a", 1), DAY)).isNull();
        assertThat(rows()).isZero();
    }

    @Test
    void mergeWritesOnlyTheChangedKeysAndKeepsWhatOthersWrote() {
        Map<String, Object> payload = store.save(null, map("a", 1, "b", 2, "c", 3), DAY);
        // Two requests that loaded {a, b, c}: one sets x and removes a, the other sets y.
        assertThat(store.save(payload, map("b", 2, "c", 3, "x", "one"), SessionChanges.of(Set.of("x"), Set.of("a")), DAY))
                .isEqualTo(payload);
        assertThat(store.save(payload, map("a", 1, "b", 2, "c", 3, "y", "two"), SessionChanges.of(Set.of("y"), Set.of()),
                DAY)).isEqualTo(payload);
        assertThat(store.load(payload)).isEqualTo(map("b", 2, "c", 3, "x", "one", "y", "two"));
    }

    @Test
    void twoRequestsAddingTheSameKeyBothSucceedAndTheLastWins() {
        Map<String, Object> payload = store.save(null, map("a", 1), DAY);
        assertThat(store.save(payload, map("a", 1, "k", "first"), SessionChanges.of(Set.of("k"), Set.of()), DAY)).isNotNull();
        assertThat(store.save(payload, map("a", 1, "k", "second"), SessionChanges.of(Set.of("k"), Set.of()), DAY)).isNotNull();
        assertThat(store.load(payload)).isEqualTo(map("a", 1, "k", "second"));
    }

    @Test
    void wholeReplacesTheStoredSession() {
        Map<String, Object> payload = store.save(null, map("a", 1, "b", 2), DAY);
        store.save(payload, map("c", 3), SessionChanges.whole(), DAY);
        assertThat(store.load(payload)).isEqualTo(map("c", 3));
    }

    @Test
    void stampsNeverMoveBackwards() {
        Map<String, Object> payload = store.save(null, map("__created_at", 1000, "__last_seen_at", 2000), DAY);
        Set<String> stamps = Set.of(SessionChanges.CREATED_AT_KEY, SessionChanges.LAST_SEEN_AT_KEY);
        store.save(payload, map("__created_at", 1500, "__last_seen_at", 3000), SessionChanges.of(stamps, Set.of()), DAY);
        // A slower request that loaded earlier writes an older last-seen: the newer stays.
        store.save(payload, map("__created_at", 1500, "__last_seen_at", 2500, "k", 1),
                SessionChanges.of(Set.of("__created_at", "__last_seen_at", "k"), Set.of()), DAY);
        assertThat(store.load(payload)).isEqualTo(map("__created_at", 1000, "__last_seen_at", 3000, "k", 1));
    }

    @Test
    void touchMovesOnlyTheExpiryNeverTheData() {
        Map<String, Object> payload = store.save(null, map("a", 1), Duration.ofMinutes(1));
        store.save(payload, map("a", 2), SessionChanges.of(Set.of("a"), Set.of()), Duration.ofMinutes(1));
        assertThat(store.touch(payload, map("a", 1), DAY)).isEqualTo(payload);
        assertThat(store.load(payload)).isEqualTo(map("a", 2));
        assertThat(pg.queryLong("SELECT extract(epoch FROM expires_at - now())::bigint FROM " + TABLE)).isGreaterThan(80_000);
    }

    @Test
    void payloadsThisStoreDidNotMakeFindNothing() {
        assertThat(store.load(map("sid", "short"))).isNull();
        assertThat(store.load(map("user", "alice"))).isNull();
        assertThat(store.load(map("sid", SessionIds.newId()))).isNull();
        assertThat(store.delete(map("sid", 42))).isFalse();
        assertThat(store.fingerprint(map("sid", "nope"))).isEmpty();
    }

    @Test
    void valuesJsonbCannotHoldFailWithAMessageThatNamesTheRuleButNotTheData() {
        // NaN and Infinity never get this far (the core's JSON rule refuses them at put and at write); a
        // NUL character is valid JSON that jsonb still cannot hold.
        assertThatThrownBy(() -> store.save(null, map("k", "secret-value\u0000"), DAY))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageContaining("jsonb holds no")
                .hasMessageNotContaining("secret-value")
                .hasNoCause();
        assertThat(store.isAvailable()).isTrue();
    }

    @Test
    void aRowThatIsNotAnObjectGivesAnEmptySession() {
        Map<String, Object> payload = store.save(null, map("a", 1), DAY);
        pg.execute("UPDATE " + TABLE + " SET data = '[1, 2]'");
        assertThat(store.load(payload)).isNull();
    }

    // --- a user's sessions ---

    @Test
    void aUsersSessionsAreListedMostRecentlySeenFirstWithoutDataOrIds() {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));
        browser().request(s -> Sessions.login("bob"));
        browser().request(s -> s.put("anonymous", true));
        pg.execute("UPDATE " + TABLE + " SET last_seen_at = last_seen_at - interval '1 hour' WHERE id_hash = '\\x"
                + java.util.HexFormat.of().formatHex(SessionIds.digest(sessionId(laptop))) + "'");

        UserSessionPage page = store.sessionsOf("alice", 10);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.sessions()).extracting(UserSession::fingerprint)
                .containsExactly(fingerprint(phone), fingerprint(laptop));
        UserSessionPage first = store.sessionsOf("alice", 1);
        assertThat(first.sessions()).hasSize(1);
        assertThat(first.total()).isEqualTo(2);
        assertThat(store.sessionsOf("nobody", 5)).isEqualTo(new UserSessionPage(List.of(), 0));
        assertThatThrownBy(() -> store.sessionsOf("alice", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userIdsAreComparedAsText() {
        Browser browser = browser();
        browser.request(s -> Sessions.login(42));
        assertThat(store.sessionsOf("42", 5).total()).isEqualTo(1);
    }

    @Test
    void revokeOneEndsOnlyThatSession() {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));
        assertThat(store.revoke("alice", fingerprint(phone))).isTrue();
        assertThat(store.revoke("alice", "0123456789abcdef")).isFalse();
        assertThat(store.revoke("bob", fingerprint(laptop))).isFalse();
        assertThat(store.revoke("alice", "not a fingerprint")).isFalse();
        assertThat(read(phone, Sessions.USER_ID_KEY)).isNull();
        assertThat(read(laptop, Sessions.USER_ID_KEY)).isEqualTo("alice");
    }

    @Test
    void revokeAllEndsEverySessionAndANewLoginWorks() {
        Browser laptop = browser();
        Browser phone = browser();
        Browser bob = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));
        bob.request(s -> Sessions.login("bob"));
        assertThat(store.revokeAll("alice")).isEqualTo(2);
        assertThat(read(laptop, Sessions.USER_ID_KEY)).isNull();
        assertThat(read(phone, Sessions.USER_ID_KEY)).isNull();
        assertThat(read(bob, Sessions.USER_ID_KEY)).isEqualTo("bob");
        laptop.request(s -> Sessions.login("alice"));
        assertThat(read(laptop, Sessions.USER_ID_KEY)).isEqualTo("alice");
    }

    @Test
    void revokeAllExceptTheCurrentSessionKeepsIt() {
        Browser laptop = browser();
        Browser phone = browser();
        laptop.request(s -> Sessions.login("alice"));
        phone.request(s -> Sessions.login("alice"));
        assertThat(store.revokeAllExcept("alice", fingerprint(laptop))).isEqualTo(1);
        assertThat(read(laptop, Sessions.USER_ID_KEY)).isEqualTo("alice");
        assertThat(read(phone, Sessions.USER_ID_KEY)).isNull();
    }

    @Test
    void aLoginPastTheCapEndsTheLeastRecentlySeenSessions() {
        List<Browser> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Browser device = browser();
            device.request(s -> Sessions.login("alice"));
            devices.add(device);
            // Distinct last-seen times, oldest first, whatever the clock's resolution.
            pg.execute("UPDATE " + TABLE + " SET last_seen_at = last_seen_at - interval '1 minute'");
        }
        assertThat(store.maxSessionsPerUser()).isEqualTo(3);
        assertThat(store.sessionsOf("alice", 10).total()).isEqualTo(3);
        assertThat(read(devices.get(0), Sessions.USER_ID_KEY)).isNull();
        for (Browser device : devices.subList(1, 4)) {
            assertThat(read(device, Sessions.USER_ID_KEY)).isEqualTo("alice");
        }
    }

    @Test
    void puttingAnotherUserIdGivesTheSessionANewId() {
        Browser browser = browser();
        browser.request(s -> Sessions.login("alice"));
        String before = sessionId(browser);
        browser.request(s -> s.put(Sessions.USER_ID_KEY, "bob"));
        assertThat(sessionId(browser)).isNotEqualTo(before);
        assertThat(store.sessionsOf("alice", 5).total()).isZero();
        assertThat(store.sessionsOf("bob", 5).total()).isEqualTo(1);
    }

    // --- building ---

    @Test
    void badOptionsFailAtBuildTimeWithTheRuleTheValueAndTheFix() {
        JdbcSessionStore.Builder builder = JdbcSessionStore.builder(pool);
        assertThatThrownBy(() -> builder.tableName("sessions; DROP TABLE users"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("tableName must be an unquoted lower-case SQL identifier")
                .hasMessageContaining(": \"sessions; DROP TABLE users\"; use a name such as \"chirp_session\"");
        assertThatThrownBy(() -> builder.tableName("Sessions")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> builder.tableName("a".repeat(41))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> builder.tableName(null)).hasMessageContaining(": null;");
        assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
                .hasMessage("timeout must be between 1 millisecond and 1 minute: PT0S; a request waits this long for "
                        + "PostgreSQL before it fails, so keep it short (default 2 seconds)");
        assertThatThrownBy(() -> builder.cleanupInterval(Duration.ofMillis(10)))
                .hasMessageStartingWith("cleanupInterval must be zero (off) or at least 1 second: PT0.01S;");
        assertThatThrownBy(() -> builder.maxSessionsPerUser(0)).hasMessageStartingWith("maxSessionsPerUser must be");
        assertThatThrownBy(() -> builder.cleanupBatchSize(0)).hasMessageStartingWith("cleanupBatchSize must be");
        assertThatThrownBy(() -> JdbcSessionStore.builder(null)).hasMessageStartingWith("dataSource must not be null");
    }

    @Test
    void aMissingTableFailsTheBuildWithTheFix() {
        assertThatThrownBy(() -> JdbcSessionStore.builder(pool).tableName("no_such_table").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"no_such_table\" is missing")
                .hasMessageContaining("createTableIfMissing(true)");
    }

    @Test
    void theSchemaResourceCreatesAWorkingTableUnderAnyValidName() {
        pg.execute("CREATE SCHEMA IF NOT EXISTS app");
        pg.execute("DROP TABLE IF EXISTS app.renamed_session");
        String ddl = JdbcSessionStore.schema("app.renamed_session");
        assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS app.renamed_session (")
                .contains("CREATE INDEX IF NOT EXISTS renamed_session_expires_at_idx ON app.renamed_session")
                .doesNotContain("chirp_session");
        pg.execute(ddl);
        pg.execute(ddl); // idempotent, as a migration rerun or a second node needs
        try (JdbcSessionStore other = JdbcSessionStore.builder(pool).tableName("app.renamed_session")
                .cleanupInterval(Duration.ZERO).build()) {
            Map<String, Object> payload = other.save(null, map("k", "v"), DAY);
            assertThat(other.load(payload)).isEqualTo(map("k", "v"));
            assertThat(other.toString()).isEqualTo("JdbcSessionStore[table=app.renamed_session]");
        }
    }

    @Test
    void nodesStartingTogetherCreateTheTableOnceWithoutFailing() throws Exception {
        pg.execute("DROP TABLE IF EXISTS started_together");
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<JdbcSessionStore>> started = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                started.add(nodes.submit(() -> JdbcSessionStore.builder(pool).tableName("started_together")
                        .createTableIfMissing(true).cleanupInterval(Duration.ZERO).build()));
            }
            for (java.util.concurrent.Future<JdbcSessionStore> node : started) {
                try (JdbcSessionStore store = node.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    assertThat(store.load(store.save(null, map("k", 1), DAY))).isEqualTo(map("k", 1));
                }
            }
        } finally {
            nodes.shutdownNow();
        }
        assertThat(pg.queryLong("SELECT count(*) FROM pg_indexes WHERE tablename = 'started_together'")).isEqualTo(3);
    }

    @Test
    void theDefaultTableIsTheResourceAsWritten() throws Exception {
        String resource;
        try (var in = JdbcSessionStore.class.getClassLoader().getResourceAsStream(JdbcSessionStore.SCHEMA_RESOURCE)) {
            resource = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(JdbcSessionStore.schema("chirp_session")).isEqualTo(resource);
    }
}
