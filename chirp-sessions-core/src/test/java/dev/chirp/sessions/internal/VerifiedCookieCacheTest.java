package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifiedCookieCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final TimedSerializer serializer = TimedSerializer.builder("cache-test-secret-0123456789-abcdefgh")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private String token(Object value) {
        return serializer.dumps(value, NOW);
    }

    private static Map<String, Object> session(int n) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user_id", n);
        session.put("csrf", "c".repeat(43));
        session.put("flags", new ArrayList<>(List.of(true, false)));
        return session;
    }

    @Test
    void storesVerifiedObjectsOnly() {
        VerifiedCookieCache cache = new VerifiedCookieCache(1 << 20);
        String object = token(session(1));
        String list = token(List.of(1, 2));
        String forged = object.substring(0, object.length() - 1) + (object.endsWith("A") ? "B" : "A");

        cache.put(object, serializer.loads(object));
        cache.put(list, serializer.loads(list));
        cache.put(forged, serializer.loads(forged));

        assertThat(cache.get(object)).isNotNull();
        assertThat(cache.get(list)).isNull();
        assertThat(cache.get(forged)).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aValueWithTheSameTailAsACachedCookieIsADifferentKey() {
        // The key hashes only the tail (the MAC): values that share it must still miss, whatever their hash.
        VerifiedCookieCache cache = new VerifiedCookieCache(1 << 20);
        String cookie = token(session(1));
        cache.put(cookie, serializer.loads(cookie));
        String tail = cookie.substring(cookie.length() - 40);

        assertThat(cache.get(cookie)).isNotNull();
        assertThat(cache.get(new String(cookie.toCharArray()))).as("an equal value, another String").isNotNull();
        assertThat(cache.get("x" + cookie)).isNull();
        assertThat(cache.get(cookie.substring(1))).isNull();
        assertThat(cache.get(tail)).isNull();
        assertThat(cache.get(("A".repeat(200)) + tail)).isNull();
        char first = cookie.charAt(0);
        assertThat(cache.get((first == 'e' ? 'f' : 'e') + cookie.substring(1))).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void staysWithinItsByteBoundAndKeepsCookiesThatAreInUse() {
        VerifiedCookieCache cache = new VerifiedCookieCache(64 * 1024);
        String hot = token(session(0));
        cache.put(hot, serializer.loads(hot));
        for (int i = 1; i <= 2000; i++) {
            String cookie = token(session(i));
            cache.put(cookie, serializer.loads(cookie));
            assertThat(cache.get(hot)).as("the cookie in use after %d others", i).isNotNull();
            assertThat(cache.estimatedBytes()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(cache.size()).isBetween(20, 200);
    }

    @Test
    void aSmallSessionCostsAboutOneKilobyteAndAnEntryLargerThanAnEighthIsNotCached() {
        VerifiedCookieCache cache = new VerifiedCookieCache(4L * 1024 * 1024);
        String small = token(session(7));
        cache.put(small, serializer.loads(small));
        // What the configuration's message promises: 4 MiB holds some 3,000 small sessions.
        assertThat(4L * 1024 * 1024 / cache.estimatedBytes()).isBetween(2500L, 6000L);

        VerifiedCookieCache tiny = new VerifiedCookieCache(4096);
        tiny.put(small, serializer.loads(small));
        assertThat(tiny.size()).isZero();
    }

    @Test
    void aCopyIsDeepAndLeavesTheCachedValueAlone() {
        VerifiedCookieCache cache = new VerifiedCookieCache(1 << 20);
        String cookie = token(session(3));
        cache.put(cookie, serializer.loads(cookie));
        @SuppressWarnings("unchecked")
        Map<String, Object> cached = (Map<String, Object>) cache.get(cookie).value();

        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) VerifiedCookieCache.deepCopy(cached);
        assertThat(copy).isEqualTo(cached).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        List<Object> flags = (List<Object>) copy.get("flags");
        flags.add(null);
        copy.put("user_id", 99);

        assertThat(cached).isEqualTo(session(3));
        assertThat(new ArrayList<>(copy.keySet())).containsExactly("user_id", "csrf", "flags");
    }

    @Test
    void toStringNeverShowsACookie() {
        VerifiedCookieCache cache = new VerifiedCookieCache(1 << 20);
        String cookie = token(session(1));
        LoadResult result = serializer.loads(cookie);
        cache.put(cookie, result);
        assertThat(cache.toString()).doesNotContain(cookie.substring(0, 10)).contains("1 cookies");
    }
}
