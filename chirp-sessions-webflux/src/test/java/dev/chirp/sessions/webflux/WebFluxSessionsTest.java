package dev.chirp.sessions.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionEvent;
import dev.chirp.sessions.SessionFormat;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link WebFluxSessions} in a real WebFlux application on Reactor Netty, port 0, through real HTTP: the
 * servlet filter's behaviour, exchange by exchange.
 */
class WebFluxSessionsTest {

    static final String SECRET = "webflux-test-secret-0123456789abcdef";
    static final String OLD_SECRET = "webflux-old-secret-0123456789abcdef";

    private static final MutableClock CLOCK = MutableClock.at("2026-01-01T00:00:00Z");
    private static final List<SessionEvent.Type> EVENTS = new CopyOnWriteArrayList<>();
    private static SessionMiddleware middleware;
    private static TestApp app;
    private Client client;

    @BeforeAll
    static void start() {
        middleware = new SessionMiddleware(SessionConfig.builder(SECRET).fallbackSecrets(OLD_SECRET).clock(CLOCK)
                .idleTimeout(Duration.ofHours(1)).listener(event -> EVENTS.add(event.type())).build());
        app = new TestApp(middleware);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void newClient() {
        client = new Client(app.base(), "chirp_session");
        EVENTS.clear();
    }

    @Test
    void anExchangeThatNeverAsksForTheSessionWritesNoCookieAndNoVary() {
        client.cookie = "tampered.value";
        HttpResponse<String> response = client.get("/none");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Client.setCookies(response)).isEmpty();
        assertThat(response.headers().allValues("Vary")).isEmpty();
    }

    @Test
    void aValueStoredThroughTheWebSessionIsTheChirpCookieAndReadsBackEveryWay() {
        HttpResponse<String> put = client.get("/put?key=user&value=ada");
        assertThat(Client.setCookies(put)).singleElement().asString()
                .startsWith("chirp_session=").contains("HttpOnly", "SameSite=Lax", "Path=/");
        assertThat(put.headers().allValues("Vary")).contains("Cookie");
        assertThat(decode(client.cookie)).containsEntry("user", "ada");

        HttpResponse<String> read = client.get("/get?key=user");
        assertThat(read.body()).isEqualTo("ada");
        assertThat(read.headers().allValues("Vary")).contains("Cookie");
        assertThat(Client.setCookies(read)).as("a read-only exchange before the refresh is due").isEmpty();
        assertThat(client.get("/attr").body()).isEqualTo("ada");
    }

    @Test
    void anEmptySessionWithNoCookieWritesNothing() {
        HttpResponse<String> response = client.get("/get?key=user");
        assertThat(response.body()).isEqualTo("null");
        assertThat(Client.setCookies(response)).isEmpty();
        assertThat(response.headers().allValues("Vary")).contains("Cookie");
    }

    @Test
    void nestedJsonValuesSurviveTheRoundTrip() {
        client.get("/nested");
        Map<String, Object> data = decode(client.cookie);
        assertThat(data.get("cart")).asString().contains("sku=a-1", "n=2");
        assertThat(client.get("/get?key=cart").body()).contains("a-1");
    }

    @Test
    void aValueThatIsNotJsonIsRefusedAtPutWithTheServletSidesMessage() {
        AtomicReference<String> servletSide = new AtomicReference<>();
        new Browser(middleware).request(session -> {
            try {
                session.put("when", new Object());
            } catch (IllegalArgumentException e) {
                servletSide.set(e.getMessage());
            }
        });
        HttpResponse<String> response = client.get("/bad");
        assertThat(response.body()).isEqualTo(servletSide.get()).contains("\"when\"", "must be a JSON value");
        assertThat(Client.setCookies(response)).isEmpty();
    }

    @Test
    void aSessionOverTheSizeLimitFailsTheExchangeBeforeTheCookieIsSent() {
        client.get("/put?key=user&value=ada");
        String before = client.cookie;
        HttpResponse<String> response = client.get("/big");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("too big");
        assertThat(Client.setCookies(response)).isEmpty();
        assertThat(client.cookie).isEqualTo(before);
        assertThat(EVENTS).contains(SessionEvent.Type.TOO_LARGE);
    }

