package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionEvent.Type;
import dev.chirp.sessions.signing.Rejection;
import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.LogCapture;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Which {@link SessionEvent}s a request emits, when, and that listeners cannot break a request. */
class SessionEventTest {

    private static final String SECRET = "event-test-secret-0123456789-0123456789";

    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    private SessionMiddleware middleware(SessionConfig.Builder builder) {
        return new SessionMiddleware(builder.clock(clock).listener(events::add).build());
    }

    private Browser browser() {
        return new Browser(middleware(SessionConfig.builder(SECRET)));
    }

    private List<Type> types() {
        return events.stream().map(SessionEvent::type).toList();
    }

    @Test
    void untouchedAndReadOnlyRequestsEmitNothing() {
        Browser browser = browser();
        browser.request(s -> { });
        browser.request(Session::isEmpty);

        assertThat(events).isEmpty();
    }

    @Test
    void firstWriteIsCreatedWithTheCookieSize() {
        Browser browser = browser();
        Browser.Response response = browser.request(s -> s.put("user", "ada"));

        assertThat(events).containsExactly(
                SessionEvent.withCookieBytes(Type.CREATED, response.setCookie().length()));
    }

    @Test
    void laterWriteIsChanged() {
        Browser browser = browser();
        browser.request(s -> s.put("n", 1));
        events.clear();
        Browser.Response response = browser.request(s -> s.put("n", 2));

        assertThat(events).containsExactly(
                SessionEvent.withCookieBytes(Type.CHANGED, response.setCookie().length()));
    }

    @Test
    void regenerateWithDataIsRegenerated() {
        Browser browser = browser();
        browser.request(s -> s.put("cart", 3));
        events.clear();
        browser.request(s -> s.regenerate().put("user", "ada"));

        assertThat(types()).containsExactly(Type.REGENERATED);
        assertThat(events.get(0).cookieBytes()).isNotEmpty();
    }

    @Test
    void emptyingAHeldSessionIsEnded() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        Browser.Response response = browser.request(s -> s.regenerate());

