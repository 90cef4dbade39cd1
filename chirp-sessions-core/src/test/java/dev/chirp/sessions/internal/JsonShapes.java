package dev.chirp.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.testkit.Gen;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON texts and values near the edge of the plain fast paths, drawn from a {@link Gen}, and the checks
 * that the fast and the Jackson paths agree on them.
 */
final class JsonShapes {

    /** Integers on both sides of every boundary where the Java type or Jackson's answer changes. */
    static final List<String> NUMBERS = List.of("0", "-0", "7", "-7", "-", "--1", "+1", "00", "01", "-01", "-00",
            "999999999", "1000000000", "-1000000000", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "4294967296", "999999999999999999", "1000000000000000000", "-999999999999999999",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "9999999999999999999", "-9999999999999999999", "10000000000000000000", "12345678901234567890",
            "-12345678901234567890", "123456789012345678901234567890", "1.5", "-0.0", "1e5", "1E+5", "2e-3",
            "1.", ".5", "-.5", "0x10", "1_000", "NaN", "Infinity", "-Infinity", "+Infinity", "nan");

    private static final List<String> KEYS = List.of("user_id", "csrf", "theme", "a", "", "flag", "k/1", "x y");

    private static final List<String> LITERALS = List.of("true", "false", "null", "tru", "nul", "True", "truex",
            "nulll", "falsey", "t", "n");

    private static final List<String> ODD_STRINGS = List.of("\"a\\\"b\"", "\"a\\\\b\"", "\"a\\/b\"", "\"\\n\"",
            "\"\\u0041\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\x\"", "\"tab\there\"",
            "\"del\u007f\"", "\"caf\u00e9\"", "\"\uD83C\uDF6A\"", "\"\"", "\"unterminated", "'single'",
            "\"a\u0000b\"", "\"\u001f\"");

    private final Gen gen;

    JsonShapes(Gen gen) {
        this.gen = gen;
    }

    /** A JSON text: mostly plain, often with something a fast path must decline, sometimes mutated. */
    byte[] text() {
        StringBuilder s = new StringBuilder();
        if (gen.chance(0.05)) {
            scalarToken(s); // a top-level scalar
        } else if (gen.chance(0.03)) {
            nested(s, gen.oneOf(15, 16, 17, 63, 64, 65));
        } else {
            container(s, 4);
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        return gen.chance(0.3) ? mutate(bytes) : bytes;
    }

    private void nested(StringBuilder s, int levels) {
        String[] open = new String[levels];
        for (int i = 0; i < levels; i++) {
            open[i] = gen.chance(0.5) ? "[" : "{\"" + gen.oneOf(KEYS.toArray(new String[0])) + "\":";
            s.append(open[i]);
        }
        s.append(gen.chance(0.5) ? "1" : "{}");
        for (int i = levels - 1; i >= 0; i--) {
            s.append(open[i].startsWith("[") ? "]" : "}");
        }
    }

    private void container(StringBuilder s, int depth) {
        boolean object = gen.chance(0.7);
        s.append(object ? '{' : '[');
        for (int i = gen.between(0, 5); i > 0; i--) {
            if (object) {
                stringToken(s, true);
                s.append(':');
            }
            if (depth > 0 && gen.chance(0.2)) {
                container(s, depth - 1);
            } else {
                scalarToken(s);
            }
            if (i > 1) {
                s.append(',');
            }
        }
        s.append(object ? '}' : ']');
    }

    private void scalarToken(StringBuilder s) {
        switch (gen.between(0, 5)) {
            case 0:
            case 1:
                stringToken(s, false);
                break;
            case 2:
                s.append(gen.oneOf(NUMBERS.toArray(new String[0])));
                break;
            case 3:
                long integer = gen.anyOf(() -> (long) gen.between(Integer.MIN_VALUE, Integer.MAX_VALUE),
                        () -> gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE), () -> (long) gen.between(-100, 100));
                s.append(integer);
                break;
            case 4:
                s.append(gen.chance(0.8) ? gen.oneOf("true", "false", "null")
                        : gen.oneOf(LITERALS.toArray(new String[0])));
                break;
            default:
                s.append('"').append(plainText(70)).append('"');
        }
    }

