package dev.chirp.sessions.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of session data in Redis, with the same Java value types as the core's sessions: objects
 * are {@link LinkedHashMap}, arrays {@link ArrayList}, integers the smallest of
 * {@link Integer}/{@link Long}/{@link BigInteger}, other numbers {@link Double}.
 */
final class SessionJson {

    // NaN and Infinity are read and written as bare literals, as the core's cookie codec does: a session
    // that a chirp service filled with them survives a trip through Redis instead of being dropped.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(256)
                    .maxNumberLength(2000)
                    .build())
            .build();

    private SessionJson() {
    }

    /** Writes {@code data}, whose values the session has already checked to be JSON values. */
    static String write(Map<String, Object> data) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeValue(gen, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads one JSON object that fills the whole text.
     *
     * @throws IOException if the text is not exactly one JSON object
     */
    static Map<String, Object> read(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, Object> data = readObject(parser);
            if (parser.nextToken() != null) {
                throw new IOException("trailing data after the JSON object");
            }
            return data;
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            map.put(key, readValue(parser, parser.nextToken()));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IOException("unterminated JSON object");
        }
        return map;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of JSON");
        }
        switch (token) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
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

    private static void writeValue(JsonGenerator gen, Object value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String) {
            gen.writeString((String) value);
        } else if (value instanceof Boolean) {
            gen.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            gen.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long) {
            gen.writeNumber((long) (Long) value);
        } else if (value instanceof BigInteger) {
            gen.writeNumber((BigInteger) value);
        } else if (value instanceof Double || value instanceof Float) {
            gen.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof BigDecimal) {
            gen.writeNumber((BigDecimal) value);
        } else if (value instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                gen.writeFieldName((String) e.getKey());
                writeValue(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof List) {
            gen.writeStartArray();
            for (Object item : (List<?>) value) {
                writeValue(gen, item);
            }
            gen.writeEndArray();
        } else {
            // The session refuses non-JSON values at put; reaching this means a caller bypassed it.
            throw new IllegalArgumentException("session value must be a JSON value: "
                    + value.getClass().getName() + "; convert it before storing it");
        }
    }
}