    @Test
    void aHandlerThatFailsSavesNothing() {
        client.get("/put?key=user&value=ada");
        String before = client.cookie;
        HttpResponse<String> failed = client.get("/fail");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(Client.setCookies(failed)).isEmpty();
        HttpResponse<String> missing = client.get("/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Client.setCookies(missing)).isEmpty();
        assertThat(client.cookie).isEqualTo(before);
        assertThat(client.get("/get?key=lost").body()).isEqualTo("null");
    }

    @Test
    void invalidateEndsTheSessionWithADeletionCookie() {
        client.get("/put?key=user&value=ada");
        HttpResponse<String> response = client.get("/invalidate");
        assertThat(Client.setCookies(response)).singleElement().asString().startsWith("chirp_session=;")
                .contains("Max-Age=0");
        assertThat(client.cookie).isNull();
        assertThat(EVENTS).contains(SessionEvent.Type.ENDED);
    }

    @Test
    void changeSessionIdRegeneratesKeepingTheValues() {
        client.get("/put?key=user&value=ada");
        String before = client.cookie;
        CLOCK.advance(Duration.ofSeconds(1));
        HttpResponse<String> response = client.get("/change");
        assertThat(Client.setCookies(response)).hasSize(1);
        assertThat(client.cookie).isNotEqualTo(before);
        assertThat(decode(client.cookie)).containsEntry("user", "ada");
        assertThat(EVENTS).contains(SessionEvent.Type.REGENERATED);
    }

    @Test
    void aReadOnlySessionIsReissuedOnlyWhenTheThrottledRefreshIsDue() {
        client.get("/put?key=user&value=ada");
        String first = client.cookie;
        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(Client.setCookies(client.get("/get?key=user"))).isEmpty();
        CLOCK.advance(Duration.ofMinutes(6)); // past min(60 s, idle / 10) since the last recorded activity
        HttpResponse<String> refreshed = client.get("/get?key=user");
        assertThat(Client.setCookies(refreshed)).hasSize(1);
        assertThat(client.cookie).isNotEqualTo(first);
        assertThat(EVENTS).contains(SessionEvent.Type.REFRESHED);
    }

    @Test
    void anIdleSessionTimesOut() {
        client.get("/put?key=user&value=ada");
        CLOCK.advance(Duration.ofHours(2));
        assertThat(client.get("/get?key=user").body()).isEqualTo("null");
        assertThat(EVENTS).contains(SessionEvent.Type.TIMED_OUT);
    }

    @Test
    void aCookieSignedWithAFallbackSecretIsReissuedUnderTheCurrentOne() {
        SessionMiddleware old = new SessionMiddleware(SessionConfig.builder(OLD_SECRET).clock(CLOCK).build());
        client.cookie = new Browser(old).request(session -> session.put("user", "grace")).cookieValue();
        HttpResponse<String> response = client.get("/get?key=user");
        assertThat(response.body()).isEqualTo("grace");
        assertThat(Client.setCookies(response)).hasSize(1);
        assertThat(EVENTS).contains(SessionEvent.Type.FALLBACK_SECRET);
        assertThat(client.get("/get?key=user").body()).isEqualTo("grace");
    }

    @Test
    void aTamperedCookieIsAnEmptySessionAndIsDeleted() {
        client.get("/put?key=user&value=ada");
        client.cookie = client.cookie.substring(0, client.cookie.length() - 2) + "xx";
        HttpResponse<String> response = client.get("/get?key=user");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("null");
        assertThat(EVENTS).contains(SessionEvent.Type.REJECTED);
    }

    @Test
    void loginRegeneratesAndStoresTheUserIdLogoutEndsTheSession() {
        client.get("/put?key=planted&value=x");
        String before = client.cookie;
        assertThat(client.get("/login?user=ada").body()).isEqualTo("ada");
        assertThat(client.cookie).isNotEqualTo(before);
        assertThat(decode(client.cookie)).containsEntry("user_id", "ada").doesNotContainKey("planted");
        client.get("/logout");
        assertThat(client.cookie).isNull();
    }

    @Test
    void flashMessagesSurviveExactlyOneExchange() {
        client.get("/flash?message=Saved.");
        assertThat(client.get("/flashes").body()).isEqualTo("[Flash[category=info, message=Saved.]]");
        assertThat(client.get("/flashes").body()).isEqualTo("[]");
    }

    @Test
    void theCsrfFilterRefusesAnUnsafeRequestWithoutTheSessionToken() {
        String token = client.get("/csrf").body();
        assertThat(decode(client.cookie)).containsEntry("_csrf_token", token);
        HttpResponse<String> refused = client.postForm("/form", "a=b");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(client.postForm("/form", "_csrf_token=" + "0".repeat(64)).statusCode()).isEqualTo(403);
        HttpResponse<String> accepted = client.postForm("/form", "a=b&_csrf_token=" + token);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("accepted");
    }

    @Test
    void sessionsGetIsNotBoundOnAnEventLoopAndSaysWhatToUseInstead() {
        assertThat(client.get("/thread-local").body()).contains("WebFlux", "exchange.getSession()",
                "WebFluxSessions.session(exchange)");
    }

    @ParameterizedTest
    @EnumSource(SessionFormat.class)
    void everyFormatRoundTrips(SessionFormat format) {
        SessionMiddleware formatted = new SessionMiddleware(SessionConfig.builder(SECRET).format(format).build());
        try (TestApp other = new TestApp(formatted)) {
            String name = formatted.config().cookieName();
            Client jar = new Client(other.base(), name);
            jar.get("/put?key=user&value=ada");
            assertThat(jar.cookie).isNotNull();
            assertThat(jar.get("/get?key=user").body()).isEqualTo("ada");
            assertThat(new Browser(formatted).requestWithCookieHeader(name + "=" + jar.cookie,
                    session -> { }).setsCookie()).isFalse();
        }
    }

    /** The session a cookie value holds, read by the core as any other adapter would. */
    static Map<String, Object> decode(String cookie) {
        return decode(middleware, cookie);
    }

    static Map<String, Object> decode(SessionMiddleware with, String cookie) {
        AtomicReference<Map<String, Object>> data = new AtomicReference<>();
        new Browser(with).requestWithCookieHeader(with.config().cookieName() + "=" + cookie,
                session -> data.set(copy(session)));
        return data.get();
    }

    private static Map<String, Object> copy(Session session) {
        Map<String, Object> copy = new LinkedHashMap<>();
        session.forEach(copy::put);
        return copy;
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
