package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.Gen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlainJsonWriterTest {

    static Stream<Long> seeds() {
        return Gen.seeds(20);
    }

    /**
     * The property: for thousands of values, {@link Json#write} gives Jackson's bytes (or Jackson's
     * exception), whatever the fast path writes is Jackson's bytes, and {@link Json#sameAs} answers as
     * Jackson's comparison does for the value's own JSON and for near misses of it.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writesEveryValueAsJacksonDoes(long seed) {
        Gen gen = new Gen(seed);
        JsonShapes shapes = new JsonShapes(gen);
        gen.check(() -> {
            int plain = 0;
            for (int i = 0; i < 500; i++) {
                Object value = shapes.value(gen.oneOf(1, 2, 3, 17));
                byte[] jackson;
                try {
                    jackson = Json.writeWithJackson(value);
                } catch (RuntimeException e) {
                    if (e instanceof NullPointerException) {
                        // A JVM-raised NPE loses its message once the JIT throws it from compiled code
                        // (OmitStackTraceInFastThrow), so only the type can be compared.
                        assertThatThrownBy(() -> Json.write(value)).isInstanceOf(NullPointerException.class);
                    } else {
                        assertThatThrownBy(() -> Json.write(value)).isInstanceOf(e.getClass())
                                .hasMessage(e.getMessage());
                    }
                    assertThat(PlainJsonWriter.write(value)).isNull();
                    continue;
                }
                String shown = new String(jackson, StandardCharsets.UTF_8);
                assertThat(Json.write(value)).as(shown).isEqualTo(jackson);
                byte[] fast = PlainJsonWriter.write(value);
                if (fast != null) {
                    plain++;
                    assertThat(fast).as(shown).isEqualTo(jackson);
                }
                for (byte[] expected : nearMisses(gen, jackson)) {
                    assertThat(Json.sameAs(value, expected)).as("%s against %s", shown,
                            new String(expected, StandardCharsets.UTF_8))
                            .isEqualTo(Json.sameAsWithJackson(value, expected));
                }
                assertThat(Json.sameAs(value, jackson)).as(shown).isTrue();
            }
            assertThat(plain).as("values written by the fast path").isGreaterThan(100);
        });
    }

    private static List<byte[]> nearMisses(Gen gen, byte[] json) {
        List<byte[]> misses = new ArrayList<>();
        misses.add(json.clone());
        misses.add(Arrays.copyOf(json, json.length + 1));
        if (json.length > 0) {
            misses.add(Arrays.copyOf(json, json.length - 1));
            byte[] changed = json.clone();
            int at = gen.between(0, json.length - 1);
            changed[at] = (byte) (changed[at] ^ (1 << gen.between(0, 6)));
            misses.add(changed);
        }
        return misses;
    }

    private static String fast(Object value) {
        byte[] bytes = PlainJsonWriter.write(value);
        return bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void writesASmallSessionCompactly() {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user_id", 48213);
        session.put("csrf", "q8Xv3LmR0tYw7bKcP2sN5e");
        session.put("flag", true);
        session.put("off", false);
        session.put("none", null);
        session.put("list", Arrays.asList(1L, (short) -2, (byte) 3, "a", List.of(), Map.of()));
        String expected = "{\"user_id\":48213,\"csrf\":\"q8Xv3LmR0tYw7bKcP2sN5e\",\"flag\":true,\"off\":false,"
                + "\"none\":null,\"list\":[1,-2,3,\"a\",[],{}]}";
        assertThat(fast(session)).isEqualTo(expected);
        assertThat(Json.writeWithJackson(session)).asString(StandardCharsets.UTF_8).isEqualTo(expected);
    }

    @Test
    void writesIntegerAndLongBoundariesAsJacksonDoes() {
        List<Object> numbers = List.of(0, -1, 9, 10, -10, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE, 1_000_000_000_000_000_000L, -999_999_999_999_999_999L, Short.MIN_VALUE, Byte.MIN_VALUE);
        assertThat(PlainJsonWriter.write(numbers)).isEqualTo(Json.writeWithJackson(numbers));
        assertThat(fast(List.of(Long.MIN_VALUE))).isEqualTo("[-9223372036854775808]");
    }

    @Test
    void writesTheSlashUnescapedAsJacksonDoes() {
        Map<String, Object> value = Map.of("path", "/a/b?c=d&e=<f>");
        assertThat(fast(value)).isEqualTo("{\"path\":\"/a/b?c=d&e=<f>\"}");
        assertThat(PlainJsonWriter.write(value)).isEqualTo(Json.writeWithJackson(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a\\b", "\u007f", "\u0000", "\n", "\u001f", "caf\u00e9", "\uD83C\uDF6A", "\u2028"})
    void leavesStringsJacksonEscapesOrEncodesToJackson(String text) {
        for (Object value : List.of(Map.of("k", text), Map.of(text, 1), List.of(text))) {
            assertThat(fast(value)).as(text).isNull();
            assertThat(Json.write(value)).isEqualTo(Json.writeWithJackson(value));
        }
    }

    @Test
    void leavesOtherTypesToJackson() {
        for (Object value : List.of(List.of(1.5), List.of(2.5f), List.of(new java.math.BigInteger("12")),
                List.of(new java.math.BigDecimal("1.0")), List.of(new byte[] {1}))) {
            assertThat(fast(value)).isNull();
            assertThat(Json.write(value)).isEqualTo(Json.writeWithJackson(value));
        }
        assertThat(fast("top-level string")).isEqualTo("\"top-level string\"");
    }

    @Test
    void leavesNonStringKeysAndUnknownTypesToJacksonsRefusal() {
        Map<Object, Object> numberKey = new LinkedHashMap<>();
        numberKey.put(1, "a");
        assertThat(fast(numberKey)).isNull();
        assertThatThrownBy(() -> Json.write(numberKey)).isInstanceOf(ClassCastException.class);
        assertThat(fast(List.of('c'))).isNull();
        assertThatThrownBy(() -> Json.write(List.of('c'))).isInstanceOf(IllegalStateException.class)
                .hasMessage("session values must be JSON values: java.lang.Character");
    }

    @Test
    void writesSixteenLevelsAndLeavesDeeperNestingToJackson() {
        Object value = 1;
        for (int i = 0; i < 16; i++) {
            value = List.of(value);
        }
        assertThat(fast(value)).isEqualTo("[".repeat(16) + "1" + "]".repeat(16));
        Object deeper = List.of(value);
        assertThat(fast(deeper)).isNull();
        assertThat(Json.write(deeper)).asString(StandardCharsets.US_ASCII).isEqualTo("[".repeat(17) + "1" + "]".repeat(17));
    }

    @Test
    void sameAsComparesWithoutWritingAndTellsEveryDifference() {
        Map<String, Object> session = new LinkedHashMap<>(Map.of("n", 12));
        byte[] json = "{\"n\":12}".getBytes(StandardCharsets.US_ASCII);
        assertThat(PlainJsonWriter.sameAs(session, json)).isTrue();
        assertThat(PlainJsonWriter.sameAs(session, "{\"n\":13}".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(PlainJsonWriter.sameAs(session, "{\"n\":123}".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(PlainJsonWriter.sameAs(session, "{\"n\":1}".getBytes(StandardCharsets.US_ASCII))).isFalse();
        session.put("d", 0.5);
        // A difference before the first part only Jackson writes is a difference for Jackson too ...
        assertThat(PlainJsonWriter.sameAs(session, json)).isFalse();
        // ... but reaching that part undecided leaves the answer to Jackson.
        byte[] withDouble = "{\"n\":12,\"d\":0.5}".getBytes(StandardCharsets.US_ASCII);
        assertThat(PlainJsonWriter.sameAs(session, withDouble)).isNull();
        assertThat(Json.sameAs(session, withDouble)).isTrue();
    }

    @Test
    void sameAsLeavesTextOfMoreBytesThanCharactersToJackson() {
        // Counted one byte per character, "é" makes the lengths differ; only Jackson may say that is a change.
        Map<String, Object> session = Map.of("k", "\u00e9");
        byte[] json = "{\"k\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(PlainJsonWriter.sameAs(session, json)).isNull();
        assertThat(Json.sameAs(session, json)).isTrue();
        assertThat(Json.sameAs(session, "{\"k\":\"e\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
