package dev.chirp.sessions.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
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
    // Python's json.dumps writes NaN/Infinity by default (allow_nan=True), so a chirp service can put
    // them in a cookie; reading them keeps such sessions alive instead of dropping them as malformed.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
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
     * @throws IOException if the bytes are not exactly one JSON value
     */
    public static Object read(byte[] bytes, int offset, int length) throws IOException {
        Object plain = PlainJsonReader.read(bytes, offset, length);
        return plain != null ? plain : readWithJackson(bytes, offset, length);
    }

    /**
     * {@link #read(byte[], int, int)} without the plain fast path: the reference that path must match (the
     * differential tests), and the "before" of PartsBenchmark.
     *
     * @throws IOException if the bytes are not exactly one JSON value
     */
    public static Object readWithJackson(byte[] bytes, int offset, int length) throws IOException {
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
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
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
