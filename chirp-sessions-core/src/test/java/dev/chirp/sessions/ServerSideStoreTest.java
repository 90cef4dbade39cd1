package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The middleware's side of the {@link SessionStore} contract, with an in-memory server-side store: what
 * it is asked to do, and when. (The Redis store runs the same scenarios against a real Redis.)
 */
class ServerSideStoreTest {

    /** Keeps data under random ids, as a server-side store does, and records every call. */
    static final class MemoryStore implements SessionStore {
        final Map<String, Map<String, Object>> data = new ConcurrentHashMap<>();
        final List<String> calls = new ArrayList<>();
        volatile boolean down;

        @Override
        public synchronized Map<String, Object> load(Map<String, Object> cookiePayload) {
            calls.add("load");
            failIfDown();
            Map<String, Object> stored = data.get((String) cookiePayload.get("sid"));
            return stored == null ? null : new LinkedHashMap<>(stored);
        }

        @Override
        public synchronized Map<String, Object> save(Map<String, Object> current, Map<String, Object> values,
                Duration timeToLive) {
            calls.add(current == null ? "save-new" : "save");
            failIfDown();
            String id = current == null ? UUID.randomUUID().toString() : (String) current.get("sid");
            if (current != null && !data.containsKey(id)) {
                return null; // deleted meanwhile: do not bring it back
            }
            data.put(id, new LinkedHashMap<>(values));
            return Map.of("sid", id);
        }

        @Override
        public synchronized boolean delete(Map<String, Object> cookiePayload) {
            calls.add("delete");
            failIfDown();
            return data.remove((String) cookiePayload.get("sid")) != null;
        }

        @Override
        public synchronized Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> values,
                Duration timeToLive) {
            calls.add("touch");
            failIfDown();
            return data.containsKey((String) cookiePayload.get("sid")) ? cookiePayload : null;
        }

