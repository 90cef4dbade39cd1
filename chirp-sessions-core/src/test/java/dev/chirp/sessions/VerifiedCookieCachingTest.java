package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.Rejection;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The verified-cookie cache inside {@link SessionMiddleware}: a cookie verified once is not verified
 * again, and the cache accepts nothing the uncached path refuses.
 */
@SuppressWarnings("unchecked")
class VerifiedCookieCachingTest {

    private static final String SECRET = "test-secret-key-that-is-long-enough-0123456789";
    private static final String OLD_SECRET = "old-secret-0123456789-0123456789-abcdef";
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");

    private SessionMiddleware middleware(SessionConfig.Builder builder) {
        return new SessionMiddleware(builder.clock(clock).build());
    }

    private SessionMiddleware cached() {
        return middleware(SessionConfig.builder(SECRET));
    }

    private SessionMiddleware uncached() {
        return middleware(SessionConfig.builder(SECRET).verifiedCookieCacheBytes(0));
    }

    /** A cookie for a session with a nested list, signed by {@code middleware}'s current secret. */
    private static String cookieWithCart(SessionMiddleware middleware) {
        Browser browser = new Browser(middleware);
        browser.request(s -> {
            s.put("user", "alice");
            s.put("cart", new ArrayList<>(List.of("apple", "pear")));
        });
        return browser.cookie();
    }

