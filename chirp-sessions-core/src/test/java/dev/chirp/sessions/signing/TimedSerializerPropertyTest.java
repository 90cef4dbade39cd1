package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.Gen;
import dev.chirp.sessions.testkit.LogCapture;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties over seeded random cases (see {@link Gen}): any JSON session round-trips; any change to a
 * valid cookie is rejected. Each case's seed is in its name and in a failure; replay one with
 * {@code -Dchirp.seed=SEED}. 1800 cases in all, as many as the jqwik properties they replace.
 */
class TimedSerializerPropertyTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    private static final String SECRET = "property-secret-0123456789-0123456789";
    private final TimedSerializer serializer = TimedSerializer.builder("property-secret").build();

    static Stream<Long> seeds300() {
        return Gen.seeds(300);
    }

    static Stream<Long> seeds100() {
        return Gen.seeds(100);
    }

    static Stream<Long> seeds1000() {
        return Gen.seeds(1000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds300")
    void anyJsonSessionRoundTrips(long seed) {
        Gen gen = new Gen(seed);
        Map<String, Object> session = gen.session();
        gen.check(() -> {
            LoadResult result = serializer.loads(serializer.dumps(session));
            assertThat(result.isVerified()).isTrue();
            assertThat(result.value()).isEqualTo(session);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds100")
    void anyJsonSessionRoundTripsThroughTheMiddleware(long seed) {
        Gen gen = new Gen(seed).finiteNumbers();
        Map<String, Object> session = gen.session();
        gen.check(() -> {
            Browser browser = new Browser(new SessionMiddleware(SessionConfig.builder(SECRET).maxCookieBytes(65536).build()));
            browser.request(s -> s.putAll(session));
            Object[] seen = new Object[1];
            browser.request(s -> seen[0] = new LinkedHashMap<>(s));
            assertThat(seen[0]).isEqualTo(session);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds1000")
    void anyChangeToAValidCookieIsRejected(long seed) {
        // Canonical base64 everywhere and a signature over the exact text: no other spelling of a value
        // verifies, so a changed token is never accepted, even when it would decode to the same data.
        Gen gen = new Gen(seed);
        Map<String, Object> session = gen.session();
        String token = serializer.dumps(session, Instant.now());
        String changed = token;
        while (changed.equals(token)) { // a swap of two equal characters is no change: draw again
            changed = new Edit(gen.oneOf(EditKind.values()), gen.between(0, 10_000),
                    ALPHABET.charAt(gen.between(0, ALPHABET.length() - 1))).apply(token);
        }
        String edited = changed;
        gen.check(() -> assertThat(serializer.loads(edited).isVerified()).as("%s changed to %s", token, edited).isFalse());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds100")
    void valuesAtTheLimitsThatPutAcceptsAreReadBackOrRefusedOnWrite(long seed) {
        // Whatever a Session accepts and its cookie can carry must survive the next request, with the
        // middleware's own settings: writer and reader limits agree. Past the payload limit the write
        // fails loudly instead of sending a cookie no reader accepts.
        Gen gen = new Gen(seed);
        Object value = gen.anyOf(
                () -> new BigInteger("9".repeat(gen.between(20, 1000))).negate(), // past Long: stays BigInteger
                () -> "\u00e9".repeat(gen.between(0, 2_000_000)), // compresses far below the cookie limit
                () -> {
                    Object v = new ArrayList<>();
                    for (int i = gen.between(1, 63); i > 1; i--) {
                        v = new ArrayList<>(List.of(v));
                    }
                    return v;
                });
        gen.check(() -> {
            SessionConfig config = SessionConfig.builder(SECRET).maxCookieBytes(65536).build();
            Browser browser = new Browser(new SessionMiddleware(config));
            if (Json.write(Map.of("v", value)).length > config.maxPayloadBytes()) {
                List<String> warnings = quietly(() -> assertThatThrownBy(() -> browser.request(s -> s.put("v", value)))
                        .isInstanceOf(SessionTooLargeException.class));
                assertThat(warnings).singleElement().asString().contains("bytes of JSON, over the limit of");
                return;
            }
            browser.request(s -> s.put("v", value));
            Object[] seen = new Object[1];
            browser.request(s -> seen[0] = s.get("v"));
            assertThat(seen[0]).isEqualTo(value);
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds300")
    void textWithAnUnpairedSurrogateIsRefusedAndNothingElseIs(long seed) {
        Gen gen = new Gen(seed);
        StringBuilder chars = new StringBuilder();
        for (int i = gen.between(0, 8); i > 0; i--) {
            chars.append(gen.anyChar()); // surrogates (paired, lone, reversed) half the time
        }
        String text = chars.toString();
        gen.check(() -> {
            // Decided by a plain code point walk, independently of JsonValues.
            boolean wellFormed = text.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
            for (Map<String, Object> session : List.of(Map.<String, Object>of("k", text), Map.<String, Object>of(text, 1))) {
                if (wellFormed) {
                    assertThat(serializer.loads(serializer.dumps(session)).value()).isEqualTo(session);
                } else {
                    assertThatThrownBy(() -> serializer.dumps(session))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
                }
            }
        });
    }

    /** Runs {@code action} with the library's log kept off the console; returns the warnings it logged. */
    static List<String> quietly(Runnable action) {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.chirp.sessions");
        boolean parents = jul.getUseParentHandlers();
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            jul.setUseParentHandlers(false);
            action.run();
            return log.warnings();
        } finally {
            jul.setUseParentHandlers(parents);
        }
    }

    enum EditKind { REPLACE, INSERT, DELETE, TRUNCATE, SWAP }

    record Edit(EditKind kind, int position, char c) {
        String apply(String token) {
            int at = position % token.length();
            switch (kind) {
                case REPLACE:
                    return token.substring(0, at) + (token.charAt(at) == c ? (c == 'A' ? 'B' : 'A') : c)
                            + token.substring(at + 1);
                case INSERT:
                    return token.substring(0, at) + c + token.substring(at);
                case DELETE:
                    return token.substring(0, at) + token.substring(at + 1);
                case TRUNCATE:
                    return token.substring(0, at);
                default:
                    int next = (at + 1) % token.length();
                    char[] chars = token.toCharArray();
                    char tmp = chars[at];
                    chars[at] = chars[next];
                    chars[next] = tmp;
                    return new String(chars);
            }
        }
    }
}