        private void failIfDown() {
            if (down) {
                throw new SessionStoreException("memory store is down", null);
            }
        }
    }

    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    private final MemoryStore store = new MemoryStore();
    private final SessionMiddleware middleware = new SessionMiddleware(
            SessionConfig.builder("server-side-secret-0123456789-0123456789").store(store).clock(clock)
                    .maxAge(Duration.ofMinutes(10)).build());

    @Test
    void requestsThatStoreNothingCreateNothing() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.get("a"));
        browser.request(s -> { });
        assertThat(store.data).isEmpty();
        assertThat(store.calls).isEmpty();
    }

    @Test
    void theCookieCarriesOnlyTheIdAndAnUnchangedSessionOnlyLoads() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("cart", List.of("apple")));
        assertThat(store.data).hasSize(1);
        store.calls.clear();
        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("cart"));
        assertThat(seen[0]).isEqualTo(List.of("apple"));
        assertThat(response.setsCookie()).isFalse();
        assertThat(store.calls).containsExactly("load");
    }

    @Test
    void aDueRefreshTouchesInsteadOfRewriting() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("a", 1));
        String before = browser.cookie();
        clock.advance(Duration.ofMinutes(6));
        store.calls.clear();
        Browser.Response response = browser.request(s -> s.get("a"));
        assertThat(store.calls).containsExactly("load", "touch");
        assertThat(response.cookieValue()).isNotEqualTo(before); // re-signed now, same id
        assertThat(store.data).hasSize(1);
    }

    @Test
    void regenerateDeletesTheOldSessionAtOnceAndMintsANewId() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("user_id", "alice"));
        String oldCookie = browser.cookie();
        store.calls.clear();
        browser.request(s -> {
            s.regenerate();
            assertThat(store.calls).containsExactly("load", "delete");
            assertThat(store.data).isEmpty();
            s.put("user_id", "bob");
        });
        assertThat(store.calls).containsExactly("load", "delete", "save-new");
        Object[] seen = new Object[1];
        new Browser(middleware).requestWithCookieHeader("chirp_session=" + oldCookie, s -> seen[0] = s.get("user_id"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void emptyingASessionDeletesItAndTheCookie() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("a", 1));
        Browser.Response response = browser.request(s -> s.remove("a"));
        assertThat(response.deletesCookie()).isTrue();
        assertThat(store.data).isEmpty();
    }

    @Test
    void aSessionTheStoreNoLongerHasIsEmptyAndItsCookieDeleted() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("a", 1));
        store.data.clear();
        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void timedOutSessionsAreDeletedFromTheStore() {
        SessionMiddleware withIdle = new SessionMiddleware(SessionConfig.builder("server-side-secret-0123456789-0123456789")
                .store(store).clock(clock).idleTimeout(Duration.ofMinutes(5)).build());
        Browser browser = new Browser(withIdle);
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(6));
        browser.request(s -> s.get("a"));
        assertThat(store.data).isEmpty();
    }

    @Test
    void aStoreFailurePropagatesAndTheNextCallRetries() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("a", 1));
        SessionRequest request = middleware.begin("chirp_session=" + browser.cookie());
        store.down = true;
        assertThatThrownBy(() -> request.session().get("a")).isInstanceOf(SessionStoreException.class);
        store.down = false;
        assertThat(request.session().get("a")).isEqualTo(1);
    }

    @Test
    void aReadOnlyRefreshNeverOverwritesAConcurrentWrite() {
        SessionMiddleware withIdle = new SessionMiddleware(SessionConfig.builder("server-side-secret-0123456789-0123456789")
                .store(store).clock(clock).idleTimeout(Duration.ofMinutes(30)).build());
        Browser browser = new Browser(withIdle);
        browser.request(s -> s.put("cart", List.of("a")));
        String cookie = "chirp_session=" + browser.cookie();
        clock.advance(Duration.ofMinutes(20)); // an idle refresh is due

        SessionRequest slowReader = withIdle.begin(cookie);
        slowReader.session().get("cart");
        SessionRequest writer = withIdle.begin(cookie);
        writer.session().put("cart", List.of("a", "b"));
        writer.commit((n, v) -> { });
        List<String> headers = new ArrayList<>();
        slowReader.commit((n, v) -> headers.add(n));

        assertThat(store.data.values().iterator().next().get("cart")).isEqualTo(List.of("a", "b"));
        assertThat(headers).contains("Set-Cookie"); // the refresh still happened, as a touch
    }

    @Test
    void aSlowResponseForASessionEndedMeanwhileSendsNoCookie() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("user_id", "anonymous"));
        String old = "chirp_session=" + browser.cookie();
        clock.advance(Duration.ofMinutes(6)); // a sliding refresh is due

        SessionRequest slowPoll = middleware.begin(old);
        slowPoll.session().get("user_id");
        SessionRequest slowWrite = middleware.begin(old);
        slowWrite.session().put("cart", List.of("x"));
        browser.request(s -> Sessions.login("alice")); // another tab logs in: the old id is deleted

        for (SessionRequest late : List.of(slowPoll, slowWrite)) {
            List<String> headers = new ArrayList<>();
            late.commit((n, v) -> headers.add(n));
            assertThat(headers).as("no cookie may replace the new login").doesNotContain("Set-Cookie");
        }
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("user_id"));
        assertThat(seen[0]).isEqualTo("alice");
    }

    @Test
    void aSlowResponseThatEmptiesASessionEndedMeanwhileDeletesNoCookie() {
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("flash", "saved"));
        SessionRequest slow = middleware.begin("chirp_session=" + browser.cookie());
        slow.session().remove("flash"); // this tab shows the flash message once
        browser.request(s -> Sessions.login("alice")); // another tab logs in meanwhile
        List<String> headers = new ArrayList<>();
        slow.commit((n, v) -> headers.add(n));
        assertThat(headers).doesNotContain("Set-Cookie");
    }
}
