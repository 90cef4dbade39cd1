package dev.chirp.sessions.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in the shape Python's {@code json} module reads and writes: objects become {@link LinkedHashMap}
 * (insertion order, as in Python), arrays {@link ArrayList}, integers the smallest of
 * {@link Integer}/{@link Long}/{@link BigInteger}, and floats {@link Double}.
 *
 * <p>Plain JSON (printable ASCII without escapes, integers, booleans, null: most sessions) takes
 * {@link PlainJsonReader} and {@link PlainJsonWriter}, which skip Jackson's parser and generator setup
 * and produce exactly what Jackson would; everything else, and every refusal, is Jackson's.
 */
public final class Json {

    // Callers check JacksonSupport.require() before they reach this class, whose factory needs 2.16.
    // No JsonReadFeature is on: Jackson's defaults refuse what Python's json refuses (NaN and Infinity
    // aside, which the reader refuses on purpose; see read).
    private static final JsonFactory FACTORY = JsonFactory.builder()
            // Not COMBINE_UNICODE_SURROGATES_IN_UTF8 for raw 4-byte UTF-8: it corrupted text in 2.18.0 and
            // 2.18.1 (jackson-core #1359), escaped pairs split across buffer segments before 2.20 (#1473),
            // and treats lone surrogates differently from release to release. writeText does it instead.
            // Generous enough for everything JsonValues lets a session hold (plus sign and exponent), so
            // that a value put() accepted is always read back; input reaches the reader only after its
            // signature verified (and, compressed, after a capped inflate) or from our own store.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(JsonValues.MAX_DEPTH)
                    .maxNumberLength(JsonValues.MAX_NUMBER_DIGITS + 16)
                    .maxStringLength(JsonValues.MAX_STRING_CHARS * 3 + 16)
                    .maxNameLength(JsonValues.MAX_STRING_CHARS * 3 + 16)
                    .build())
            .build();

    private Json() {
    }

    /** Writes compact JSON ({@code ,} and {@code :} separators, raw UTF-8) of a value already checked by {@link JsonValues}. */
    public static byte[] write(Object value) {
        byte[] plain = PlainJsonWriter.write(value);
        return plain != null ? plain : writeWithJackson(value);
    }

    /**
     * {@link #write} without the plain fast path: the reference that path must match byte for byte (the
     * differential tests), and the "before" of PartsBenchmark.
     */
    public static byte[] writeWithJackson(Object value) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
             JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeValue(gen, value);
            gen.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses one JSON value that must fill the whole input.
     *
     * @throws IOException if the bytes are not exactly one JSON value
     */
    public static Object read(byte[] bytes) throws IOException {
        return read(bytes, 0, bytes.length);
    }

    /**
     * Parses one JSON value that must fill {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * <p>One rule for every path that reads session JSON (the chirp and Flask cookies, sealed payloads,
     * server-side stores through {@code SessionJson}): the text is what itsdangerous' {@code loads} reads,
     * {@code payload.decode("utf-8")} then {@code json.loads}, minus the numbers no session may hold.
     * <ul>
     *   <li>UTF-8 only, strictly: no byte order mark (Python's {@code json.loads} refuses it in a
     *       {@code str}), no UTF-16 or UTF-32 (which Jackson would otherwise detect from the zero bytes),
     *       no overlong forms, encoded surrogates or code points past U+10FFFF.</li>
     *   <li>Standard JSON numbers only: no leading {@code +} or zeros, no {@code .5}, {@code 5.}, hex or
     *       {@code INF}, as Python refuses. Python's {@code json} also reads {@code NaN},
     *       {@code Infinity}, {@code -Infinity} and numbers too large for a double (as infinity); those are
     *       refused here, as everywhere in this library: session values are JSON values, which exclude
     *       non-finite numbers, and {@code put} refuses them.</li>
     * </ul>
     *
     * @throws IOException if the bytes are not exactly one JSON value under that rule
     */
    public static Object read(byte[] bytes, int offset, int length) throws IOException {
        // The plain path takes only printable ASCII starting with '{' or '[': nothing there to refuse.
        Object plain = PlainJsonReader.read(bytes, offset, length);
        return plain != null ? plain : readWithJackson(bytes, offset, length);
    }

    /**
     * The index of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: shortest
     * form, no surrogates, at most U+10FFFF), or -1. Python's strict {@code decode("utf-8")} refuses
     * exactly these. Current jackson-core refuses them too (JsonRuleTest passes without this check), but
     * applications choose their jackson-core, and the rule should not depend on which one.
     */
    static int firstInvalidUtf8(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (b >= 0xc2 && b <= 0xdf) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xe0 && b <= 0xef) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xf0 && b <= 0xf4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= end) {
                return i;
            }
            int cp = b & (0x3f >> need);
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xff;
                if ((c & 0xc0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | (c & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /**
     * {@link #read(byte[], int, int)} without the plain fast path: the reference that path must match (the
     * differential tests), and the "before" of PartsBenchmark.
     *
     * @throws IOException if the bytes are not exactly one JSON value
     */
    public static Object readWithJackson(byte[] bytes, int offset, int length) throws IOException {
        if (length > 0 && (bytes[offset] <= 0 || (length > 1 && bytes[offset + 1] == 0))) {
            // JSON text starts with an ASCII character; a BOM starts with 0xEF, UTF-16 and UTF-32 have a
            // zero among the first two bytes. Refused before Jackson guesses another encoding.
            throw new IOException("not UTF-8 JSON: it starts with a byte order mark, a NUL or a non-ASCII byte");
        }
        int bad = firstInvalidUtf8(bytes, offset, length);
        if (bad >= 0) {
            throw new IOException("not UTF-8 JSON: invalid UTF-8 at byte " + (bad - offset));
        }
        try (JsonParser parser = FACTORY.createParser(bytes, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("the input is empty");
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value (trailing data at line "
                        + parser.currentLocation().getLineNr() + ", column "
                        + parser.currentLocation().getColumnNr() + ")");
            }
            return value;
        } catch (JsonProcessingException e) {
            // Jackson's message spans lines and quotes the input; keep one line and the position.
            String message = e.getOriginalMessage() == null ? "not JSON" : e.getOriginalMessage();
            int newline = message.indexOf('\n');
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IOException((newline < 0 ? message : message.substring(0, newline)).trim() + where, e);
        }
    }

    /**
     * Whether {@code value} serializes to exactly {@code expected}, without building the bytes: the
     * output is compared as it is written. A value that cannot be written counts as different.
     */
    public static boolean sameAs(Object value, byte[] expected) {
        Boolean plain;
        try {
            plain = PlainJsonWriter.sameAs(value, expected);
        } catch (RuntimeException e) {
            return false; // changed by another thread while being compared, as below
        }
        return plain != null ? plain : sameAsWithJackson(value, expected);
    }

    /**
     * {@link #sameAs} without the plain fast path: the reference that path must match (the differential
     * tests), and the "before" of PartsBenchmark.
     */
    public static boolean sameAsWithJackson(Object value, byte[] expected) {
        ComparingStream out = new ComparingStream(expected);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeValue(gen, value);
            gen.flush();
        } catch (IOException | RuntimeException e) {
            return false; // unwritable, or changed by another thread while being written: not the same
        }
        return out.same && out.position == expected.length;
    }

    /** Compares what is written against an expected array instead of storing it. */
    private static final class ComparingStream extends OutputStream {
        private final byte[] expected;
        private int position;
        private boolean same = true;

        ComparingStream(byte[] expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) {
            if (same && (position >= expected.length || expected[position] != (byte) b)) {
                same = false;
            }
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (same) {
                if (position + len > expected.length
                        || !Arrays.equals(b, off, off + len, expected, position, position + len)) {
                    same = false;
                }
            }
            position += len;
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken t;
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = text(parser, parser.currentName());
                    map.put(key, readValue(parser, parser.nextToken()));
                }
                if (t != JsonToken.END_OBJECT) {
                    throw new IOException("unterminated object");
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("unterminated array");
                    }
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return text(parser, parser.getText());
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT: {
                double d = parser.getDoubleValue();
                if (!Double.isFinite(d)) {
                    // 1e999: Python reads infinity, which no session may hold.
                    throw new IOException("a number is too large for a double at line "
                            + parser.currentLocation().getLineNr() + ", column "
                            + parser.currentLocation().getColumnNr());
                }
                return d;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    /**
     * Refuses a string with an unpaired surrogate (JSON can spell one as an escape): no session
     * may hold one, since UTF-8 cannot encode it. Python's itsdangerous cannot write such a payload either,
     * and jackson-core writes one differently from version to version.
     */
    private static String text(JsonParser parser, String s) throws IOException {
        int surrogate = JsonValues.unpairedSurrogate(s);
        if (surrogate >= 0) {
            throw new IOException("a string has " + JsonValues.describeUnpairedSurrogate(s, surrogate)
                    + ", which UTF-8 cannot encode, at line "
                    + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr());
        }
        return s;
    }

    /**
     * Writes a string with characters beyond U+FFFF (emoji) as raw 4-byte UTF-8, as the wire format and
     * Python do, instead of the {@code \\uD83C\\uDF6A} escape pairs Jackson writes by default: such a string
     * goes in as the JDK's UTF-8 bytes, which Jackson only escapes. The value holds no unpaired surrogate
     * (JsonValues refuses them), so the JDK's encoding is exact.
     */
    private static void writeText(JsonGenerator gen, String s) throws IOException {
        if (hasSurrogates(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            gen.writeUTF8String(utf8, 0, utf8.length);
        } else {
            gen.writeString(s);
        }
    }

    private static boolean hasSurrogates(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String) {
            writeText(gen, (String) value);
        } else if (value instanceof Boolean) {
            gen.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long) {
            gen.writeNumber((Long) value);
        } else if (value instanceof BigInteger) {
            gen.writeNumber((BigInteger) value);
        } else if (value instanceof Double || value instanceof Float) {
            gen.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof BigDecimal) {
            gen.writeNumber((BigDecimal) value);
        } else if (value instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String name = (String) e.getKey();
                if (hasSurrogates(name)) {
                    gen.writeFieldName(new SerializedString(name)); // quoted from UTF-8 as writeText does
                } else {
                    gen.writeFieldName(name);
                }
                writeValue(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof List) {
            gen.writeStartArray();
            for (Object item : (List<?>) value) {
                writeValue(gen, item);
            }
            gen.writeEndArray();
        } else if (value instanceof byte[]) {
            // Only Flask-profile sessions hold these; the cookie gets Flask's tagged form, but the
            // snapshots that detect in-place changes are written here.
            gen.writeBinary((byte[]) value);
        } else if (JsonValues.isFlaskScalar(value)) {
            gen.writeString(value.getClass().getSimpleName() + ":" + value);
        } else {
            throw new IllegalStateException(JsonValues.describeRefusal(value));
        }
    }
}
