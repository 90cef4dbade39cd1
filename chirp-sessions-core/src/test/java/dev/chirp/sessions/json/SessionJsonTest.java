package dev.chirp.sessions.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionJsonTest {

    @Test
    void everyJsonValueComesBackWithTheSameJavaType() throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("s", "text \"quoted\" \u00e9 \uD83D\uDE00");
        data.put("i", 1);
        data.put("l", 5_000_000_000L);
        data.put("big", new BigInteger("-99999999999999999999999"));
        data.put("d", 2.5e-7);
        data.put("t", true);
        data.put("null", null);
        data.put("list", new ArrayList<>(Arrays.asList(1, "a", null, new ArrayList<>())));
        data.put("map", new LinkedHashMap<>(Map.of("k", new LinkedHashMap<>())));

        Object back = SessionJson.read(SessionJson.write(data));
        assertThat(back).isEqualTo(data).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) back).keySet())).isEqualTo(List.copyOf(data.keySet()));
        Map<?, ?> map = (Map<?, ?>) back;
        assertThat(map.get("i")).isInstanceOf(Integer.class);
        assertThat(map.get("l")).isInstanceOf(Long.class);
        assertThat(map.get("big")).isInstanceOf(BigInteger.class);
        assertThat(map.get("d")).isInstanceOf(Double.class);
        assertThat(map.get("list")).isInstanceOf(ArrayList.class);
        assertThat(SessionJson.read(SessionJson.write(Map.of("x", 7L)))).isEqualTo(Map.of("x", 7));
    }

    @Test
    void writesCompactJsonWithRawUtf8() {
        assertThat(SessionJson.write(Map.of("name", "Zoë 🍪"))).isEqualTo("{\"name\":\"Zoë 🍪\"}");
    }

    @Test
    void nonFiniteAndNonStandardNumbersAreRefusedOnReadAndWrite() {
        for (String number : new String[] {"NaN", "Infinity", "-Infinity", "+Infinity", "INF", "+INF", "-INF",
            "1e999", "-1e999", "+1", "01", ".5", "5.", "0x10", "1_000", "-NaN"}) {
            assertThatThrownBy(() -> SessionJson.read("{\"a\":" + number + "}")).as(number)
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> SessionJson.write(Map.of("a", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionJson.write(List.of(Double.NEGATIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aByteOrderMarkUtf16Utf32AndMalformedUtf8AreRefusedAsTheCookieRefusesThem() {
        byte[] json = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        List<byte[]> refused = List.of(
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, json),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE), "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_16), "{\"a\":1}".getBytes(Charset.forName("UTF-32")),
                "{\"a\":1}".getBytes(Charset.forName("UTF-32LE")),
                bytes("{\"a\":\"", 0xc0, 0x80, "\"}"), bytes("{\"a\":\"", 0xed, 0xa0, 0x80, "\"}"),
                bytes("{\"a\":\"", 0xf4, 0x90, 0x80, 0x80, "\"}"), bytes("{\"a\":\"", 0xe9, "\"}"),
                bytes("{\"a\":\"", 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, "\"}"));
        for (byte[] bad : refused) {
            assertThatThrownBy(() -> SessionJson.read(bad)).as(HexFormat.of().formatHex(bad))
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> SessionJson.read("\uFEFF{\"a\":1}")).isInstanceOf(IOException.class);
        assertThat(uncheckedRead(json)).isEqualTo(Map.of("a", "\u00e9"));
        assertThat(uncheckedRead(bytes("{\"a\":\"", 0xf0, 0x9f, 0x8d, 0xaa, "\"}"))).isEqualTo(Map.of("a", "\uD83C\uDF6A"));
    }

    private static Object uncheckedRead(byte[] json) {
        try {
            return SessionJson.read(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Strings as UTF-8, integers as single bytes. */
    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void escapedLoneSurrogatesAreRefusedWhereverTheyAre() {
        // JSON can spell what UTF-8 cannot carry; no session may hold it, whichever jackson-core is on
        // the class path (2.19 wrote such a key as '?', 2.23 refuses to read it back).
        assertThatThrownBy(() -> SessionJson.read("{\"k\":\"a\\ud800b\"}"))
                .isInstanceOf(IOException.class)
                .hasMessage("a string has an unpaired surrogate U+D800 at index 1, which UTF-8 cannot encode, "
                        + "at line 1, column 16");
        // In a key, jackson-core 2.21.2 and newer refuse it themselves; on older ones our check does.
        assertThatThrownBy(() -> SessionJson.read("{\"a\":[{\"\\udc00\":1}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> SessionJson.write(Map.of("\uD800", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value must be valid Unicode text: the String at {key #0} has an unpaired "
                        + "surrogate U+D800 at index 0");
    }

    @Test
    void charactersBeyondU0000FFFFAreRawUtf8WhereverTheyFallInJacksonsBuffers() {
        // jackson-core's own option for this escaped pairs split across its 8000-char segments (#1473)
        // and, in 2.18.0-2.18.1, mangled text after U+E000 (#1359); the writer must not depend on it.
        String emoji = "\uD83C\uDF6A";
        for (int n : new int[] {0, 1, 3999, 7999, 8000, 8001, 16383, 16384, 40000}) {
            String s = "x".repeat(n) + emoji + "\"\uFF0C\uE000" + emoji;
            Map<String, Object> session = new LinkedHashMap<>();
            session.put(s, s);
            String quoted = "\"" + s.replace("\"", "\\\"") + "\"";
            assertThat(SessionJson.writeBytes(session)).as("%d chars before", n)
                    .isEqualTo(("{" + quoted + ":" + quoted + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void escapedSurrogatePairsReadAsTheirCharacter() throws IOException {
        assertThat(SessionJson.read("{\"\\ud83c\\udf6a\":\"\\ud83c\\udf6a\"}"))
                .isEqualTo(Map.of("\uD83C\uDF6A", "\uD83C\uDF6A"));
    }

    @Test
    void badJsonGetsAOneLineMessageWithItsPosition() {
        assertThatThrownBy(() -> SessionJson.read("{\"a\":\n  [1,}"))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("\n")
                .hasMessageMatching("(?s).* at line 2, column [0-9]+"); // the column is jackson-core's (6 or 7)
        assertThatThrownBy(() -> SessionJson.read("")).hasMessage("the input is empty");
        assertThatThrownBy(() -> SessionJson.read("{} {}"))
                .hasMessageStartingWith("more than one JSON value (trailing data at line 1");
    }

    @Test
    void writingANonJsonValueIsRefusedWithItsPath() {
        assertThatThrownBy(() -> SessionJson.write(Map.of("x", List.of(new Object()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object at .x[0]");
    }
}
