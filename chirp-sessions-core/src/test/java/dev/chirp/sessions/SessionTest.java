package dev.chirp.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTest {

    private final Session session = new SessionMiddleware(
            SessionConfig.builder("session-test-secret-0123456789-0123456789").build())
            .begin((String) null).session();

    @Test
    void acceptsEveryJsonValueType() {
        session.put("s", "text");
        session.put("i", 1);
        session.put("l", 1L);
        session.put("big", new BigInteger("99999999999999999999999"));
        session.put("dec", new BigDecimal("1.5"));
        session.put("d", 0.25);
        session.put("b", true);
        session.put("n", null);
        session.put("list", List.of(1, "two", List.of(3)));
        session.put("map", Map.of("k", Map.of("nested", false)));
        assertThat(session).hasSize(10).containsEntry("n", null);
    }

    @Test
    void refusesNonJsonValuesAtPutWithThePathAndType() {
        assertThatThrownBy(() -> session.put("when", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session value for \"when\" must be a JSON value (String, Number, Boolean, null, List, "
                        + "Map with String keys; finite numbers of at most 1000 digits; nested at most 64 levels "
                        + "with the session): java.time.Instant at when; convert it first, for example "
                        + "instant.toString() or List.copyOf(set)");
        assertThatThrownBy(() -> session.put("cart", List.of("a", List.of(new Object()))))
                .hasMessageContaining("java.lang.Object at cart[1][0]");
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1, "x");
        assertThatThrownBy(() -> session.put("m", intKeys)).hasMessageContaining("at m{key java.lang.Integer}");
        assertThatThrownBy(() -> session.put("set", Set.of(1))).hasMessageContaining("java.util.ImmutableCollections");
        assertThatThrownBy(() -> session.put("nan", Double.NaN)).hasMessageContaining("java.lang.Double at nan");
        assertThatThrownBy(() -> session.put("arr", new int[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThat(session).isEmpty();
    }

    @Test
    void refusesTextWithAnUnpairedSurrogateAtPutAndKeepsWholeEmoji() {
        // What cutting a string inside an emoji leaves; UTF-8 cannot encode it and itsdangerous refuses it.
        String cut = "cookie \uD83C\uDF6A".substring(0, 8);
        assertThatThrownBy(() -> session.put("note", cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session value for \"note\" must be valid Unicode text: the String at note has an "
                        + "unpaired surrogate U+D83C at index 7, which UTF-8 cannot encode; remove the lone "
                        + "surrogate; it usually comes from cutting a string inside an emoji or other character "
                        + "beyond U+FFFF (cut at Character.offsetByCodePoints instead)");
        assertThatThrownBy(() -> session.put("cart", List.of("a", Map.of("x", List.of("\uDC00")))))
                .hasMessageContaining("the String at cart[1].x[0] has an unpaired surrogate U+DC00 at index 0");
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("fine", 1);
        keys.put("\uDF6Ab", 2);
        assertThatThrownBy(() -> session.put("m", keys))
                .hasMessageContaining("the String at m{key #1} has an unpaired surrogate U+DF6A at index 0");
        assertThatThrownBy(() -> session.put("k\uD83C", 1))
                .hasMessage("session key must be valid Unicode text: it has an unpaired surrogate U+D83C at "
                        + "index 1, which UTF-8 cannot encode; remove the lone surrogate (it usually comes from "
                        + "cutting a string inside an emoji)");
        assertThatThrownBy(() -> session.put("reversed", "\uDF6A\uD83C")).hasMessageContaining("U+DF6A at index 0");
        assertThat(session).isEmpty();

        session.put("\uD83C\uDF6A", List.of("\uD83C\uDF6A", "\uD83D\uDE00 ok"));
        assertThat(session).containsEntry("\uD83C\uDF6A", List.of("\uD83C\uDF6A", "\uD83D\uDE00 ok"));
    }

    @Test
    void refusesReservedTimeoutKeys() {
        assertThatThrownBy(() -> session.put("__created_at", 1))
                .hasMessage("session key must not be __created_at: it is reserved for the session's timeouts; "
                        + "choose another key");
    }

    @Test
    void tracksAccessAndChange() {
        SessionRequest request = new SessionMiddleware(
                SessionConfig.builder("session-test-secret-0123456789-0123456789").build()).begin((String) null);
        Session s = request.session();
        assertThat(request.isAccessed()).isFalse();
        assertThat(s.isChanged()).isFalse();
        assertThat(request.isAccessed()).isTrue();
        s.remove("absent");
        assertThat(s.isChanged()).isFalse();
        s.put("a", new ArrayList<>(List.of(1)));
        assertThat(s.isChanged()).isTrue();
    }

    @Test
    void viewsAreReadOnlySnapshots() {
        session.put("a", 1);
        Set<String> keys = session.keySet();
        session.put("b", 2);
        assertThat(keys).containsExactly("a");
        assertThatThrownBy(() -> keys.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> session.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void compoundOperationsValidateValues() {
        assertThatThrownBy(() -> session.computeIfAbsent("x", k -> new Object()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(session.merge("n", 1, (a, b) -> (Integer) a + (Integer) b)).isEqualTo(1);
        assertThat(session.merge("n", 1, (a, b) -> (Integer) a + (Integer) b)).isEqualTo(2);
    }

    @Test
    void keepsInsertionOrder() {
        session.put("z", 1);
        session.put("a", 2);
        session.put("m", 3);
        assertThat(session.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void toStringShowsKeysNotValues() {
        session.put("password_reset_token", "s3cr3t-value");
        assertThat(session.toString()).isEqualTo("Session[password_reset_token]");
    }

    @Test
    void equalsComparesContentsLikeAnyMap() {
        session.put("a", 1);
        assertThat(session).isEqualTo(Map.of("a", 1));
        assertThat(session.hashCode()).isEqualTo(Map.of("a", 1).hashCode());
    }

    @Test
    void refusesWhatCouldNotBeReadBackAtPut() {
        assertThatThrownBy(() -> session.put("n", BigInteger.TEN.pow(1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.math.BigInteger at n");
        session.put("ok", BigInteger.TEN.pow(999).negate());
        Object deep = List.of();
        for (int i = 0; i < 62; i++) {
            deep = List.of(deep); // 63 lists: with the session, 64 levels
        }
        Object deepest = deep;
        assertThatThrownBy(() -> session.put("deep", List.of(deepest)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 64");
        session.put("deep", deepest);
        assertThat(session).containsKeys("ok", "deep");
    }

    @Test
    void refusesDecimalsThatWouldComeBackAsInfinityOrZero() {
        assertThatThrownBy(() -> session.put("huge", new BigDecimal("1E+400"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.put("tiny", new BigDecimal("1E-400"))).isInstanceOf(IllegalArgumentException.class);
        session.put("zero", BigDecimal.ZERO);
        session.put("ok", new BigDecimal("1.25"));
        assertThat(session).containsKeys("zero", "ok");
    }

    @Test
    void refusesHugeIntegersQuickly() {
        assertThatThrownBy(() -> session.put("n", BigInteger.ONE.shiftLeft(20_000_000)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
