package dev.chirp.sessions.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /session}: the current session as JSON, for looking inside the cookie. */
final class SessionJsonServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(body)) {
            write(json, new LinkedHashMap<>(Sessions.get()));
        }
        body.write('\n');
        response.setContentType("application/json");
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String) {
            json.writeString((String) value);
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else if (value instanceof BigInteger) {
            json.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            json.writeNumber((BigDecimal) value);
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Number) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                json.writeFieldName(String.valueOf(e.getKey()));
                write(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List) {
            json.writeStartArray();
            for (Object item : (List<?>) value) {
                write(json, item);
            }
            json.writeEndArray();
        } else {
            json.writeString(String.valueOf(value)); // cannot happen: sessions hold JSON values only
        }
    }
}
