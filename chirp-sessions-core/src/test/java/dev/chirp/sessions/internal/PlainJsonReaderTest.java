package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.Gen;
import java.io.IOException;
import java.math.BigInteger;
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

class PlainJsonReaderTest {

    static Stream<Long> seeds() {
        return Gen.seeds(20);
    }

    /**
     * The property: on thousands of valid and near-valid texts, {@link Json#read} gives what Jackson alone
     * gives (the same tree with the same classes, or the same refusal), and whatever the fast path accepts,
     * Jackson accepts as the same tree.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsEveryTextAsJacksonDoes(long seed) {
        Gen gen = new Gen(seed);
        JsonShapes shapes = new JsonShapes(gen);
        gen.check(() -> {
            int plain = 0;
            for (int i = 0; i < 500; i++) {
                byte[] text = shapes.text();
                // Somewhere inside a larger array, as the serializers pass it: offset and length must hold.
                int before = gen.between(0, 3);
                byte[] padded = new byte[before + text.length + gen.between(0, 3)];
                Arrays.fill(padded, (byte) (char) gen.oneOf('1', ' ', '}', ']', '"', ','));
                System.arraycopy(text, 0, padded, before, text.length);
                if (agree(padded, before, text.length)) {
                    plain++;
                }
            }
            // Half the texts are plain by construction: the property must not pass by declining everything.
            assertThat(plain).as("texts read by the fast path").isGreaterThan(100);
        });
    }

    /** Asserts that both paths agree on the text; returns whether the fast path read it. */
    private static boolean agree(byte[] bytes, int offset, int length) {
        String shown = new String(bytes, offset, length, StandardCharsets.UTF_8);
        JsonShapes.Outcome jackson = JsonShapes.Outcome.of(() -> Json.readWithJackson(bytes, offset, length));
        JsonShapes.Outcome combined = JsonShapes.Outcome.of(() -> Json.read(bytes, offset, length));
        Object fast = PlainJsonReader.read(bytes, offset, length);
        assertThat(combined.refusal()).as("refusal of %s", shown).isEqualTo(jackson.refusal());
        JsonShapes.assertSameTree(combined.value(), jackson.value(), shown);
        if (fast != null) {
            assertThat(jackson.refusal()).as("Jackson's verdict on %s, which the fast path read", shown).isNull();
            JsonShapes.assertSameTree(fast, jackson.value(), shown);
        }
        return fast != null;
    }

    private static Object fast(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return PlainJsonReader.read(bytes, 0, bytes.length);
    }

    private static void assertDeclinedAndLeftToJackson(String text) {
        assertThat(fast(text)).as(text).isNull();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        agree(bytes, 0, bytes.length);
    }

    @Test
    void readsASmallSessionWithTheTypesJacksonGives() {
        Object value = fast("{\"user_id\":48213,\"csrf\":\"q8Xv3LmR0tYw7bKcP2sN5e\",\"on\":true,\"off\":false,"
                + "\"none\":null,\"big\":5000000000,\"list\":[1,\"a\",[],{}],\"map\":{\"k\":-3}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("user_id", 48213);
        expected.put("csrf", "q8Xv3LmR0tYw7bKcP2sN5e");
        expected.put("on", true);
        expected.put("off", false);
        expected.put("none", null);
        expected.put("big", 5_000_000_000L);
        expected.put("list", new ArrayList<>(List.of(1, "a", new ArrayList<>(), new LinkedHashMap<>())));
        expected.put("map", new LinkedHashMap<>(Map.of("k", -3)));
        JsonShapes.assertSameTree(value, expected, "(root)");
    }

    @Test
    void readsIntegersAtTheIntBoundaryAsIntegerOrLong() {
        JsonShapes.assertSameTree(fast("[2147483647,-2147483648,2147483648,-2147483649,0,-0]"),
                new ArrayList<>(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 2147483648L, -2147483649L, 0, 0)),
                "(root)");
    }

