package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.it.Browser.SetCookie;
import dev.chirp.sessions.testkit.LogCapture;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * chirp's session behaviours, through real HTTP against a real server: one contract, one subclass per
 * server. Every response is checked for exactly one correct {@code Set-Cookie} (or none, as the write
 * policy says) and for {@code Vary: Cookie} exactly when the handler touched the session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SessionContract {

    protected final Apps apps = new Apps();
    protected TestServer server;
    protected HttpClient client;

    /** Starts the server under test with {@link #apps} mounted. */
    protected abstract TestServer start(Apps apps) throws Exception;

    /** The path of this server's own case {@code name} under {@code /app} (its commit point differs per server). */
    protected abstract String serverCase(String name);

    protected HttpClient newClient() throws Exception {
        return Browser.newClient(HttpClient.newBuilder());
    }

    @BeforeAll
    void startServer() throws Exception {
        server = start(apps);
        client = newClient();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    protected Browser browser() {
        return new Browser(client, server.base());
    }

    /** Asserts one session cookie and {@code Vary: Cookie}; returns the cookie's verified payload. */
    protected Map<String, Object> savedSession(Reply reply) {
        assertThat(reply.vary()).as("Vary of %s", reply).containsExactly("Cookie");
        SetCookie cookie = reply.onlyCookie();
        assertThat(cookie.isDeletion()).as("deletion cookie in %s", reply).isFalse();
        return apps.decode(cookie.value());
    }

    protected static void assertNothingWritten(Reply reply) {
        assertThat(reply.setCookies()).as("Set-Cookie of %s", reply).isEmpty();
        assertThat(reply.vary()).as("Vary of %s", reply).isEmpty();
    }

    @Test
    void counterClimbsWithTheCookieAndRestartsWithoutIt() {
        Browser browser = browser();
        for (int i = 1; i <= 3; i++) {
            Reply reply = browser.get("/app/count");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("count=" + i);
            assertThat(savedSession(reply)).containsEntry("count", i);
        }
        assertThat(browser().get("/app/count").body()).isEqualTo("count=1");
    }

    @Test
    void sessionCookieCarriesChirpDefaultAttributes() {
        SetCookie cookie = browser().get("/app/count").onlyCookie();
        assertThat(cookie.attributes()).containsEntry("path", "/").containsEntry("max-age", "86400")
                .containsEntry("samesite", "Lax").containsKey("httponly")
                .doesNotContainKeys("secure", "domain", "partitioned");
        assertThat(cookie.attributes().get("expires"))
                .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    @Test
    void untouchedSessionWritesNoCookieAndNoVary() {
        Browser browser = browser();
        assertNothingWritten(browser.get("/app/none"));
        browser.get("/app/count");
        Reply reply = browser.get("/app/none");
        assertThat(reply.body()).isEqualTo("ok");
        assertNothingWritten(reply);
    }

    @Test
    void readingTheSessionSendsVaryButNoCookie() {
        Browser browser = browser();
        browser.get("/app/count");
        Reply reply = browser.get("/app/read");
        assertThat(reply.body()).isEqualTo("{count=1}");
        assertThat(reply.setCookies()).isEmpty();
        assertThat(reply.vary()).containsExactly("Cookie");
    }

    @Test
    void readingAnEmptySessionWithoutCookieSendsOnlyVary() {
        Reply reply = browser().get("/app/read");
        assertThat(reply.body()).isEqualTo("{}");
        assertThat(reply.setCookies()).isEmpty();
        assertThat(reply.vary()).containsExactly("Cookie");
    }

    @Test
    void tamperedCookieGivesAFreshSessionNotAnError() {
        Browser browser = browser();
        browser.get("/app/count");
        browser.get("/app/count");
        String value = browser.jar().get("chirp_session");
        // Change a payload character: every bit of it counts (the last character of a base64 value
        // carries padding bits, and changing only those changes nothing).
        char c = value.charAt(3);
        String tampered = value.substring(0, 3) + (c == 'x' ? 'y' : 'x') + value.substring(4);
        for (String bad : List.of(tampered, "garbage", "", "a.b.c", "\u00e9t\u00e9")) {
            Reply reply = browser.send("/app/count", List.of("chirp_session=" + bad));
            assertThat(reply.status()).as("cookie %s", bad).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("count=1");
            assertThat(savedSession(reply)).containsEntry("count", 1);
        }
    }

    @Test
    void cookieSignedWithAnotherSecretGivesAFreshSession() {
        String foreign = apps.cookieValue(Apps.FOREIGN_SECRET, s -> s.put("count", 41));
        Reply reply = browser().send("/app/count", List.of("chirp_session=" + foreign));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("count=1");
    }

    @Test
    void cookieSignedWithAFallbackSecretIsReadAndReissuedUnderTheNewSecret() {
        String old = apps.cookieValue(Apps.SECRET, s -> s.put("count", 7));
        Reply reply = browser().send("/rotated/read", List.of("chirp_session=" + old));
        assertThat(reply.body()).isEqualTo("{count=7}");
        SetCookie reissued = reply.onlyCookie();
        assertThat(apps.decode(Apps.NEW_SECRET, reissued.value())).containsEntry("count", 7);
        assertThat(reply.vary()).containsExactly("Cookie");
    }

    @Test
    void nestedDataSurvivesTheRoundTrip() {
        Browser browser = browser();
        browser.get("/app/nested");
        assertThat(browser.get("/app/profile").body()).isEqualTo(SessionOps.profile().toString());
    }

    @Test
    void changeInsideANestedListIsSaved() {
        Browser browser = browser();
        browser.get("/app/nested");
        Reply reply = browser.get("/app/tag?tag=c");
        assertThat(savedSession(reply)).containsKey("profile");
        assertThat(browser.get("/app/profile").body()).contains("tags=[a, b, c]");
    }

    @Test
    void removingAKeyIsSaved() {
        Browser browser = browser();
        browser.get("/app/put?k=a&v=1");
        browser.get("/app/put?k=b&v=2");
        Reply reply = browser.get("/app/remove?k=a");
        assertThat(savedSession(reply)).containsOnlyKeys("b");
        assertThat(browser.get("/app/read").body()).isEqualTo("{b=2}");
    }

    @Test
    void removingTheLastKeyDeletesTheCookie() {
        Browser browser = browser();
        browser.get("/app/put?k=a&v=1");
        Reply reply = browser.get("/app/remove?k=a");
        SetCookie deletion = reply.onlyCookie();
        assertThat(deletion.isDeletion()).isTrue();
        assertThat(deletion.value()).isEmpty();
        assertThat(deletion.attributes()).containsEntry("path", "/");
        assertThat(browser.jar()).isEmpty();
    }

    @Test
    void customCookieNameIsUsedAndTheDefaultNameIgnored() {
        Browser browser = browser();
        Reply first = browser.get("/custom/count");
        SetCookie cookie = first.onlyCookie(Apps.CUSTOM_COOKIE);
        assertThat(first.setCookies()).hasSize(1);
        assertThat(apps.decode(cookie.value())).containsEntry("count", 1);
        assertThat(browser.get("/custom/count").body()).isEqualTo("count=2");
        String defaultName = apps.cookieValue(Apps.SECRET, s -> s.put("count", 50));
        Reply ignored = browser().send("/custom/count", List.of("chirp_session=" + defaultName));
        assertThat(ignored.body()).isEqualTo("count=1");
    }

    @Test
    void regenerateIssuesADifferentCookie() {
        Browser browser = browser();
        browser.get("/app/put?k=a&v=1");
        String before = browser.jar().get("chirp_session");
        apps.clock.advance(Duration.ofSeconds(1)); // the same data signed in the same second is the same cookie
        Reply reply = browser.get("/app/regenerate?k=a&v=1");
        Map<String, Object> saved = savedSession(reply);
        assertThat(saved).containsEntry("a", "1");
        assertThat(reply.onlyCookie().value()).isNotEqualTo(before);
    }

    @Test
    void loginRegeneratesTheCookieAndStoresTheUser() {
        Browser browser = browser();
        browser.get("/app/put?k=cart&v=apple");
        String before = browser.jar().get("chirp_session");
        Reply login = browser.get("/app/login?user=ada");
        assertThat(savedSession(login)).containsOnlyKeys("user_id").containsEntry("user_id", "ada");
        assertThat(login.onlyCookie().value()).isNotEqualTo(before);
        assertThat(browser.get("/app/whoami").body()).isEqualTo("ada");
    }

    @Test
    void logoutRegeneratesAndForgetsTheUser() {
        Browser browser = browser();
        browser.get("/app/login?user=ada");
        Reply logout = browser.get("/app/logout");
        assertThat(logout.onlyCookie().isDeletion()).isTrue();
        assertThat(logout.vary()).containsExactly("Cookie");
        assertThat(browser.get("/app/whoami").body()).isEqualTo("anonymous");
    }

    @Test
    void idleTimeoutEndsAnUnusedSession() {
        Browser browser = browser();
        assertThat(browser.get("/timeouts/count").body()).isEqualTo("count=1");
        assertThat(browser.get("/timeouts/count").body()).isEqualTo("count=2");
        apps.clock.advance(Apps.IDLE.plusMinutes(1));
        Reply reply = browser.get("/timeouts/count");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("count=1");
        assertThat(savedSession(reply)).containsEntry("count", 1);
    }

    @Test
    void absoluteTimeoutEndsEvenABusySession() {
        Browser browser = browser();
        Duration step = Apps.IDLE.minusMinutes(1);
        long expected = 1;
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(Apps.ABSOLUTE) <= 0; elapsed = elapsed.plus(step)) {
            assertThat(browser.get("/timeouts/count").body()).as("after %s", elapsed).isEqualTo("count=" + expected);
            expected++;
            apps.clock.advance(step);
        }
        assertThat(browser.get("/timeouts/count").body()).isEqualTo("count=1");
    }

    @Test
    void firstOfTwoSameNameCookiesInvalidTheSecondValidIsRead() {
        String valid = apps.cookieValue(Apps.SECRET, s -> s.put("count", 9));
        Reply reply = browser().send("/app/count", List.of("chirp_session=forged.by.someone; chirp_session=" + valid));
        assertThat(reply.body()).isEqualTo("count=10");
        assertThat(savedSession(reply)).containsEntry("count", 10);
    }

    @Test
    void sameNameCookiesInSeparateCookieHeadersAreAllTried() {
        String valid = apps.cookieValue(Apps.SECRET, s -> s.put("count", 20));
        Reply reply = browser().send("/app/count", List.of("chirp_session=forged", "chirp_session=" + valid));
        assertThat(reply.body()).isEqualTo("count=21");
    }

    /**
     * The most cookies this server lets through in one request before it refuses the request itself
     * (Tomcat's {@code maxCookieCount}, 200 by default); {@link Integer#MAX_VALUE} when it has no such cap.
     */
    protected int serverCookieCap() {
        return Integer.MAX_VALUE;
    }

    @Test
    void theSessionCookieIsReadBehind301JunkCookiesAndNeverReplaced() {
        String valid = apps.cookieValue(Apps.SECRET, s -> s.put("count", 50));
        for (int junkCount : new int[] {199, 301}) {
            StringBuilder junk = new StringBuilder();
            for (int i = 0; i < junkCount; i++) {
                junk.append('j').append(i).append("=x; ");
            }
            Reply reply = browser().send("/app/count", List.of(junk + "chirp_session=" + valid));
            if (junkCount + 1 > serverCookieCap()) {
                // The server refuses the whole request before any filter runs: no session is replaced.
                assertThat(reply.status()).as("%d junk cookies", junkCount).isEqualTo(400);
                assertThat(reply.setCookies()).isEmpty();
                continue;
            }
            assertThat(reply.status()).as("%d junk cookies", junkCount).isEqualTo(200);
            assertThat(reply.body()).as("the session behind %d junk cookies", junkCount).isEqualTo("count=51");
            assertThat(savedSession(reply)).containsEntry("count", 51);
        }
    }

    @Test
    void quotedCookieValueIsRead() {
        String valid = apps.cookieValue(Apps.SECRET, s -> s.put("count", 30));
        Reply reply = browser().send("/app/count", List.of("chirp_session=\"" + valid + "\""));
        assertThat(reply.body()).isEqualTo("count=31");
    }

    @Test
    void otherCookiesWithSpacesAndLatin1BytesDoNotHideTheSessionCookie() {
        String valid = apps.cookieValue(Apps.SECRET, s -> s.put("count", 40));
        Reply reply = browser().send("/app/count",
                List.of("pref=has space; name=J\u00fcrgen; chirp_session=" + valid + "; last=\"q\""));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("count=41");
    }

    @Test
    void handlerThatThrowsSavesNothing() {
        Browser browser = browser();
        browser.get("/app/put?k=v&v=kept");
        Reply failed;
        // Tomcat reports the handler's exception at SEVERE: expected here, so kept out of the build log.
        try (LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            failed = browser.get("/app/throw");
        }
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.setCookies()).isEmpty();
        assertThat(browser.get("/app/get?k=v").body()).isEqualTo("kept");
    }

    @Test
    void sessionTooLargeForACookieFailsTheRequestWithoutACookie() {
        Browser browser = browser();
        browser.get("/app/put?k=v&v=kept");
        Reply failed;
        // The library's warning, and (on Tomcat) the container's report of the failed request.
        try (LogCapture log = LogCapture.of("dev.chirp.sessions");
             LogCapture container = LogCapture.of("org.apache.catalina.core")) {
            failed = browser.get("/app/big?n=6000");
            assertThat(log.awaitWarning("over the limit of 4096")).anyMatch(w -> w.contains("over the limit of 4096"));
        }
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.setCookies()).isEmpty();
        assertThat(failed.body()).isNotEqualTo("ok");
        assertThat(browser.get("/app/get?k=v").body()).isEqualTo("kept");
    }

    // A change made after the commit point cannot reach the browser: it must be reported when the
    // request ends, and nothing about it may be sent. Each case stores cart=[a] first, then passes a
    // commit point and adds "b" to the cart in place.

    @Test
    void listFirstHandedOutAfterTheCommitPointAndChangedIsReportedNotSent() throws Exception {
        assertReportedNotSent("late-inplace", reply -> {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.vary()).containsExactly("Cookie");
        }, "changed in place after it was written");
    }

    @Test
    void sessionFirstReadAfterTheCommitPointIsReportedNotSent() throws Exception {
        assertReportedNotSent("late-first-touch", reply -> assertThat(reply.status()).isEqualTo(200),
                "first read after the response committed", "Vary: Cookie");
    }

    @Test
    void listHandedOutBeforeTheCommitPointAndChangedAfterItIsReportedNotSent() throws Exception {
        assertReportedNotSent("late-control", reply -> {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.vary()).containsExactly("Cookie");
        }, "changed in place after it was written");
    }

    @Test
    void changeInPlaceAfterTheCommitPointIsReportedWhenTheHandlerThenThrows() throws Exception {
        assertReportedNotSent("late-inplace-then-throw", reply -> assertThat(reply.body()).isEqualTo("sent"),
                "changed in place after it was written");
    }

    /**
     * Stores cart=[a], runs {@code serverCase} (which passes a commit point and then touches the cart),
     * checks its reply sets no cookie and passes {@code replyChecks}, that a warning containing
     * {@code warning} (and {@code alsoInWarning}) was logged, and that the cart is still [a].
     */
    private void assertReportedNotSent(String serverCase, Consumer<Reply> replyChecks, String warning,
            String... alsoInWarning) throws Exception {
        Browser browser = browser();
        browser.get("/app/cart");
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Reply reply = browser.get(serverCase(serverCase));
            replyChecks.accept(reply);
            assertThat(reply.setCookies()).isEmpty();
            assertThat(log.awaitWarning(warning))
                    .anySatisfy(w -> {
                        assertThat(w).contains(warning);
                        for (String also : alsoInWarning) {
                            assertThat(w).contains(also);
                        }
                    });
        }
        assertThat(browser.get("/app/get?k=cart").body()).isEqualTo("[a]");
    }
}
