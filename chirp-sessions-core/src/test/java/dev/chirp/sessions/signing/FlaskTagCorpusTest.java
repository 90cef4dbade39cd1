package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.json.FlaskTuple;
import dev.chirp.sessions.json.SessionJson;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every payload of {@code flask-tag-corpus.json} (hostile tagged JSON that only a holder of Flask's
 * {@code SECRET_KEY} can sign) decodes to what Flask's {@code TaggedJSONSerializer.loads} made of it, or
 * is refused where Flask raises. The outcomes in the corpus are Flask's: {@code scripts/flask-tag-corpus.py}
 * checks them against the real Flask from {@code .ci/run}.
 */
class FlaskTagCorpusTest {

    private static final String SECRET = "flask-corpus-secret";
    private static final Instant NOW = Instant.ofEpochSecond(1_790_000_000L);

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() throws IOException {
        try (InputStream in = FlaskTagCorpusTest.class.getResourceAsStream("/flask-tag-corpus.json")) {
            Map<String, Object> document = (Map<String, Object>) SessionJson.read(in.readAllBytes());
            return (List<Map<String, Object>>) document.get("cases");
        }
    }

    @Test
    void theCorpusHoldsAtLeastTheAuditsFortySixKinds() throws IOException {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(46);
        assertThat(cases()).extracting(c -> c.get("outcome")).contains("decoded", "error");
    }

    @TestFactory
    Stream<DynamicTest> eachPayloadDecodesAsFlaskDecodesIt() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            byte[] json = ((String) c.get("json")).getBytes(StandardCharsets.UTF_8);
            Object decoded;
            try {
                decoded = FlaskSerializer.untag(SessionJson.read(json));
            } catch (IllegalArgumentException refused) {
                decoded = refused;
            }
            if ("error".equals(c.get("outcome"))) {
                assertThat(decoded).as("Flask raises %s", c.get("python_error"))
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(decoded).as("Flask decodes it").isNotInstanceOf(IllegalArgumentException.class);
                assertThat(describe(decoded)).isEqualTo(expected(c.get("value")));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aSignedCookieWithEachPayloadIsReadOrRefusedWithoutAnException() throws IOException {
        FlaskSerializer flask = FlaskSerializer.builder(SECRET).clock(java.time.Clock.fixed(NOW,
                java.time.ZoneOffset.UTC)).build();
        return cases().stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            String cookie = signFlask((String) c.get("json"));
            LoadResult result = flask.loads(cookie, java.time.Duration.ofDays(1));
            if ("error".equals(c.get("outcome"))) {
                assertThat(result.rejection()).isEqualTo(Rejection.BAD_PAYLOAD);
            } else {
                assertThat(result.isVerified()).as(String.valueOf(result.rejection())).isTrue();
                assertThat(describe(result.value())).isEqualTo(expected(c.get("value")));
            }
        }));
    }

    /** Flask's cookie over exactly this JSON text: itsdangerous with salt cookie-session and HMAC key derivation. */
    private static String signFlask(String json) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] key = mac.doFinal(FlaskSerializer.DEFAULT_SALT.getBytes(StandardCharsets.UTF_8));
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
        byte[] time = BigInteger.valueOf(NOW.getEpochSecond()).toByteArray();
        String stamp = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(time);
        String signed = payload + "." + stamp;
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        return signed + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The Java value in the corpus' notation (see the corpus' "fields"). */
    private static Object describe(Object value) {
        if (value == null || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return Map.of("int", value.toString());
        }
        if (value instanceof Double) {
            return value;
        }
        if (value instanceof byte[]) {
            return Map.of("bytes", HexFormat.of().formatHex((byte[]) value));
        }
        if (value instanceof FlaskTuple) {
            return Map.of("tuple", describeAll((List<?>) value));
        }
        if (value instanceof List) {
            return describeAll((List<?>) value);
        }
        if (value instanceof Map) {
            List<Object> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                entries.add(List.of(e.getKey(), describeOrNull(e.getValue())));
            }
            return Map.of("dict", entries);
        }
        if (value instanceof UUID) {
            return Map.of("uuid", value.toString().replace("-", ""));
        }
        if (value instanceof Instant) {
            return Map.of("datetime", ((Instant) value).getEpochSecond());
        }
        throw new AssertionError("unexpected " + value.getClass());
    }

    private static List<Object> describeAll(List<?> items) {
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            out.add(describeOrNull(item));
        }
        return out;
    }

    private static Object describeOrNull(Object value) {
        return value == null ? NULL : describe(value);
    }

    /**
     * The corpus' description with what Java cannot tell apart folded: Markup is a String here, a date keeps
     * its instant but not its offset, a float is compared as the double Python's repr reads back to.
     */
    private static Object expected(Object description) {
        if (description == null) {
            return NULL;
        }
        if (description instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) description) {
                out.add(expected(item));
            }
            return out;
        }
        if (!(description instanceof Map)) {
            return description;
        }
        Map<?, ?> map = (Map<?, ?>) description;
        if (map.containsKey("markup")) {
            return map.get("markup");
        }
        if (map.containsKey("float")) {
            return Double.parseDouble((String) map.get("float"));
        }
        if (map.containsKey("datetime")) {
            return Map.of("datetime", ((Number) map.get("datetime")).longValue());
        }
        if (map.containsKey("dict")) {
            List<Object> entries = new ArrayList<>();
            for (Object entry : (List<?>) map.get("dict")) {
                List<?> pair = (List<?>) entry;
                entries.add(List.of(pair.get(0), expected(pair.get(1))));
            }
            return Map.of("dict", entries);
        }
        if (map.containsKey("tuple")) {
            return Map.of("tuple", expected(map.get("tuple")));
        }
        Map<Object, Object> out = new LinkedHashMap<>(map);
        return out;
    }

    /** List.of refuses null: a marker stands for Python's None inside descriptions. */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
}