        assertThat(response.deletesCookie()).isTrue();
        assertThat(events).containsExactly(SessionEvent.of(Type.ENDED));
        assertThat(events.get(0).cookieBytes()).isEmpty();
    }

    @Test
    void slidingRefreshIsRefreshed() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofMinutes(10))));
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        clock.advance(Duration.ofMinutes(6));
        Browser.Response response = browser.request(s -> s.get("user"));

        assertThat(events).containsExactly(
                SessionEvent.withCookieBytes(Type.REFRESHED, response.setCookie().length()));
    }

    @Test
    void tamperedCookieIsRejectedForItsSignature() {
        Browser browser = browser();
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        String cookie = browser.cookie();
        browser.setCookie(cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA"));
        browser.request(Session::isEmpty);

        assertThat(events).containsExactly(SessionEvent.rejected(Rejection.BAD_SIGNATURE));
    }

    @Test
    void expiredCookieIsRejectedAsExpired() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofMinutes(10))));
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        clock.advance(Duration.ofMinutes(11));
        browser.request(Session::isEmpty);

        assertThat(events).containsExactly(SessionEvent.rejected(Rejection.EXPIRED));
    }

    @Test
    void cookieFromTheFarFutureIsRejectedAsSignedInFuture() {
        MutableClock future = MutableClock.at("2026-11-27T11:00:00Z");
        Browser browser = browser();
        browser.setCookie(TimedSerializer.builder(SECRET).clock(future).build().dumps(Map.of("user", "ada")));
        browser.request(Session::isEmpty);

        assertThat(events).containsExactly(SessionEvent.rejected(Rejection.SIGNED_IN_FUTURE));
    }

    @Test
    void garbageCookieIsRejectedAsMalformed() {
        Browser browser = browser();
        browser.setCookie("not-a-signed-value");
        browser.request(Session::isEmpty);

        assertThat(events).containsExactly(SessionEvent.rejected(Rejection.MALFORMED));
    }

    @Test
    void signedValueThatIsNotAnObjectIsRejectedAsBadPayload() {
        Browser browser = browser();
        browser.setCookie(TimedSerializer.builder(SECRET).clock(clock).build().dumps(List.of(1, 2)));
        browser.request(Session::isEmpty);

        assertThat(events).containsExactly(SessionEvent.rejected(Rejection.BAD_PAYLOAD));
    }

    @Test
    void rejectedCookieThenWriteIsRejectedThenCreated() {
        Browser browser = browser();
        browser.setCookie("not-a-signed-value");
        browser.request(s -> s.put("user", "ada"));

        assertThat(types()).containsExactly(Type.REJECTED, Type.CREATED);
    }

    @Test
    void cookieVerifiedByAFallbackSecretIsReportedAndRefreshed() {
        Browser browser = new Browser(new SessionMiddleware(SessionConfig.builder("old-secret-0123456789-0123456789-abc")
                .clock(clock).build()));
        browser.request(s -> s.put("user", "ada"));
        Browser rotated = new Browser(middleware(SessionConfig.builder(SECRET)
                .fallbackSecrets("old-secret-0123456789-0123456789-abc")));
        rotated.setCookie(browser.cookie());
        rotated.request(s -> s.get("user"));

        assertThat(types()).containsExactly(Type.FALLBACK_SECRET, Type.REFRESHED);
    }

    @Test
    void idleTimeoutIsTimedOut() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))));
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        clock.advance(Duration.ofMinutes(31));
        browser.request(Session::isEmpty);

        assertThat(types()).containsExactly(Type.TIMED_OUT);
    }

    @Test
    void sessionGoneFromTheStoreIsMissing() {
        ServerSideStoreTest.MemoryStore store = new ServerSideStoreTest.MemoryStore();
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).store(store)));
        browser.request(s -> s.put("user", "ada"));
        store.data.clear();
        events.clear();
        browser.request(Session::isEmpty);

        assertThat(types()).containsExactly(Type.MISSING);
    }

    @Test
    void failingStoreIsStoreFailureAndTheRequestStillFails() {
        ServerSideStoreTest.MemoryStore store = new ServerSideStoreTest.MemoryStore();
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).store(store)));
        browser.request(s -> s.put("user", "ada"));
        events.clear();
        store.down = true;

        assertThatThrownBy(() -> browser.request(Session::isEmpty)).isInstanceOf(SessionStoreException.class);
        assertThat(types()).containsExactly(Type.STORE_FAILURE);
    }

    @Test
    void failingSaveIsStoreFailure() {
        ServerSideStoreTest.MemoryStore store = new ServerSideStoreTest.MemoryStore();
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).store(store)));
        store.down = true;

        assertThatThrownBy(() -> browser.request(s -> s.put("user", "ada")))
                .isInstanceOf(SessionStoreException.class);
        assertThat(types()).containsExactly(Type.STORE_FAILURE);
    }

    @Test
    void oversizedCookieIsTooLargeWithTheRefusedSize() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxCookieBytes(256)));
        // Random letters, so compression cannot bring the cookie under the limit.
        java.util.Random random = new java.util.Random(42);
        StringBuilder blob = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            blob.append((char) ('a' + random.nextInt(26)));
        }

        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            assertThatThrownBy(() -> browser.request(s -> s.put("blob", blob.toString())))
                    .isInstanceOf(SessionTooLargeException.class);
            assertThat(log.warnings()).singleElement().asString().contains("over the limit of 256");
        }
        assertThat(types()).containsExactly(Type.TOO_LARGE);
        assertThat(events.get(0).cookieBytes().getAsInt()).isGreaterThan(256);
    }

    @Test
    void throwingListenerDoesNotBreakTheRequestAndIsLoggedOnce() {
        List<SessionEvent> after = new CopyOnWriteArrayList<>();
        SessionMiddleware mw = new SessionMiddleware(SessionConfig.builder(SECRET).clock(clock)
                .listener(e -> {
                    throw new IllegalStateException("listener is broken");
                })
                .listener(after::add).build());
        Browser browser = new Browser(mw);
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Browser.Response first = browser.request(s -> s.put("n", 1));
            Browser.Response second = browser.request(s -> s.put("n", 2));

            assertThat(first.setsCookie()).isTrue();
            assertThat(second.setsCookie()).isTrue();
            assertThat(after).extracting(SessionEvent::type).containsExactly(Type.CREATED, Type.CHANGED);
            assertThat(log.warnings()).hasSize(1);
            assertThat(log.warnings().get(0)).contains("threw on SessionEvent[CREATED")
                    .doesNotContain(browser.cookie());
        }
    }

    @Test
    void listenersAreCalledInRegistrationOrder() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Browser browser = new Browser(new SessionMiddleware(SessionConfig.builder(SECRET)
                .listener(e -> calls.add("first " + e.type()))
                .listener(e -> calls.add("second " + e.type())).build()));
        browser.request(s -> s.put("n", 1));

        assertThat(calls).containsExactly("first CREATED", "second CREATED");
    }

    @Test
    void toStringShowsOnlyTypeAndDetails() {
        assertThat(SessionEvent.withCookieBytes(Type.CREATED, 120)).hasToString("SessionEvent[CREATED, cookieBytes=120]");
        assertThat(SessionEvent.rejected(Rejection.EXPIRED)).hasToString("SessionEvent[REJECTED, rejection=EXPIRED]");
        assertThat(SessionEvent.of(Type.REVOKED)).hasToString("SessionEvent[REVOKED]");
        assertThat(SessionEvent.of(Type.REVOKED).rejection()).isEmpty();
    }

    @Test
    void negativeCookieSizeIsRefused() {
        assertThatThrownBy(() -> SessionEvent.withCookieBytes(Type.CREATED, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cookieBytes must be at least 0: -1; pass the size of the Set-Cookie header value");
    }

    @Test
    void configListsItsListenersAndNullIsRefused() {
        SessionListener listener = e -> { };
        SessionConfig config = SessionConfig.builder(SECRET).listener(listener).build();

        assertThat(config.listeners()).containsExactly(listener);
        assertThat(SessionConfig.builder(SECRET).build().listeners()).isEmpty();
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).listener(null)).isInstanceOf(NullPointerException.class);
    }
}