    private static Object read(SessionMiddleware middleware, String cookie, String key) {
        Object[] seen = new Object[1];
        new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie, s -> seen[0] = s.get(key));
        return seen[0];
    }

    @Test
    void aRepeatedCookieIsVerifiedOnceAndThenServedFromTheCache() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);

        LoadResult first = middleware.verify(cookie);
        assertThat(first.isVerified()).isTrue();
        assertThat(middleware.verify(cookie)).isSameAs(first);
        assertThat(middleware.cache().size()).isEqualTo(1);
        assertThat(read(middleware, cookie, "user")).isEqualTo("alice");
    }

    @Test
    void withTheCacheTurnedOffEveryRequestVerifiesInFull() {
        SessionMiddleware middleware = uncached();
        String cookie = cookieWithCart(middleware);

        assertThat(middleware.cache()).isNull();
        assertThat(middleware.verify(cookie)).isNotSameAs(middleware.verify(cookie));
        assertThat(read(middleware, cookie, "user")).isEqualTo("alice");
    }

    @Test
    void aHandlersChangesNeverReachTheCache() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);
        middleware.verify(cookie);

        Browser browser = new Browser(middleware);
        // In place inside a nested list, at the top level, and a removal: all on the request's own copy.
        browser.requestWithCookieHeader("chirp_session=" + cookie, s -> {
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) s.get("cart");
            cart.add("plum");
            s.put("user", "mallory");
            s.remove("cart");
        });
        assertThatThrownBy(() -> browser.requestWithCookieHeader("chirp_session=" + cookie, s -> {
            @SuppressWarnings("unchecked")
            List<Object> cart = (List<Object>) s.get("cart");
            cart.clear();
            throw new IllegalStateException("handler failed");
        })).hasMessage("handler failed");

        assertThat(read(middleware, cookie, "user")).isEqualTo("alice");
        assertThat(read(middleware, cookie, "cart")).isEqualTo(List.of("apple", "pear"));
        assertThat(middleware.verify(cookie).value())
                .isEqualTo(Map.of("user", "alice", "cart", List.of("apple", "pear")));
    }

    @Test
    void aReadOnlyRequestSharesTheCachedMapAndEveryKindOfChangeCopiesItFirst() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);
        Map<String, Object> cached = (Map<String, Object>) middleware.verify(cookie).value();
        Map<String, Object> original = Map.of("user", "alice", "cart", List.of("apple", "pear"));
        List<java.util.function.Consumer<Session>> changes = List.of(
                s -> s.put("user", "mallory"),
                s -> s.put("new", 1),
                s -> s.remove("user"),
                Session::clear,
                Session::regenerate,
                s -> s.putAll(Map.of("user", "mallory")),
                s -> s.replaceAll((k, v) -> "x"),
                s -> s.compute("user", (k, v) -> v + "!"),
                s -> s.merge("user", "!", (a, b) -> a + "" + b),
                s -> s.computeIfAbsent("other", k -> "v"),
                s -> s.remove("user", "alice"),
                s -> s.replace("user", "alice", "bob"),
                s -> Sessions.login("bob"),
                s -> Sessions.flash("hello"));
        for (int i = 0; i < changes.size(); i++) {
            Browser.Response response = new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie,
                    changes.get(i)::accept);
            assertThat(response.setsCookie() || response.deletesCookie()).as("change %d is written", i).isTrue();
            assertThat(cached).as("the cache's map after change %d", i).isEqualTo(original);
            assertThat(middleware.verify(cookie).value()).isSameAs(cached);
        }
    }

    @Test
    void flaskBytesChangedInPlaceNeverReachTheCacheAndTheChangeIsSaved() {
        SessionMiddleware middleware = middleware(SessionConfig.builder(SECRET).format(SessionFormat.FLASK));
        Browser browser = new Browser(middleware);
        browser.request(s -> s.put("blob", new byte[] {1, 2, 3}));
        String cookie = browser.cookie();
        Map<String, Object> cached = (Map<String, Object>) middleware.verify(cookie).value();

        String name = middleware.config().cookieName() + "=";
        Browser.Response response = new Browser(middleware).requestWithCookieHeader(name + cookie,
                s -> ((byte[]) s.get("blob"))[0] = 9);
        assertThat((byte[]) cached.get("blob")).as("the cache's bytes").containsExactly(1, 2, 3);
        assertThat(response.setsCookie()).as("the in-place change is saved, as for a list").isTrue();
        Object[] seen = new Object[1];
        new Browser(middleware).requestWithCookieHeader(name + cookie, s -> seen[0] = s.get("blob"));
        assertThat((byte[]) seen[0]).containsExactly(1, 2, 3);
    }

    @Test
    void aSessionWithTimeoutStampsGivesEachRequestItsOwnMapWithoutTheStamps() {
        SessionMiddleware middleware = middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(8)));
        String cookie = cookieWithCart(middleware);
        Map<String, Object> cached = (Map<String, Object>) middleware.verify(cookie).value();
        assertThat(cached).containsKeys(Session.CREATED_AT, Session.LAST_SEEN_AT);
        Map<String, Object> before = new java.util.LinkedHashMap<>(cached);

        Object[] keys = new Object[1];
        new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie, s -> keys[0] = s.keySet());
        assertThat(keys[0]).isEqualTo(java.util.Set.of("user", "cart"));
        new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie, s -> s.put("user", "bob"));
        assertThat(cached).isEqualTo(before);
    }

    @Test
    void aStoreOtherThanTheCookieStoreGetsAMapOfItsOwnToChange() {
        SessionStore scribbling = new SessionStore() {
            @Override
            public Map<String, Object> load(Map<String, Object> cookiePayload) {
                cookiePayload.put("touched_by_store", true); // a store may do this with the map it is given
                return cookiePayload;
            }

            @Override
            public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration ttl) {
                return data;
            }

            @Override
            public boolean delete(Map<String, Object> cookiePayload) {
                return true;
            }
        };
        SessionMiddleware middleware = middleware(SessionConfig.builder(SECRET).store(scribbling));
        String cookie = cookieWithCart(middleware);
        Map<String, Object> cached = (Map<String, Object>) middleware.verify(cookie).value();

        assertThat(read(middleware, cookie, "touched_by_store")).isEqualTo(true);
        assertThat(read(middleware, cookie, "touched_by_store")).isEqualTo(true);
        assertThat(cached).doesNotContainKey("touched_by_store");
    }

    @Test
    void listsAndMapsLeavingTheSessionByAnyRouteAreTheRequestsOwn() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);
        middleware.verify(cookie);
        List<java.util.function.Consumer<Session>> routes = List.of(
                s -> ((List<Object>) s.getOrDefault("cart", null)).add("plum"),
                s -> ((List<Object>) s.put("cart", List.of())).add("plum"),
                s -> ((List<Object>) s.remove("cart")).add("plum"),
                s -> ((List<Object>) s.putIfAbsent("cart", List.of())).add("plum"),
                s -> s.values().stream().filter(List.class::isInstance).forEach(v -> ((List<Object>) v).add("plum")),
                s -> s.entrySet().stream().filter(e -> e.getValue() instanceof List)
                        .forEach(e -> ((List<Object>) e.getValue()).add("plum")),
                s -> s.forEach((k, v) -> {
                    if (v instanceof List) {
                        ((List<Object>) v).add("plum");
                    }
                }),
                s -> s.computeIfPresent("cart", (k, v) -> {
                    ((List<Object>) v).add("plum");
                    return v;
                }));
        for (java.util.function.Consumer<Session> route : routes) {
            new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie, route);
            assertThat(middleware.verify(cookie).value())
                    .isEqualTo(Map.of("user", "alice", "cart", List.of("apple", "pear")));
        }
    }

    @Test
    void aRequestThatReadsOnlyStringsCopiesNoNestedList() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);
        @SuppressWarnings("unchecked")
        Object cachedCart = ((Map<String, Object>) middleware.verify(cookie).value()).get("cart");
        Object[] seen = new Object[2];
        new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie, s -> {
            seen[0] = s.get("user");
            seen[1] = s.get("cart");
        });
        assertThat(seen[0]).isEqualTo("alice");
        assertThat(seen[1]).isEqualTo(cachedCart).isNotSameAs(cachedCart);
    }

    @Test
    void aCachedCookieIsRefusedOnceItExpires() {
        SessionMiddleware middleware = middleware(SessionConfig.builder(SECRET).maxAge(Duration.ofHours(1)));
        String cookie = cookieWithCart(middleware);
        assertThat(middleware.verify(cookie).isVerified()).isTrue();

        clock.advance(Duration.ofHours(1));
        assertThat(middleware.verify(cookie).isVerified()).isTrue(); // exactly at maxAge: still valid, as uncached
        clock.advance(Duration.ofSeconds(1));
        assertThat(middleware.verify(cookie).rejection()).isEqualTo(Rejection.EXPIRED);
        Browser.Response response = new Browser(middleware).requestWithCookieHeader("chirp_session=" + cookie,
                s -> assertThat(s.get("user")).isNull());
        assertThat(response.deletesCookie()).isTrue();
    }

    @Test
    void aCachedCookieSignedFurtherInTheFutureThanTheSkewIsRefusedWhenTheClockGoesBack() {
        SessionMiddleware middleware = cached();
        String cookie = cookieWithCart(middleware);
        assertThat(middleware.verify(cookie).isVerified()).isTrue();

        clock.advance(Duration.ofSeconds(-5));
        assertThat(middleware.verify(cookie).isVerified()).isTrue(); // within the 5 s default skew
        clock.advance(Duration.ofSeconds(-1));
        assertThat(middleware.verify(cookie).rejection()).isEqualTo(Rejection.SIGNED_IN_FUTURE);
    }

    @Test
    void theIdleTimeoutStillEndsASessionWhoseCookieIsCached() {
        SessionMiddleware middleware = middleware(SessionConfig.builder(SECRET).idleTimeout(Duration.ofMinutes(10)));
        String cookie = cookieWithCart(middleware);
        assertThat(read(middleware, cookie, "user")).isEqualTo("alice");
        assertThat(middleware.cache().size()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(11));
        assertThat(middleware.verify(cookie).isVerified()).isTrue(); // the signature and max age still hold
        assertThat(read(middleware, cookie, "user")).isNull();
    }

    @Test
    void aCookieVerifiedByAFallbackSecretIsReissuedOnEveryHitAndIsNotSharedWithAMiddlewareWithoutThatSecret() {
        String oldCookie = cookieWithCart(middleware(SessionConfig.builder(OLD_SECRET)));
        SessionMiddleware rotated = middleware(SessionConfig.builder(SECRET).fallbackSecrets(OLD_SECRET));
        SessionMiddleware rotationDone = cached();

        for (int i = 0; i < 3; i++) {
            Object[] seen = new Object[1];
            Browser.Response response = new Browser(rotated).requestWithCookieHeader("chirp_session=" + oldCookie,
                    s -> seen[0] = s.get("user"));
            assertThat(seen[0]).isEqualTo("alice");
            assertThat(response.setsCookie()).as("re-issued under the current secret, request %d", i).isTrue();
        }
        assertThat(rotated.verify(oldCookie).signedWithFallbackSecret()).isTrue();
        assertThat(rotated.verify(oldCookie)).isSameAs(rotated.verify(oldCookie));

        assertThat(rotationDone.verify(oldCookie).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(read(rotationDone, oldCookie, "user")).isNull();
    }

    @Test
    void everySingleCharacterChangeOfACachedCookieIsRefused() {
        SessionMiddleware middleware = cached();
        SessionMiddleware reference = uncached();
        String cookie = cookieWithCart(middleware);
        middleware.verify(cookie);

        for (int i = 0; i < cookie.length(); i++) {
            for (char c : B64.toCharArray()) {
                if (c == cookie.charAt(i)) {
                    continue;
                }
                String tampered = cookie.substring(0, i) + c + cookie.substring(i + 1);
                LoadResult result = middleware.verify(tampered);
                // Refused, every one: even a change that only re-encodes the same bits (a spare low bit of
                // the last base64 character) is refused, because the serializer accepts canonical base64
                // only. The uncached path must refuse it for the same reason.
                assertThat(result.isVerified()).as("position %d changed to %s", i, c).isFalse();
                assertThat(result.rejection()).as("position %d changed to %s", i, c)
                        .isEqualTo(reference.verify(tampered).rejection()).isNotNull();
            }
        }
        assertThat(middleware.cache().size()).isEqualTo(1);
    }

    @RepeatedTest(20)
    void randomEditsOfCachedCookiesAreDecidedAsTheUncachedPathDecidesThem(RepetitionInfo repetition) {
        long seed = 0x5eed_cafeL * repetition.getCurrentRepetition();
        Random random = new Random(seed);
        SessionMiddleware middleware = cached();
        SessionMiddleware reference = uncached();
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            Browser browser = new Browser(middleware);
            browser.request(s -> {
                s.put("n", n);
                s.put("text", "x".repeat(random.nextInt(400)));
            });
            cookies.add(browser.cookie());
            middleware.verify(browser.cookie());
        }
        for (int i = 0; i < 300; i++) {
            String base = cookies.get(random.nextInt(cookies.size()));
            String edited = edit(base, random);
            boolean cachedVerdict = middleware.verify(edited).isVerified();
            boolean uncachedVerdict = reference.verify(edited).isVerified();
            assertThat(cachedVerdict).as("seed %d: edit %d", seed, i).isEqualTo(uncachedVerdict);
            clock.advance(Duration.ofSeconds(random.nextInt(4000)));
        }
    }

    private static String edit(String cookie, Random random) {
        int at = random.nextInt(cookie.length());
        switch (random.nextInt(5)) {
            case 0:
                return cookie.substring(0, at) + B64.charAt(random.nextInt(B64.length())) + cookie.substring(at + 1);
            case 1:
                return cookie.substring(0, at) + cookie.substring(at + 1);
            case 2:
                return cookie.substring(0, at) + B64.charAt(random.nextInt(B64.length())) + cookie.substring(at);
            case 3:
                return cookie.substring(0, at);
            default:
                return cookie; // unchanged: must verify exactly while the uncached path verifies it
        }
    }

    @Test
    void theCacheSizeIsAnOptionOfTheConfiguration() {
        assertThat(SessionConfig.builder(SECRET).build().verifiedCookieCacheBytes())
                .isEqualTo(SessionConfig.DEFAULT_VERIFIED_COOKIE_CACHE_BYTES).isEqualTo(4L * 1024 * 1024);
        assertThat(cached().cache().capacityBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(middleware(SessionConfig.builder(SECRET).verifiedCookieCacheBytes(65536)).cache().capacityBytes())
                .isEqualTo(65536);
        assertThatThrownBy(() -> SessionConfig.builder(SECRET).verifiedCookieCacheBytes(-1).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("verifiedCookieCacheBytes must be between 0 (off) and 1073741824 (1 GiB): -1; "
                        + "the default, 4 MiB, holds some 3,000 small sessions or 400 large ones");
    }
}