    private void stringToken(StringBuilder s, boolean key) {
        if (gen.chance(0.1)) {
            s.append(gen.oneOf(ODD_STRINGS.toArray(new String[0])));
        } else if (gen.chance(0.1)) {
            s.append('"').append(gen.text(8).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (key) {
            s.append('"').append(gen.oneOf(KEYS.toArray(new String[0]))).append('"'); // duplicates are common
        } else {
            s.append('"').append(plainText(24)).append('"');
        }
    }

    /** Printable ASCII without '"' and '\\': what the fast paths handle. */
    String plainText(int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int i = gen.between(0, maxLength); i > 0; i--) {
            char c = (char) gen.between(0x20, 0x7e);
            s.append(c == '"' || c == '\\' ? '/' : c);
        }
        return s.toString();
    }

    private byte[] mutate(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1); // byte for byte
        int at = gen.between(0, s.length());
        switch (gen.between(0, 7)) {
            case 0:
                return s.substring(0, at).getBytes(StandardCharsets.ISO_8859_1); // truncated
            case 1:
                s = s.substring(0, at) + gen.oneOf(" ", "\n", "\t", "\r", "  ") + s.substring(at);
                break;
            case 2:
                s = s + gen.oneOf(" ", "\n", "x", "{}", "[]", ",", "1", "\u0000");
                break;
            case 3:
                s = gen.oneOf(" ", "\n", "\uFEFF", "0", "-") + s;
                break;
            case 4:
                s = s.substring(0, at) + (char) gen.between(0, 0xff) + s.substring(at);
                break;
            case 5:
                if (at < s.length()) {
                    s = s.substring(0, at) + s.substring(at + 1); // a byte dropped
                }
                break;
            case 6:
                s = s.substring(0, at) + gen.oneOf("0", ",", ":", "\"", "\\", "]", "}", "[", "{", ".", "e")
                        + s.substring(at);
                break;
            default:
                s = s.replaceFirst("([:\\[,])(-?[1-9])", "$10$2"); // a leading zero
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A value for the writers: mostly plain, sometimes with one part only Jackson may write. */
    Object value(int depth) {
        if (depth > 0 && gen.chance(0.3)) {
            if (gen.chance(0.65)) {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = gen.between(0, 5); i > 0; i--) {
                    map.put(gen.chance(0.9) ? plainText(10) : odd(), value(depth - 1));
                }
                return map;
            }
            List<Object> list = new ArrayList<>();
            for (int i = gen.between(0, 5); i > 0; i--) {
                list.add(value(depth - 1));
            }
            return list;
        }
        if (gen.chance(0.04)) {
            return odd();
        }
        return gen.anyOf(() -> plainText(40), () -> gen.between(Integer.MIN_VALUE, Integer.MAX_VALUE),
                () -> gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE),
                () -> gen.oneOf(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, (long) Integer.MIN_VALUE - 1),
                () -> (short) gen.between(Short.MIN_VALUE, Short.MAX_VALUE),
                () -> (byte) gen.between(Byte.MIN_VALUE, Byte.MAX_VALUE),
                () -> gen.chance(0.5), () -> null);
    }

    /** Something only Jackson's path may write (or refuse). */
    private Object odd() {
        return gen.anyOf(() -> gen.text(6), () -> "a\"b", () -> "a\\b", () -> "\u007f", () -> "\u0080", () -> "\n",
                () -> "\uD83C\uDF6A", () -> 1.5, () -> -0.0, () -> 2.5f, () -> Double.NaN,
                () -> new BigInteger("123456789012345678901234567890"), () -> 'c', () -> null, () -> 7,
                () -> new byte[] {1, 2}, () -> List.of(new Object()));
    }

    /** What reading gave: a value, or the exception's class and message. */
    record Outcome(Object value, String refusal) {

        static Outcome of(JsonRead read) {
            try {
                return new Outcome(read.read(), null);
            } catch (IOException | RuntimeException e) {
                return new Outcome(null, e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    /** A read that may refuse. */
    interface JsonRead {
        Object read() throws IOException;
    }

    /** Asserts the same tree with the same Java class at every node (equals alone takes 1 and 1L apart, but not the map kinds). */
    static void assertSameTree(Object actual, Object expected, String path) {
        if (expected == null) {
            assertThat(actual).as(path).isNull();
            return;
        }
        assertThat(actual).as(path).isNotNull();
        assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
        if (expected instanceof Map) {
            Map<?, ?> a = (Map<?, ?>) actual;
            Map<?, ?> e = (Map<?, ?>) expected;
            assertThat(List.copyOf(a.keySet())).as(path + " keys").isEqualTo(List.copyOf(e.keySet()));
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                assertThat(entry.getKey().getClass()).isEqualTo(String.class);
                assertSameTree(a.get(entry.getKey()), entry.getValue(), path + "." + entry.getKey());
            }
        } else if (expected instanceof List) {
            List<?> a = (List<?>) actual;
            List<?> e = (List<?>) expected;
            assertThat(a).as(path + " size").hasSameSizeAs(e);
            Iterator<?> ai = a.iterator();
            int i = 0;
            for (Object item : e) {
                assertSameTree(ai.next(), item, path + "[" + i++ + "]");
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