    @Test
    void readsIntegersAtTheLongBoundaryAndLeavesLargerOnesToJackson() throws IOException {
        JsonShapes.assertSameTree(fast("[9223372036854775807,-9223372036854775808,1000000000000000000]"),
                new ArrayList<>(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000_000_000L)), "(root)");
        for (String big : List.of("9223372036854775808", "-9223372036854775809", "9999999999999999999",
                "12345678901234567890", "123456789012345678901234567890")) {
            assertDeclinedAndLeftToJackson("[" + big + "]");
            assertThat(Json.read(("[" + big + "]").getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(List.of(new BigInteger(big)));
        }
    }

    @Test
    void negativeZeroIsTheIntegerZeroAsWithJackson() {
        assertThat(fast("{\"n\":-0}")).isEqualTo(Map.of("n", 0));
        assertDeclinedAndLeftToJackson("{\"n\":-0.0}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[01]", "[-01]", "[00]", "[-]", "[--1]", "[+1]", "[1.5]", "[1e5]", "[1E5]", "[1.]",
        "[.5]", "[NaN]", "[Infinity]", "[-Infinity]", "[0x10]"})
    void leavesEveryOtherNumberToJackson(String text) {
        assertDeclinedAndLeftToJackson(text);
    }

    @Test
    void leadingZerosKeepJacksonsRefusal() {
        IOException fastPath = refusal("{\"n\":01}", true);
        IOException jackson = refusal("{\"n\":01}", false);
        assertThat(fastPath).hasMessage(jackson.getMessage()).hasMessageContaining("Leading zeroes");
    }

    private static IOException refusal(String text, boolean combined) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            Object value = combined ? Json.read(bytes) : Json.readWithJackson(bytes, 0, bytes.length);
            throw new AssertionError("read " + text + " as " + value);
        } catch (IOException e) {
            return e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1}", "{ \"a\":1}", "{\"a\":1} ", "{\"a\":1}\n", " {\"a\":1}", "[1, 2]",
        "{\"a\"\t:1}"})
    void leavesWhitespaceAnywhereToJackson(String text) {
        assertDeclinedAndLeftToJackson(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\\\"b\":1}", "{\"a\":\"\\n\"}", "{\"a\":\"\\/\"}", "{\"a\":\"\\u0041\"}",
        "{\"a\":\"\\ud800\"}", "{\"caf\u00e9\":1}", "{\"a\":\"\uD83C\uDF6A\"}", "{\"a\":\"del\u007f\"}",
        "{\"a\":\"tab\there\"}", "{\"a\":\"nul\u0000\"}", "\uFEFF{\"a\":1}"})
    void leavesEscapesUtf8AndControlCharactersToJackson(String text) {
        assertDeclinedAndLeftToJackson(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1", "{\"a\":", "{\"a\"", "{\"a", "{", "[1,", "[", "[\"abc", "{\"a\":tru}",
        "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1},", "[1,]", "{\"a\":1,}", "[,1]", "{,}", "{\"a\"1}", "{\"a\":1 2}",
        "{\"a\":truex}", "[nulll]", "[True]", "{'a':1}", "{a:1}", "[1]]", "{\"a\":1}}", "", "1", "\"s\"", "true",
        "null"})
    void leavesTruncatedMalformedAndTrailingInputToJackson(String text) {
        assertDeclinedAndLeftToJackson(text);
    }

    @Test
    void duplicateKeysKeepTheirFirstPlaceAndTheLastValueAsWithJackson() {
        Object value = fast("{\"a\":1,\"b\":2,\"a\":\"x\"}");
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        assertThat(List.<Object>copyOf(((Map<?, ?>) value).keySet())).containsExactly("a", "b");
        assertThat(((Map<?, ?>) value).get("a")).isEqualTo("x");
        agree("{\"a\":1,\"b\":2,\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0, 21);
    }

    @Test
    void readsEmptyKeysObjectsArraysAndStrings() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("", "");
        expected.put("o", new LinkedHashMap<>());
        expected.put("l", new ArrayList<>());
        JsonShapes.assertSameTree(fast("{\"\":\"\",\"o\":{},\"l\":[]}"), expected, "(root)");
        JsonShapes.assertSameTree(fast("{}"), new LinkedHashMap<>(), "(root)");
        JsonShapes.assertSameTree(fast("[]"), new ArrayList<>(), "(root)");
    }

    @Test
    void readsSixteenLevelsAndLeavesDeeperNestingToJackson() {
        assertThat(fast("[".repeat(16) + "]".repeat(16))).isNotNull();
        assertDeclinedAndLeftToJackson("[".repeat(17) + "]".repeat(17));
        assertDeclinedAndLeftToJackson("{\"a\":".repeat(17) + "1" + "}".repeat(17));
        assertDeclinedAndLeftToJackson("[".repeat(65) + "]".repeat(65)); // Jackson's own limit refuses it
    }

    @Test
    void reusesAKeyReadBeforeAndNeverConfusesKeysOfTheSameHash() {
        Map<?, ?> first = (Map<?, ?>) fast("{\"user_id\":1}");
        Map<?, ?> second = (Map<?, ?>) fast("{\"user_id\":2}");
        assertThat(second.keySet().iterator().next()).isSameAs(first.keySet().iterator().next());
        // "Aa" and "BB" share String.hashCode, so they meet in one slot of the key cache.
        for (int i = 0; i < 3; i++) {
            assertThat(List.<Object>copyOf(((Map<?, ?>) fast("{\"Aa\":1,\"BB\":2,\"Aa\":3,\"AaBB\":4,\"BBAa\":5}"))
                    .entrySet())).hasToString("[Aa=3, BB=2, AaBB=4, BBAa=5]");
        }
        String longKey = "k".repeat(49); // longer than a cache slot takes
        assertThat(fast("{\"" + longKey + "\":1}")).isEqualTo(Map.of(longKey, 1));
    }

    @Test
    void readsOnlyTheGivenRangeOfTheArray() {
        byte[] bytes = "xx{\"a\":[1,2]}yy".getBytes(StandardCharsets.US_ASCII);
        JsonShapes.assertSameTree(PlainJsonReader.read(bytes, 2, 11),
                new LinkedHashMap<>(Map.of("a", new ArrayList<>(List.of(1, 2)))), "(root)");
        assertThat(PlainJsonReader.read(bytes, 2, 10)).isNull(); // cut before the closing brace
        assertThat(PlainJsonReader.read(bytes, 2, 12)).isNull(); // a trailing 'y'
    }
}
