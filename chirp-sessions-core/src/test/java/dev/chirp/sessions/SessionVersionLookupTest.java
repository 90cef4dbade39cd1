package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.Python;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionVersionLookupTest {

    private static final String SECRET = "version-test-secret-0123456789-0123456789";

    /** The application's user table: user id to current session version. */
    private final Map<String, String> versions = new ConcurrentHashMap<>(Map.of("alice", "1", "42", "7"));
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile boolean userTableDown;

    private final SessionVersionLookup lookup = userId -> {
        lookups.incrementAndGet();
        if (userTableDown) {
            throw new IllegalStateException("connection refused");
        }
        return Optional.ofNullable(versions.get(userId));
    };

    private SessionMiddleware middleware(SessionStore store) {
        return new SessionMiddleware(SessionConfig.builder(SECRET).store(store).sessionVersions(lookup).build());
    }

    @Test
    void loginStoresTheCurrentVersionAsChirpDoes() {
        Browser browser = new Browser(middleware(new CookieSessionStore()));
        browser.request(session -> Sessions.login("alice"));
        browser.request(session -> assertThat(session).containsExactly(
                Map.entry("user_id", "alice"), Map.entry("_session_version", "1")));
        browser.request(session -> Sessions.login(42));
        browser.request(session -> assertThat(session.get("_session_version")).isEqualTo("7"));
    }

    @Test
    void bumpingTheVersionEndsEverySessionOfThatUserAndANewLoginWorks() {
        SessionMiddleware middleware = middleware(new CookieSessionStore());
        Browser laptop = new Browser(middleware);
        Browser phone = new Browser(middleware);
        Browser bob = new Browser(middleware);
        laptop.request(session -> Sessions.login("alice"));
        phone.request(session -> Sessions.login("alice"));
        bob.request(session -> Sessions.login("bob")); // no version for bob: never revoked

        versions.put("alice", "2"); // "log out everywhere"

        Browser.Response revoked = phone.request(session -> assertThat(session).isEmpty());
        assertThat(revoked.deletesCookie()).isTrue();
        assertThat(phone.cookie()).isNull();
        laptop.request(session -> assertThat(Sessions.userId()).isEmpty());
        bob.request(session -> assertThat(Sessions.userId()).contains("bob"));

        phone.request(session -> Sessions.login("alice"));
        phone.request(session -> assertThat(session).containsEntry("_session_version", "2")
                .containsEntry("user_id", "alice"));
    }

    @Test
    void anExplicitVersionIsStoredAndASessionWithoutOneIsRevokedOnceTheUserHasOne() {
        Browser browser = new Browser(middleware(new CookieSessionStore()));
        browser.request(session -> Sessions.login("alice", "1"));
        browser.request(session -> assertThat(Sessions.userId()).contains("alice"));
        browser.request(session -> Sessions.login("alice", null));
        browser.request(session -> assertThat(session).isEmpty());
    }

    @Test
    void theLookupRunsAtMostOncePerRequestAndOnlyForSessionsHoldingAUser() {
        Browser browser = new Browser(middleware(new CookieSessionStore()));
        browser.request(session -> session.put("cart", List.of("apple")));
        browser.request(session -> session.get("cart"));
        browser.requestWithCookieHeader(null, session -> { });
        assertThat(lookups).hasValue(0);

        browser.request(session -> Sessions.login("alice"));
        assertThat(lookups).hasValue(1);
        lookups.set(0);
        browser.request(session -> {
            session.get("user_id");
            session.put("visits", 1);
            Sessions.flashes();
        });
        assertThat(lookups).hasValue(1);
        lookups.set(0);
        browser.request(session -> Sessions.login("alice")); // loaded and logged in again as the same user
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aFailingLookupFailsTheRequestAndEndsNothing() {
        Browser browser = new Browser(middleware(new CookieSessionStore()));
        browser.request(session -> Sessions.login("alice"));
        String cookie = browser.cookie();
        userTableDown = true;
        assertThatThrownBy(() -> browser.request(session -> session.get("user_id")))
                .isInstanceOf(SessionStoreException.class)
                .hasMessage("session version lookup failed; the request fails rather than serve a session "
                        + "that may have been revoked")
                .hasRootCauseMessage("connection refused");
        assertThatThrownBy(() -> browser.request(session -> Sessions.login("alice")))
                .isInstanceOf(SessionStoreException.class);
        assertThat(browser.cookie()).isEqualTo(cookie);
        userTableDown = false;
        browser.request(session -> assertThat(Sessions.userId()).contains("alice"));
    }

    @Test
    void aRevokedSessionIsDeletedFromAServerSideStore() {
        ServerSideStoreTest.MemoryStore store = new ServerSideStoreTest.MemoryStore();
        Browser browser = new Browser(middleware(store));
        browser.request(session -> Sessions.login("alice"));
        assertThat(store.data).hasSize(1);
        versions.put("alice", "2");
        Browser.Response response = browser.request(session -> assertThat(session).isEmpty());
        assertThat(response.deletesCookie()).isTrue();
        assertThat(store.data).isEmpty();
    }

    @Test
    void aRevokedSessionIsReportedOnceAsRevokedNotAsEnded() {
        List<SessionEvent.Type> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Browser browser = new Browser(new SessionMiddleware(SessionConfig.builder(SECRET).sessionVersions(lookup)
                .listener(event -> events.add(event.type())).build()));
        browser.request(session -> Sessions.login("alice"));
        versions.put("alice", "2");
        events.clear();
        browser.request(session -> session.get("user_id"));
        assertThat(events).containsExactly(SessionEvent.Type.REVOKED);
    }

    @Test
    void withoutALookupVersionsAreNotChecked() {
        Browser browser = new Browser(new SessionMiddleware(SessionConfig.builder(SECRET).build()));
        browser.request(session -> Sessions.login("alice", "1"));
        browser.request(session -> assertThat(Sessions.userId()).contains("alice"));
    }

    @Test
    void aCookieMintedByPythonItsdangerousWithAnOldVersionIsRefused() throws Exception {
        Browser browser = new Browser(middleware(new CookieSessionStore()));
        String current = python("{\"user_id\": \"alice\", \"_session_version\": \"1\"}");
        String old = python("{\"user_id\": \"alice\", \"_session_version\": \"0\"}");

        browser.setCookie(current);
        browser.request(session -> assertThat(Sessions.userId()).contains("alice"));
        browser.setCookie(old);
        Browser.Response refused = browser.request(session -> assertThat(session).isEmpty());
        assertThat(refused.deletesCookie()).isTrue();
    }

    /** Signs {@code json} with Python's itsdangerous, as chirp's SessionMiddleware does. */
    private static String python(String json) throws IOException, InterruptedException {
        Python.assumeModules("itsdangerous");
        return Python.run("import json, sys\n"
                + "from itsdangerous import URLSafeTimedSerializer\n"
                + "print(URLSafeTimedSerializer(sys.argv[1]).dumps(json.loads(sys.argv[2])))", SECRET, json);
    }
}
