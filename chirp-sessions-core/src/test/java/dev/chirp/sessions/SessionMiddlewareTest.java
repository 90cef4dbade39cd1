package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.signing.TimedSerializer;
import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.LogCapture;
import dev.chirp.sessions.testkit.MutableClock;
import dev.chirp.sessions.testkit.RawToken;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** chirp's session behaviours and the write policy, through the middleware with a test exchange. */
class SessionMiddlewareTest {

    private static final String SECRET = "test-secret-key-that-is-long-enough-0123456789";
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");

    private SessionMiddleware middleware(SessionConfig.Builder builder) {
        return new SessionMiddleware(builder.clock(clock).build());
    }

    private SessionMiddleware middleware() {
        return middleware(SessionConfig.builder(SECRET));
    }

    @Test
    void setValueIsReadBackOnTheNextRequest() {
        Browser browser = new Browser(middleware());
        Browser.Response first = browser.request(s -> s.put("user", "alice"));
        assertThat(first.setCookie()).startsWith("chirp_session=");
        assertThat(first.vary).containsExactly("Cookie");

        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("alice");
    }

    @Test
    void counterClimbsAcrossRequests() {
        Browser browser = new Browser(middleware());
        List<Object> counts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            browser.request(s -> {
                int visits = ((Number) s.getOrDefault("visits", 0)).intValue() + 1;
                s.put("visits", visits);
                counts.add(visits);
            });
        }
        assertThat(counts).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void tamperedCookieGivesAnEmptySessionAndIsDeleted() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("role", "user"));
        String cookie = browser.cookie();
        browser.setCookie(cookie.substring(0, 2) + (cookie.charAt(2) == 'A' ? 'B' : 'A') + cookie.substring(3));

        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("role"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void cookieFromAnotherAppsSecretIsRejected() {
        Browser other = new Browser(middleware(SessionConfig.builder("another-apps-secret-0123456789abcdef")));
        other.request(s -> s.put("admin", true));

        Browser browser = new Browser(middleware());
        browser.setCookie(other.cookie());
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("admin"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void nestedDataSurvivesAndInPlaceChangesAreSaved() {
        Browser browser = new Browser(middleware());
        Map<String, Object> prefs = new LinkedHashMap<>();
        prefs.put("theme", "dark");
        prefs.put("tags", new ArrayList<>(List.of("a", "b")));
        browser.request(s -> s.put("prefs", prefs));

        Browser.Response changed = browser.request(s -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) s.get("prefs");
            @SuppressWarnings("unchecked")
            List<Object> tags = (List<Object>) p.get("tags");
            tags.add("c");
        });
        assertThat(changed.setsCookie()).isTrue();

        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("prefs"));
        assertThat(seen[0]).isEqualTo(Map.of("theme", "dark", "tags", List.of("a", "b", "c")));
    }

    @Test
    void removingAKeyIsSaved() {
        Browser browser = new Browser(middleware());
        browser.request(s -> {
            s.put("a", 1);
            s.put("b", 2);
        });
        browser.request(s -> s.remove("a"));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Map.copyOf(s));
        assertThat(seen[0]).isEqualTo(Map.of("b", 2));
    }

    @Test
    void removingTheLastKeyDeletesTheCookie() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", 1));
        Browser.Response response = browser.request(s -> s.remove("a"));
        assertThat(response.deletesCookie()).isTrue();
        assertThat(response.setCookie()).isEqualTo(
                "chirp_session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax");
        assertThat(browser.cookie()).isNull();
    }

    @Test
    void customCookieNameIsUsedAndOtherCookiesAreIgnored() {
        SessionMiddleware mw = middleware(SessionConfig.builder(SECRET).cookieName("my_sess"));
        Browser browser = new Browser(mw);
        Browser.Response response = browser.request(s -> s.put("x", 1));
        assertThat(response.setCookie()).startsWith("my_sess=");

        Object[] seen = new Object[1];
        browser.requestWithCookieHeader("chirp_session=" + browser.cookie(), s -> seen[0] = s.get("x"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void regenerateClearsTheSessionAndChangesTheCookie() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("cart", List.of("apple")));
        String before = browser.cookie();

        Object[] sizeAfter = new Object[1];
        Browser.Response response = browser.request(s -> {
            s.regenerate();
            sizeAfter[0] = s.size();
            s.put("fresh", true);
        });
        assertThat(sizeAfter[0]).isEqualTo(0);
        assertThat(response.cookieValue()).isNotEqualTo(before);
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Map.copyOf(s));
        assertThat(seen[0]).isEqualTo(Map.of("fresh", true));
    }

    @Test
    void regenerateOfAnEmptiedSessionDeletesTheCookie() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", 1));
        Browser.Response response = browser.request(s -> Sessions.regenerate());
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void loginRegeneratesAndStoresTheUser() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("planted_by_attacker", "x"));
        String fixated = browser.cookie();

        Browser.Response login = browser.request(s -> Sessions.login("alice"));
        assertThat(login.cookieValue()).isNotEqualTo(fixated);
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Map.copyOf(s));
        assertThat(seen[0]).isEqualTo(Map.of("user_id", "alice"));
    }

    @Test
    void aBadUserIdIsRefusedBeforeTheCurrentUserIsLoggedOut() {
        Browser browser = new Browser(middleware());
        browser.request(s -> Sessions.login("alice"));
        RuntimeException[] refused = new RuntimeException[2];
        Browser.Response response = browser.request(s -> {
            refused[0] = catching(() -> Sessions.login(java.time.Instant.EPOCH));
            refused[1] = catching(() -> Sessions.login("bob\uD83C"));
        });
        assertThat(refused[0]).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("userId must be a JSON value such as a String or a number: java.time.Instant; pass "
                        + "user.getId().toString() or the numeric id");
        assertThat(refused[1]).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("userId must be valid Unicode text: the String at userId has an unpaired "
                        + "surrogate U+D83C at index 3, which UTF-8 cannot encode; remove the lone surrogate");
        assertThat(response.setCookies).isEmpty();
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Sessions.userId());
        assertThat(seen[0]).isEqualTo(java.util.Optional.of("alice"));
    }

    private static RuntimeException catching(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void logoutRegeneratesAndDropsEverything() {
        Browser browser = new Browser(middleware());
        browser.request(s -> Sessions.login(42));
        Browser.Response logout = browser.request(s -> Sessions.logout());
        assertThat(logout.deletesCookie()).isTrue();
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Sessions.userId());
        assertThat(seen[0]).isEqualTo(java.util.Optional.empty());
    }

    @Test
    void untouchedSessionWritesNothingNotEvenVary() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", 1));
        Browser.Response response = browser.request(s -> { });
        assertThat(response.setCookies).isEmpty();
        assertThat(response.vary).isEmpty();
    }

    @Test
    void readOnlyRequestWritesVaryButNoCookie() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", 1));
        Browser.Response response = browser.request(s -> s.get("a"));
        assertThat(response.setCookies).isEmpty();
        assertThat(response.vary).containsExactly("Cookie");
    }

    @Test
    void emptySessionWithoutCookieWritesNoCookie() {
        Browser browser = new Browser(middleware());
        Browser.Response response = browser.request(s -> s.get("a"));
        assertThat(response.setCookies).isEmpty();
        assertThat(response.vary).containsExactly("Cookie");
    }

    @Test
    void puttingTheSameValueAgainStillCountsAsAChange() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", 1));
        assertThat(browser.request(s -> s.put("a", 1)).setsCookie()).isTrue();
    }

    @Test
    void cookieCarriesChirpsDefaultAttributes() {
        Browser browser = new Browser(middleware());
        String header = browser.request(s -> s.put("a", 1)).setCookie();
        assertThat(header).matches("chirp_session=[A-Za-z0-9_.-]+; Max-Age=86400; "
                + "Expires=Sat, 28 Nov 2026 10:00:00 GMT; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void configuredAttributesAppearInTheCookie() {
        SessionMiddleware mw = middleware(SessionConfig.builder(SECRET).domain("example.com").path("/app")
                .secure(true).sameSite(SameSite.NONE).partitioned(true).maxAge(Duration.ofHours(1)));
        String header = new Browser(mw).request(s -> s.put("a", 1)).setCookie();
        assertThat(header).endsWith("; Max-Age=3600; Expires=Fri, 27 Nov 2026 11:00:00 GMT; Path=/app; "
                + "Domain=example.com; Secure; HttpOnly; SameSite=None; Partitioned");
    }

    @Test
    void expiresDayIsZeroPadded() {
        clock.advance(Duration.ofDays(5)); // 2 December: a single-digit day
        String header = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofHours(1))))
                .request(s -> s.put("a", 1)).setCookie();
        assertThat(header).contains("Expires=Wed, 02 Dec 2026 11:00:00 GMT");
    }

    @Test
    void expiredCookieGivesAnEmptySessionAndIsDeleted() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofMinutes(10))));
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void readOnlyRequestRefreshesTheCookieOnlyAfterTheThreshold() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofMinutes(10))));
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(4));
        assertThat(browser.request(s -> s.get("a")).setsCookie()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        Browser.Response refreshed = browser.request(s -> s.get("a"));
        assertThat(refreshed.setCookie()).contains("Max-Age=600");
        // The refreshed cookie lives another full lifetime from now.
        clock.advance(Duration.ofMinutes(9));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isEqualTo(1);
    }

    @Test
    void refreshThresholdOfOneNeverRefreshesOnRead() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofMinutes(10))
                .refreshThreshold(1.0)));
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(9));
        assertThat(browser.request(s -> s.get("a")).setsCookie()).isFalse();
    }

    @Test
    void refreshThresholdOfZeroRefreshesOnEveryRead() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).refreshThreshold(0.0)));
        browser.request(s -> s.put("a", 1));
        assertThat(browser.request(s -> s.get("a")).setsCookie()).isTrue();
    }

    @Test
    void idleTimeoutEndsAnUnusedSession() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))));
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(20));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isEqualTo(1);
        clock.advance(Duration.ofMinutes(31));
        Browser.Response response = browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isNull();
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void idleTimeoutIsExtendedByActivity() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))));
        browser.request(s -> s.put("a", 1));
        Object[] seen = new Object[1];
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(20));
            browser.request(s -> seen[0] = s.get("a"));
            assertThat(seen[0]).as("after %d x 20 minutes of activity", i + 1).isEqualTo(1);
        }
    }

    @Test
    void absoluteTimeoutEndsEvenAnActiveSession() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET)
                .absoluteTimeout(Duration.ofHours(1)).refreshThreshold(0.0)));
        browser.request(s -> s.put("a", 1));
        Object[] seen = new Object[1];
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(10));
            browser.request(s -> s.put("n", 1));
        }
        clock.advance(Duration.ofMinutes(11));
        browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void absoluteTimeoutCapsTheCookieMaxAge() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).absoluteTimeout(Duration.ofHours(1))));
        browser.request(s -> s.put("a", 1));
        clock.advance(Duration.ofMinutes(45));
        assertThat(browser.request(s -> s.put("b", 2)).setCookie()).contains("Max-Age=900");
    }

    @Test
    void timeoutStampsAreStoredAsChirpDoesButHiddenFromTheMap() {
        SessionMiddleware mw = middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(8)));
        Browser browser = new Browser(mw);
        browser.request(s -> s.put("a", 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) TimedSerializer.builder(SECRET).clock(clock).build()
                .loads(browser.cookie()).value();
        long now = clock.instant().getEpochSecond();
        assertThat(payload).containsOnlyKeys("a", "__created_at", "__last_seen_at");
        assertThat(((Number) payload.get("__created_at")).longValue()).isEqualTo(now);
        assertThat(((Number) payload.get("__last_seen_at")).longValue()).isEqualTo(now);
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Map.copyOf(s));
        assertThat(seen[0]).isEqualTo(Map.of("a", 1));
    }

    @Test
    void chirpSessionWithFloatStampsIsReadAndTimedOut() {
        TimedSerializer python = TimedSerializer.builder(SECRET).clock(clock).build();
        double created = clock.instant().getEpochSecond() - 7200 + 0.25;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("a", 1);
        data.put("__created_at", created);
        data.put("__last_seen_at", created);
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).absoluteTimeout(Duration.ofHours(1))));
        browser.setCookie(python.dumps(data));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isNull();
    }

    @Test
    void cookieSignedWithAFallbackSecretIsReissuedUnderTheCurrentOne() {
        String oldSecret = "old-secret-0123456789-0123456789-abcdef";
        Browser browser = new Browser(middleware(SessionConfig.builder(oldSecret)));
        browser.request(s -> s.put("a", 1));

        SessionMiddleware rotated = middleware(SessionConfig.builder(SECRET).fallbackSecrets(oldSecret));
        Browser after = new Browser(rotated);
        after.setCookie(browser.cookie());
        Object[] seen = new Object[1];
        Browser.Response response = after.request(s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isEqualTo(1);
        assertThat(response.setsCookie()).isTrue();
        assertThat(TimedSerializer.builder(SECRET).clock(clock).build().loads(after.cookie()).isVerified()).isTrue();
    }

    @Test
    void duplicateCookieNamesAreTriedUntilOneVerifies() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", "host"));
        Object[] seen = new Object[1];
        browser.requestWithCookieHeader("chirp_session=parent-domain-junk; chirp_session=" + browser.cookie(),
                s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isEqualTo("host");
    }

    @Test
    void theSessionCookieIsReadBehindHundredsOfJunkCookiesAndNotReplaced() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", "kept"));
        String cookie = browser.cookie();
        for (int junk : new int[] {301, 5_000}) {
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < junk; i++) {
                header.append("junk").append(i).append("=x; ");
            }
            Object[] seen = new Object[1];
            Browser.Response response = browser.requestWithCookieHeader(header + "chirp_session=" + cookie,
                    s -> seen[0] = s.get("a"));
            assertThat(seen[0]).as("%d junk cookies in front", junk).isEqualTo("kept");
            assertThat(response.setsCookie()).as("no fresh cookie replaces it").isFalse();
        }
    }

    @Test
    void aSameNameCookieThatVerifiesAndComesFirstShadowsTheOtherAsDocumented() {
        Browser victim = new Browser(middleware());
        victim.request(s -> s.put("user", "victim"));
        Browser attacker = new Browser(middleware());
        attacker.request(s -> s.put("user", "attacker"));
        Object[] seen = new Object[1];
        // Browsers send the cookie with the longer path first: one set by a sibling subdomain on the parent
        // domain with Path=/account comes before the host's own. The README's security notes say so, and
        // that the __Host- prefix rules it out.
        victim.requestWithCookieHeader("chirp_session=" + attacker.cookie() + "; chirp_session=" + victim.cookie(),
                s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("attacker");
    }

    @Test
    void aSecureCookieWithoutTheHostPrefixIsReportedOnceAtStartup() {
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            middleware(SessionConfig.builder(SECRET).secure(true));
            middleware(SessionConfig.builder(SECRET).secure(true).cookieName("__Host-chirp_session"));
            middleware(SessionConfig.builder(SECRET));
            middleware(SessionConfig.builder(SECRET).secure(true).domain("example.com"));
            List<String> infos = log.records().stream().filter(r -> r.getLevel() == Level.INFO)
                    .map(LogRecord::getMessage).toList();
            assertThat(infos).hasSize(2);
            assertThat(infos.get(0)).isEqualTo("chirp-sessions: the Secure cookie \"chirp_session\" has no __Host- "
                    + "prefix, so a cookie of the same name set by a sibling subdomain or over plain HTTP can shadow "
                    + "it; name it \"__Host-chirp_session\" (path \"/\", no domain) to rule that out");
            assertThat(infos.get(1)).contains("shared with domain example.com");
            assertThat(String.join("\n", infos)).doesNotContain(SECRET);
        }
    }

    @Test
    void quotedCookieValueIsAccepted() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("a", "x"));
        Object[] seen = new Object[1];
        browser.requestWithCookieHeader("chirp_session=\"" + browser.cookie() + "\"", s -> seen[0] = s.get("a"));
        assertThat(seen[0]).isEqualTo("x");
    }

    @Test
    void junkCookiesNeverThrow() {
        Browser browser = new Browser(middleware());
        for (String junk : List.of("", ".", "..", "a.b.c", ".eJz.AAAA.BBBB", "chirp_session", "=;=;;",
                "\u00ff\u0000.x.y", "e30.AAAAAAAAAAAA.x", "e30..", "x".repeat(10_000))) {
            Object[] seen = new Object[1];
            browser.requestWithCookieHeader("chirp_session=" + junk, s -> seen[0] = s.size());
            assertThat(seen[0]).as(junk).isEqualTo(0);
        }
    }

    @Test
    void validSignatureOverANonObjectGivesAnEmptySession() {
        String list = TimedSerializer.builder(SECRET).clock(clock).build().dumps(List.of(1, 2));
        Object[] seen = new Object[1];
        Browser.Response response = new Browser(middleware())
                .requestWithCookieHeader("chirp_session=" + list, s -> seen[0] = s.size());
        assertThat(seen[0]).isEqualTo(0);
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void tooLargeSessionFailsLoudlyBeforeAnythingIsWritten() {
        SessionMiddleware mw = middleware();
        SessionRequest request = mw.begin((String) null);
        // Random-looking data defeats compression.
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(1);
        while (big.length() < 5000) {
            big.append(Long.toString(random.nextLong(), 36));
        }
        request.session().put("big", big.toString());
        List<String> headers = new ArrayList<>();
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            assertThatThrownBy(() -> request.commit((n, v) -> headers.add(n)))
                    .isInstanceOf(SessionTooLargeException.class)
                    .hasMessageStartingWith("session cookie 'chirp_session' must fit in 4096 bytes of Set-Cookie header: ")
                    .satisfies(e -> assertThat(((SessionTooLargeException) e).size()).isGreaterThan(4096));
            assertThat(log.warnings()).singleElement().asString().contains("over the limit of 4096");
        }
        assertThat(headers).doesNotContain("Set-Cookie");
    }

    @Test
    void compressibleSessionNearTheLimitStillFits() {
        Browser browser = new Browser(middleware());
        String repetitive = "abcdefgh".repeat(1000);
        Browser.Response response = browser.request(s -> s.put("big", repetitive));
        assertThat(response.cookieValue()).startsWith(".");
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("big"));
        assertThat(seen[0]).isEqualTo(repetitive);
    }

    @Test
    void commitWritesOnlyOnce() {
        SessionRequest request = middleware().begin((String) null);
        request.session().put("a", 1);
        List<String> headers = new ArrayList<>();
        assertThat(request.commit((n, v) -> headers.add(n))).isTrue();
        assertThat(request.commit((n, v) -> headers.add(n))).isFalse();
        assertThat(headers).containsExactly("Vary", "Set-Cookie");
    }

    @Test
    void changeAfterCommitIsRefusedNotLost() {
        SessionRequest request = middleware().begin((String) null);
        request.session().put("a", 1);
        request.commit((n, v) -> { });
        assertThatThrownBy(() -> request.session().put("b", 2))
                .isInstanceOf(SessionCommittedException.class)
                .hasMessageContaining("put(\"b\")");
        assertThatThrownBy(() -> request.session().regenerate()).isInstanceOf(SessionCommittedException.class);
        assertThat(request.session().get("a")).isEqualTo(1);
    }

    @Test
    void discardedRequestWritesNothingAndFreezesTheSession() {
        SessionRequest request = middleware().begin((String) null);
        request.session().put("a", 1);
        request.discard();
        List<String> headers = new ArrayList<>();
        assertThat(request.commit((n, v) -> headers.add(n))).isFalse();
        assertThat(headers).isEmpty();
        assertThatThrownBy(() -> request.session().put("b", 2)).isInstanceOf(SessionCommittedException.class);
    }

    @Test
    void bigIntegersAndFloatsSurviveARoundTrip() {
        Browser browser = new Browser(middleware());
        BigInteger huge = new BigInteger("123456789012345678901234567890");
        browser.request(s -> {
            s.put("huge", huge);
            s.put("small", 1e-05);
            s.put("ts", 1732700000.1234567);
            s.put("long", 1L << 40);
        });
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = Map.copyOf(s));
        assertThat(seen[0]).isEqualTo(Map.of("huge", huge, "small", 1e-05, "ts", 1732700000.1234567,
                "long", 1L << 40));
    }

    @Test
    void sessionIsLoadedLazilyOnlyWhenTouched() {
        SessionRequest request = middleware().begin("chirp_session=junk");
        assertThat(request.isAccessed()).isFalse();
        request.session().isEmpty();
        assertThat(request.isAccessed()).isTrue();
    }

    @Test
    void sessionCanBeUsedFromAnotherThreadOfTheSameRequest() throws Exception {
        Browser browser = new Browser(middleware());
        browser.request(s -> {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    s.merge("n", 1, (a, b) -> ((Integer) a) + ((Integer) b));
                }
            });
            worker.start();
            for (int i = 0; i < 1000; i++) {
                s.merge("n", 1, (a, b) -> ((Integer) a) + ((Integer) b));
            }
            try {
                worker.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("n"));
        assertThat(seen[0]).isEqualTo(2000);
    }

    @Test
    void pythonSessionWithNaNIsAnEmptySessionAsAnyBadPayload() {
        // Python's json.dumps writes NaN by default; no session value may hold one, so such a cookie is
        // refused like any payload this library does not read (docs: "Differences from chirp").
        String python = RawToken.sign(SECRET, RawToken.base64("{\"score\":NaN}".getBytes(StandardCharsets.UTF_8)),
                RawToken.timestamp(clock.instant().getEpochSecond()));
        Browser browser = new Browser(middleware());
        browser.setCookie(python);
        Object[] seen = new Object[1];
        Browser.Response response = browser.request(s -> seen[0] = s.isEmpty());
        assertThat(seen[0]).isEqualTo(true);
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void readingANestedSessionWithoutChangingItWritesNothing() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("cart", new ArrayList<>(List.of("apple", "pear"))));
        assertThat(browser.request(s -> ((List<?>) s.get("cart")).size()).setsCookie()).isFalse();
        assertThat(browser.request(s -> s.values().size()).setsCookie()).isFalse();
    }

    @Test
    void inPlaceChangesThroughEveryViewAreSaved() {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("cart", new ArrayList<>(List.of("apple"))));
        @SuppressWarnings("unchecked")
        Browser.Response viaValues = browser.request(s -> ((List<Object>) s.values().iterator().next()).add("pear"));
        @SuppressWarnings("unchecked")
        Browser.Response viaEntries = browser.request(
                s -> ((List<Object>) s.entrySet().iterator().next().getValue()).add("plum"));
        @SuppressWarnings("unchecked")
        Browser.Response viaCompute = browser.request(s -> s.computeIfPresent("cart", (k, v) -> {
            ((List<Object>) v).add("fig");
            return v;
        }));
        assertThat(viaValues.setsCookie()).isTrue();
        assertThat(viaEntries.setsCookie()).isTrue();
        assertThat(viaCompute.setsCookie()).isTrue();
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("cart"));
        assertThat(seen[0]).isEqualTo(List.of("apple", "pear", "plum", "fig"));
    }

    @Test
    void aNonJsonValuePutIntoANestedListInPlaceFailsTheCommitWithItsPath() {
        SessionRequest request = middleware().begin((String) null);
        List<Object> list = new ArrayList<>();
        request.session().put("list", list);
        list.add(java.time.Instant.EPOCH);
        assertThatThrownBy(() -> request.commit((n, v) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("session value at list[0] must be a JSON value: java.time.Instant");
    }

    @Test
    void idleTimeoutCountsFromTheLastRequest() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))));
        browser.request(s -> s.put("user", "alice"));
        Object[] seen = new Object[1];
        clock.advance(Duration.ofMinutes(14));
        browser.request(s -> seen[0] = s.get("user"));
        clock.advance(Duration.ofMinutes(29)); // 29 minutes since the last request, 43 since the write
        browser.request(s -> seen[0] = s.get("user"));
        assertThat(seen[0]).isEqualTo("alice");
    }

    @Test
    void activeReadersOfAnIdleTimedSessionGetAtMostOneCookieAMinute() {
        Browser browser = new Browser(middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))));
        browser.request(s -> s.put("user", "alice"));
        int cookies = 0;
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(10));
            cookies += browser.request(s -> s.get("user")).setsCookie() ? 1 : 0;
        }
        assertThat(cookies).isEqualTo(2);
    }

    @Test
    void tooLargeSessionAddsNoHeaderAtAll() {
        SessionRequest request = middleware().begin((String) null);
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(2);
        while (big.length() < 6000) {
            big.append(Long.toString(random.nextLong(), 36));
        }
        request.session().put("big", big.toString());
        List<String> headers = new ArrayList<>();
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            assertThatThrownBy(() -> request.commit((n, v) -> headers.add(n))).isInstanceOf(SessionTooLargeException.class);
            assertThat(log.warnings()).singleElement().asString().contains("over the limit of 4096");
        }
        assertThat(headers).isEmpty();
    }

    @Test
    void deepestAllowedNestingSurvivesTheNextRequest() {
        Object deep = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            deep = new ArrayList<>(List.of(deep));
        }
        Object value = deep;
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("deep", value));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("deep"));
        assertThat(seen[0]).isEqualTo(value);
    }

    @Test
    void aSessionFirstReadAfterTheCommitIsReported() {
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            SessionRequest untouched = middleware().begin((String) null);
            untouched.commit((n, v) -> { });
            untouched.session().get("user");
            untouched.finish();
            untouched.finish();
            assertThat(log.warnings()).filteredOn(m -> m.contains("first read after the response committed")).hasSize(1);

            Browser browser = new Browser(middleware());
            browser.request(s -> {
                s.put("n", 1);
                s.put("cart", new ArrayList<>(List.of("a")));
            });
            SessionRequest late = middleware().begin("chirp_session=" + browser.cookie());
            late.session().get("n");
            late.commit((n, v) -> { });
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) late.session().get("cart"); // handed out only after the commit
            cart.add("b");
            late.finish();
            late.finish(); // a second dispatch finishing: reported once
            assertThat(log.warnings()).filteredOn(m -> m.contains("changed in place after it was written")).hasSize(1);
        }
    }

    @Test
    void aLongCompressibleValueThatFitsTheCookieIsReadBack() {
        // 64,000 chars, a few hundred bytes compressed: just under the 64 KiB of JSON a default cookie may
        // inflate to (SessionConfig.maxPayloadBytes; TimedSerializerHardeningTest covers the edge).
        String longText = "abcdefgh".repeat(8_000);
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("text", longText));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("text"));
        assertThat(seen[0]).isEqualTo(longText);
    }

    @Test
    void aLongKeyIsReadBack() {
        String key = "k".repeat(60_000);
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put(key, 1));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get(key));
        assertThat(seen[0]).isEqualTo(1);
    }

    @Test
    void anInPlaceChangeRacingTheCommitIsSavedOrReported() throws Exception {
        Browser browser = new Browser(middleware());
        browser.request(s -> s.put("cart", new ArrayList<>(List.of("a"))));
        SessionRequest request = middleware().begin("chirp_session=" + browser.cookie());
        Session session = request.session();
        session.size(); // loaded, nothing handed out yet
        List<String> headers = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread committer = new Thread(() -> request.commit((n, v) -> headers.add(n)));
        synchronized (session) {
            committer.start();
            // commit() has begun and now waits for the session's lock. Bounded: a locking change that
            // lets commit() finish without the lock (or never start) fails here instead of hanging.
            Await.until(Duration.ofSeconds(10),
                    () -> "the committer to block on the session's lock; it is " + committer.getState(),
                    () -> committer.getState() == Thread.State.BLOCKED);
            assertThat(request.isCommitted()).as("the commit is decided under the lock").isFalse();
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) session.get("cart");
            cart.add("b");
        }
        committer.join(Duration.ofSeconds(10).toMillis());
        assertThat(committer.isAlive()).as("commit() finished once the lock was free").isFalse();
        assertThat(headers).as("the change made before the commit took the lock is saved").contains("Set-Cookie");
    }
}
