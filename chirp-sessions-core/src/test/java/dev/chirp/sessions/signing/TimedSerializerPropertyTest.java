package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.testkit.Browser;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties: any JSON session round-trips; any change to a valid cookie is rejected or harmless. */
class TimedSerializerPropertyTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    private final TimedSerializer serializer = TimedSerializer.builder("property-secret").build();

    @Property(tries = 300)
    void anyJsonSessionRoundTrips(@ForAll("sessions") Map<String, Object> session) {
        LoadResult result = serializer.loads(serializer.dumps(session));
        assertThat(result.isVerified()).isTrue();
        assertThat(result.value()).isEqualTo(session);
    }

    @Property(tries = 100)
    void anyJsonSessionRoundTripsThroughTheMiddleware(@ForAll("sessions") Map<String, Object> session) {
        Browser browser = new Browser(new SessionMiddleware(
                SessionConfig.builder("property-secret-0123456789-0123456789").maxCookieBytes(65536).build()));
        browser.request(s -> s.putAll(session));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = new LinkedHashMap<>(s));
        assertThat(seen[0]).isEqualTo(session);
    }

    @Property(tries = 1000)
    void anyChangeToAValidCookieIsRejectedOrDecodesToTheSameData(
            @ForAll("sessions") Map<String, Object> session,
            @ForAll("edits") Edit edit) {
        String token = serializer.dumps(session, Instant.now());
        String changed = edit.apply(token);
        LoadResult result = serializer.loads(changed);
        if (result.isVerified()) {
            assertThat(result.value()).isEqualTo(session);
        }
    }

    @Property(tries = 100)
    void valuesAtTheLimitsThatPutAcceptsAreReadBack(@ForAll("edgeValues") Object value) {
        // Whatever a Session accepts and its cookie can carry must survive the next request, with the
        // middleware's own settings: writer and reader limits agree.
        Browser browser = new Browser(new SessionMiddleware(
                SessionConfig.builder("property-secret-0123456789-0123456789").maxCookieBytes(65536).build()));
        browser.request(s -> s.put("v", value));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("v"));
        assertThat(seen[0]).isEqualTo(value);
    }

    @Provide
    Arbitrary<Object> edgeValues() {
        Arbitrary<Object> bigNumbers = Arbitraries.integers().between(20, 1000) // past Long: stays BigInteger
                .map(digits -> (Object) new BigInteger("9".repeat(digits)).negate());
        Arbitrary<Object> longStrings = Arbitraries.integers().between(0, 2_000_000)
                .map(n -> (Object) "\u00e9".repeat(n)); // compresses into far less than the cookie limit
        Arbitrary<Object> deepLists = Arbitraries.integers().between(1, 63).map(depth -> {
            Object v = new ArrayList<>();
            for (int i = 1; i < depth; i++) {
                v = new ArrayList<>(List.of(v));
            }
            return v;
        });
        return Arbitraries.oneOf(bigNumbers, longStrings, deepLists);
    }

    @Provide
    Arbitrary<Map<String, Object>> sessions() {
        return Arbitraries.maps(keys(), json(3)).ofMaxSize(6).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Character> c = Arbitraries.of(ALPHABET.chars().mapToObj(ch -> (char) ch).toArray(Character[]::new));
        return Combinators.combine(Arbitraries.of(EditKind.values()), position, c).as(Edit::new);
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

    @Property(tries = 300)
    void textWithAnUnpairedSurrogateIsRefusedAndNothingElseIs(@ForAll("anyText") String text) {
        // Decided by a plain code point walk, independently of JsonValues.
        boolean wellFormed = text.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        Map<String, Object> asValue = Map.of("k", text);
        Map<String, Object> asKey = Map.of(text, 1);
        for (Map<String, Object> session : List.of(asValue, asKey)) {
            if (wellFormed) {
                assertThat(serializer.loads(serializer.dumps(session)).value()).isEqualTo(session);
            } else {
                assertThatThrownBy(() -> serializer.dumps(session))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
            }
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        // Surrogates (paired, lone, reversed) are rare in jqwik's default strings: ask for them.
        Arbitrary<Character> surrogate = Arbitraries.chars().range('\uD800', '\uDFFF');
        Arbitrary<Character> other = Arbitraries.chars().range('\u0000', '\u00ff');
        return Arbitraries.oneOf(surrogate, surrogate, other).list().ofMaxSize(8)
                .map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat));
    }

    private static Arbitrary<String> keys() {
        return text(Arbitraries.strings().ofMaxLength(12)).filter(k -> !k.startsWith("__"));
    }

    /** Valid Unicode text only: a session never holds an unpaired surrogate (refused at put). */
    private static Arbitrary<String> text(Arbitrary<String> strings) {
        return strings.filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
    }

    private static Arbitrary<Object> json(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text(Arbitraries.strings().ofMaxLength(40)).map(s -> (Object) s),
                text(Arbitraries.strings().withCharRange('\u00a0', '\uffff').ofMaxLength(10)).map(s -> (Object) s),
                // Emoji and other characters beyond U+FFFF, as surrogate pairs.
                Arbitraries.integers().between(0x10000, 0x10FFFF).list().ofMaxSize(4)
                        .map(cps -> (Object) cps.stream().map(Character::toString).reduce("", String::concat)),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().greaterOrEqual((long) Integer.MAX_VALUE + 1).map(l -> (Object) l),
                Arbitraries.longs().lessOrEqual((long) Integer.MIN_VALUE - 1).map(l -> (Object) l),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(64), BigInteger.TWO.pow(200)).map(b -> (Object) b),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Object> list = json(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(keys(), json(depth - 1)).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar),
                net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(1, map));
    }

}
