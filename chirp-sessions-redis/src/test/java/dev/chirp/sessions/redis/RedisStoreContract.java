package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.LogCapture;
import dev.chirp.sessions.testkit.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The session contract every Redis deployment must keep, run through the middleware with a test
 * exchange: chirp's session behaviours (as the cookie store passes them) plus what a server-side store
 * promises on top. Subclasses start the Redis servers (standalone, cluster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisStoreContract {

    // Not the common pool: on a 2-core machine it has one worker (and JDK 25's CompletableFuture uses it even
    // then), so tasks meant to overlap would run one after another, or wait forever behind a loop.
    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-async");
        thread.setDaemon(true);
        return thread;
    });


    static final String SECRET = "redis-store-test-secret-0123456789abcdef";
    static final String PREFIX = "test:session:";

    MutableClock clock;
    RedisSessionStore.Builder storeBuilder;
    RedisSessionStore store;
    RedisInspector redis;

    /** Starts the servers and returns a builder for a store on them. */
    abstract RedisSessionStore.Builder startRedis();

    /** The URI of every node, for the inspector. */
    abstract List<String> nodeUris();

    /** Stops the servers. */
    abstract void stopRedis();

    @BeforeAll
    void startStore() {
        storeBuilder = startRedis().keyPrefix(PREFIX);
        store = storeBuilder.build();
        redis = new RedisInspector(nodeUris());
    }

    @AfterAll
    void stopStore() {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
        stopRedis();
    }

    @BeforeEach
    void resetRedis() {
        redis.reset();
        clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    }

    Browser browser() {
        return browser(b -> b);
    }

    Browser browser(UnaryOperator<SessionConfig.Builder> options) {
        return new Browser(new SessionMiddleware(options.apply(SessionConfig.builder(SECRET)).store(store)
                .clock(clock).build()));
    }

    /** The session id inside the browser's cookie, read without verifying (tests only). */
    static String sessionId(Browser browser) {
        Object payload = TimedSerializer.loadsUnsafe(browser.cookie()).value();
        return (String) ((Map<?, ?>) payload).get(RedisSessionStore.SESSION_ID);
    }

    /** The Redis key of an anonymous session: a hash of its id, never the id. */
    static String key(Browser browser) {
        return PREFIX + "s:" + RedisKeys.hashOf(sessionId(browser));
    }

    /** The Redis keys of a logged-in session: its data, next to its user's index in the same hash slot. */
    static String[] userKeys(String user, Browser browser) {
        String tag = "{" + SessionIds.userTag(user) + "}";
        return new String[] {PREFIX + "s:" + tag + RedisKeys.hashOf(sessionId(browser)),
            PREFIX + "users:" + tag + ":seen", PREFIX + "users:" + tag + ":created"};
    }

    /** A cookie as 0.1's store had it signed, naming a session written in 0.1's layout. */
    String legacyCookie(Map<String, Object> payload) {
        return TimedSerializer.builder(SECRET).build().dumps(payload, clock.instant());
    }

    static Object read(Browser browser, String key) {
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get(key));
        return seen[0];
    }

    // --- chirp's session behaviours ---

    @Test
    void setValueIsReadBackOnTheNextRequest() {
        Browser browser = browser();
        Browser.Response first = browser.request(s -> s.put("user", "alice"));
        assertThat(first.setCookies).hasSize(1);
        assertThat(first.vary).containsExactly("Cookie");
        assertThat(read(browser, "user")).isEqualTo("alice");
    }

    @Test
    void counterClimbsAcrossRequests() {
        Browser browser = browser();
        List<Object> counts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            browser.request(s -> {
                int visits = ((Number) s.getOrDefault("visits", 0)).intValue() + 1;
                s.put("visits", visits);
                counts.add(visits);
            });
        }
        assertThat(counts).containsExactly(1, 2, 3, 4, 5);
        assertThat(redis.keys()).hasSize(1);
    }

    @Test
    void tamperedCookieGivesAnEmptySessionAndIsDeleted() {
        Browser browser = browser();
        browser.request(s -> s.put("role", "user"));
        String cookie = browser.cookie();
        browser.setCookie(cookie.substring(0, 8) + (cookie.charAt(8) == 'A' ? 'B' : 'A') + cookie.substring(9));

        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("role"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void cookieFromAnotherAppsSecretIsRejected() {
        Browser other = new Browser(new SessionMiddleware(SessionConfig.builder("another-apps-secret-0123456789abcdef")
                .store(store).clock(clock).build()));
        other.request(s -> s.put("admin", true));

        Browser browser = browser();
        browser.setCookie(other.cookie());
        assertThat(read(browser, "admin")).isNull();
    }

    @Test
    void nestedDataKeepsEveryJsonType() {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", "Zoë \u2603 \uD83D\uDE00");
        profile.put("tags", new ArrayList<>(List.of("a", "b")));
        profile.put("big", new BigInteger("123456789012345678901234567890"));
        profile.put("long", 1L << 40);
        profile.put("int", 7);
        profile.put("ratio", 0.1);
        profile.put("tiny", 1e-5);
        profile.put("yes", true);
        profile.put("nothing", null);
        profile.put("deep", new LinkedHashMap<>(Map.of("list", new ArrayList<>(List.of(1, List.of(2, 3))))));
        Browser browser = browser();
        browser.request(s -> s.put("profile", profile));

        Object back = read(browser, "profile");
        assertThat(back).isEqualTo(profile);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) back;
        assertThat(map).isInstanceOf(LinkedHashMap.class);
        assertThat(map.get("tags")).isInstanceOf(ArrayList.class);
        assertThat(map.get("big")).isInstanceOf(BigInteger.class);
        assertThat(map.get("long")).isInstanceOf(Long.class);
        assertThat(map.get("int")).isInstanceOf(Integer.class);
        assertThat(map.get("ratio")).isInstanceOf(Double.class);
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
    void removingTheLastKeyDeletesTheDataAndTheCookie() {
        Browser browser = browser();
        browser.request(s -> s.put("flash", "hello"));
        assertThat(redis.keys()).hasSize(1);

        Browser.Response response = browser.request(s -> s.remove("flash"));
        assertThat(response.deletesCookie()).isTrue();
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void customCookieNameIsUsed() {
        Browser browser = browser(b -> b.cookieName("app_sid"));
        Browser.Response response = browser.request(s -> s.put("x", 1));
        assertThat(response.setCookies.get(0)).startsWith("app_sid=");
        assertThat(read(browser, "x")).isEqualTo(1);
    }

    // --- regenerate, login, logout: the old cookie dies at once ---

    @Test
    void regenerateClearsTheSessionIssuesANewIdAndKillsTheOldCookie() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        String oldCookie = browser.cookie();
        String oldId = sessionId(browser);

        browser.request(s -> {
            s.regenerate();
            assertThat(s).isEmpty();
            s.put("fresh", true);
        });
        assertThat(sessionId(browser)).isNotEqualTo(oldId);
        assertThat(redis.keys()).containsExactly(key(browser));

        Browser thief = browser();
        thief.setCookie(oldCookie);
        Object[] seen = new Object[2];
        Browser.Response replay = thief.request(s -> {
            seen[0] = s.get("user");
            seen[1] = s.get("fresh");
        });
        assertThat(seen).containsExactly(null, null);
        assertThat(replay.deletesCookie()).isTrue();
    }

    @Test
    void regenerateOnAnotherThreadOfTheRequestKillsTheOldCookieAtOnce() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        String oldCookie = browser.cookie();
        String oldKey = key(browser);

        browser.request(s -> {
            // async handler code: regenerate runs on a pool thread while the request thread waits
            CompletableFuture.runAsync(() -> {
                s.regenerate();
                s.put("user", "bob");
            }, ASYNC).join();
            // the old key is gone before the response is even committed
            assertThat(redis.keys()).doesNotContain(oldKey);
        });
        assertThat(read(browser, "user")).isEqualTo("bob");

        Browser thief = browser();
        thief.setCookie(oldCookie);
        assertThat(read(thief, "user")).isNull();
        assertThat(redis.keys()).containsExactly(key(browser));
    }

    @Test
    void loginAndLogoutRegenerateSoNoEarlierCookieWorks() {
        Browser browser = browser();
        browser.request(s -> s.put("theme", "dark"));
        String anonymous = browser.cookie();

        browser.request(s -> Sessions.login("u-42"));
        String loggedIn = browser.cookie();
        assertThat(loggedIn).isNotEqualTo(anonymous);
        assertThat(read(browser, Sessions.USER_ID_KEY)).isEqualTo("u-42");

        Browser.Response logout = browser.request(s -> Sessions.logout());
        assertThat(logout.deletesCookie()).isTrue();

        for (String old : List.of(anonymous, loggedIn)) {
            Browser replay = browser();
            replay.setCookie(old);
            Object[] seen = new Object[2];
            replay.request(s -> {
                seen[0] = s.get(Sessions.USER_ID_KEY);
                seen[1] = s.get("theme");
            });
            assertThat(seen).containsExactly(null, null);
        }
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void slowRequestCannotBringBackASessionLoggedOutMeanwhile() {
        Browser browser = browser();
        browser.request(s -> Sessions.login("u-7"));
        String loggedIn = browser.cookie();

        Browser otherTab = browser();
        otherTab.setCookie(loggedIn);
        Browser.Response slowResponse = browser.request(slow -> {
            slow.get(Sessions.USER_ID_KEY); // loaded before the logout
            otherTab.request(s -> Sessions.logout());
            slow.put("last_page", "/cart"); // saved after it
        });

        assertThat(slowResponse.setsCookie()).as("a cookie for the logged-out id").isFalse();
        assertThat(redis.keys()).isEmpty();
        Browser replay = browser();
        replay.setCookie(loggedIn);
        assertThat(read(replay, Sessions.USER_ID_KEY)).isNull();
    }

    // The browser's one cookie jar is shared by its tabs: a request started in one tab before a login in
    // another must not answer with the anonymous id, which Redis no longer holds, over the login cookie.

    @Test
    void staleReadOnlyResponseDoesNotPutTheOldIdBackInTheBrowser() {
        Browser browser = browser(); // default max age one day, refresh after half of it
        browser.request(s -> s.put("theme", "dark"));
        String anonymous = browser.cookie();
        clock.advance(Duration.ofHours(13)); // the next read re-issues the cookie

        Browser.Response longPoll = browser.request(poll -> {
            poll.get("theme"); // read before the login, answered after it
            browser.request(s -> Sessions.login("u-42"));
        });

        assertThat(longPoll.setsCookie()).as("a Set-Cookie with the dead anonymous id").isFalse();
        assertThat(browser.cookie()).isNotEqualTo(anonymous);
        assertThat(read(browser, Sessions.USER_ID_KEY)).isEqualTo("u-42");
        assertThat(redis.keys()).containsExactlyInAnyOrder(userKeys("u-42", browser));
    }

    @Test
    void staleWritingResponseLosesItsChangeVisiblyAndKeepsTheBrowserLoggedIn() {
        Browser browser = browser();
        browser.request(s -> s.put("theme", "dark"));
        String anonymousId = sessionId(browser);
        LogCapture captured = LogCapture.of("dev.chirp.sessions");
        List<LogRecord> logged = captured.records();
        Browser.Response slow;
        try {
            slow = browser.request(s -> {
                s.get("theme");
                browser.request(other -> Sessions.login("u-42"));
                s.put("last_page", "/checkout");
            });
        } finally {
            captured.close();
        }

        assertThat(slow.setsCookie()).isFalse();
        assertThat(read(browser, Sessions.USER_ID_KEY)).isEqualTo("u-42");
        assertThat(read(browser, "last_page")).isNull();
        assertThat(redis.keys()).containsExactlyInAnyOrder(userKeys("u-42", browser));
        List<LogRecord> infos = logged.stream().filter(r -> r.getLevel() == Level.INFO).toList();
        assertThat(infos).hasSize(1);
        assertThat(infos.get(0).getMessage()).contains("ended while this request ran").contains("not saved")
                .doesNotContain(anonymousId).doesNotContain("checkout");
    }

    @Test
    void readOnlyRefreshWithAnIdleTimeoutDoesNotUndoAConcurrentWrite() {
        Browser browser = browser(b -> b.idleTimeout(Duration.ofMinutes(30)));
        browser.request(s -> s.put("cart", new ArrayList<>(List.of("a"))));
        String id = sessionId(browser);
        clock.advance(Duration.ofMinutes(2)); // the next read records activity for the idle timeout
        redis.resetStats();

        Browser.Response olderRead = browser.request(older -> {
            older.get("cart"); // loaded ["a"]
            browser.request(s -> {
                @SuppressWarnings("unchecked")
                List<Object> cart = (List<Object>) s.get("cart");
                cart.add("b");
            });
        });

        assertThat(olderRead.setsCookie()).as("the idle refresh re-issues the cookie").isTrue();
        assertThat(sessionId(browser)).isEqualTo(id);
        assertThat(read(browser, "cart")).isEqualTo(List.of("a", "b"));
        Map<String, Long> calls = redis.commandCalls();
        assertThat(calls.getOrDefault("hset", 0L)).as("only the writing request sets").isEqualTo(1);
        assertThat(calls.getOrDefault("pexpire", 0L)).as("the refresh only moves the expiry").isEqualTo(1);
        // 30 minutes and the slack of a minute: Redis keeps a session at least as long as its cookie
        assertThat(redis.pttl(key(browser))).isBetween(1_790_000L, 1_860_000L);

        clock.advance(Duration.ofMinutes(29)); // the refresh counts: 29 minutes after it, still there
        assertThat(read(browser, "cart")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void saveAndTouchOfASessionThatEndedReturnNullAndWriteNothing() {
        Map<String, Object> payload = store.save(null, Map.of("user", "alice"), Duration.ofMinutes(5));
        assertThat(store.touch(payload, Map.of("user", "alice"), Duration.ofMinutes(5))).isEqualTo(payload);
        store.delete(payload);

        assertThat(store.save(payload, Map.of("user", "mallory"), Duration.ofMinutes(5))).isNull();
        assertThat(store.touch(payload, Map.of("user", "mallory"), Duration.ofMinutes(5))).isNull();
        assertThat(store.load(payload)).isNull();
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void largeValueRoundTripsThroughRedis() {
        // No cookie limits the size here; what put() accepts (strings up to 10,000,000 characters) must
        // come back on the next request instead of ending the session.
        String draft = "x".repeat(2 << 20) + "\u00e9\u2603\uD83D\uDE00";
        Browser browser = browser();
        browser.request(s -> {
            s.put("user", "alice");
            s.put("draft", draft);
        });
        assertThat(redis.hash(key(browser)).get("draft").length()).isGreaterThan(2 << 20);

        Object[] seen = new Object[2];
        browser.request(s -> {
            seen[0] = s.get("user");
            seen[1] = s.get("draft");
        });
        assertThat(seen[0]).isEqualTo("alice");
        assertThat(seen[1]).isEqualTo(draft);
    }

    // --- timeouts survive the store (chirp's own Redis store loses them) ---

    @Test
    void idleTimeoutEndsASessionLeftAlone() {
        Browser browser = browser(b -> b.idleTimeout(Duration.ofMinutes(30)));
        browser.request(s -> s.put("user", "alice"));
        String key = key(browser);
        assertThat(redis.hash(key)).containsKeys("__created_at", "__last_seen_at");

        clock.advance(Duration.ofMinutes(29));
        assertThat(read(browser, "user")).isEqualTo("alice");
        clock.advance(Duration.ofMinutes(31));
        assertThat(read(browser, "user")).isNull();
        assertThat(redis.keys()).doesNotContain(key);
    }

    @Test
    void absoluteTimeoutEndsASessionEvenWhileInUse() {
        Browser browser = browser(b -> b.absoluteTimeout(Duration.ofHours(1)).refreshThreshold(0.0));
        browser.request(s -> s.put("user", "alice"));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(11));
            browser.request(s -> s.put("clicks", s.getOrDefault("clicks", 0)));
            assertThat(read(browser, "user")).isEqualTo("alice");
        }
        // 55 minutes in: Redis keeps the data no longer than the 5 minutes the session has left, and
        // their slack of 1/16
        assertThat(redis.pttl(key(browser))).isBetween(300_000L, 318_750L);
        clock.advance(Duration.ofMinutes(6));
        assertThat(read(browser, "user")).isNull();
    }

    @Test
    void redisTtlFollowsTheLifetimeTheMiddlewareAsksFor() {
        Browser plain = browser(b -> b.maxAge(Duration.ofHours(2)));
        plain.request(s -> s.put("a", 1));
        assertThat(redis.pttl(key(plain))).isBetween(7_250_000L, 7_260_000L); // and a minute of slack

        Browser idle = browser(b -> b.maxAge(Duration.ofHours(2)).idleTimeout(Duration.ofMinutes(10)));
        idle.request(s -> s.put("a", 1));
        assertThat(redis.pttl(key(idle))).isBetween(627_500L, 637_500L); // and 1/16 of slack
    }

    // --- what a server-side store adds ---

    @Test
    void cookieCarriesOnlyARandomSessionId() {
        Browser first = browser();
        first.request(s -> s.put("secret_note", "not in the cookie"));
        Browser second = browser();
        second.request(s -> s.put("secret_note", "not in the cookie"));

        Object payload = TimedSerializer.loadsUnsafe(first.cookie()).value();
        assertThat(payload).isInstanceOf(Map.class);
        assertThat(List.<Object>copyOf(((Map<?, ?>) payload).keySet())).containsExactly("sid");
        assertThat(sessionId(first)).matches("[A-Za-z0-9_-]{36}").isNotEqualTo(sessionId(second));
        assertThat(first.cookie()).doesNotContain("note");
        assertThat(redis.hash(key(first))).containsExactly(Map.entry("secret_note", "\"not in the cookie\""));
        assertThat(redis.keys()).noneMatch(k -> k.contains(sessionId(first)) || k.contains(sessionId(second)));
    }

    @Test
    void requestsThatStoreNothingCreateNoKey() {
        Browser browser = browser();
        browser.request(s -> { });                                   // never touched
        browser.request(s -> s.get("anything"));                      // read of an empty session
        browser.request(s -> s.containsKey("user"));
        browser.request(s -> {
            s.put("tmp", 1);
            s.remove("tmp");                                          // changed, but empty in the end
        });
        browser.request(s -> s.regenerate());                         // regenerated to nothing
        browser.setCookie("garbage.cookie.value");                    // junk cookie
        browser.request(s -> s.get("user"));
        assertThat(browser.cookie()).isNull();
        assertThat(redis.keys()).isEmpty();
        assertThat(redis.calls("hset") + redis.calls("evalsha") + redis.calls("eval")).isZero();
    }

    @Test
    void unchangedSessionCostsOneGetAndNoWrite() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "alice"));
        redis.resetStats();
        browser.request(s -> s.put("user", "alice")); // re-putting an equal value is still a change
        long setsForAChange = redis.calls("hset");
        assertThat(setsForAChange).isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            Browser.Response response = browser.request(s -> s.get("user"));
            assertThat(response.setsCookie()).isFalse();
        }
        Map<String, Long> calls = redis.commandCalls();
        assertThat(calls.getOrDefault("hgetall", 0L)).isEqualTo(1 + 3);
        assertThat(calls.getOrDefault("hset", 0L)).isEqualTo(setsForAChange);
        assertThat(calls.getOrDefault("pexpire", 0L) + calls.getOrDefault("expire", 0L)).isZero();
    }

    @Test
    void reissuedUnchangedSessionIsRefreshedWithOneExpire() {
        Browser browser = browser(b -> b.refreshThreshold(0.0).maxAge(Duration.ofHours(1)));
        browser.request(s -> s.put("user", "alice"));
        String key = key(browser);
        String id = sessionId(browser);
        clock.advance(Duration.ofMinutes(1));
        redis.resetStats();

        Browser.Response response = browser.request(s -> s.get("user"));
        assertThat(response.setsCookie()).isTrue();
        assertThat(sessionId(browser)).isEqualTo(id);
        Map<String, Long> calls = redis.commandCalls();
        assertThat(calls.getOrDefault("hgetall", 0L)).isEqualTo(1);
        assertThat(calls.getOrDefault("pexpire", 0L)).isEqualTo(1);
        assertThat(calls.getOrDefault("hset", 0L)).isZero();
        assertThat(redis.pttl(key)).isBetween(3_650_000L, 3_660_000L);
    }

    @Test
    void manyConcurrentBrowsersNeverSeeEachOthersData() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String me = "client-" + c;
            runs.add(CompletableFuture.runAsync(() -> {
                Browser browser = browser();
                for (int i = 1; i <= 25; i++) {
                    int expected = i - 1;
                    browser.request(s -> {
                        assertThat(s.getOrDefault("owner", me)).isEqualTo(me);
                        assertThat(((Number) s.getOrDefault("n", 0)).intValue()).isEqualTo(expected);
                        s.put("owner", me);
                        s.put("n", expected + 1);
                    });
                }
            }, pool));
        }
        try {
            CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(redis.keys()).hasSize(8);
    }
}
