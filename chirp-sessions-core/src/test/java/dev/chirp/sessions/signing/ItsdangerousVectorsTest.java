package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known-answer vectors made by Python's itsdangerous ({@code scripts/make-itsdangerous-vectors.py}), the
 * reference implementation of chirp's cookie format: Java must read every token itsdangerous wrote to the
 * same value, reject the same bad tokens, and sign the same values so that they verify again (and, where
 * the JSON text cannot differ, byte for byte as itsdangerous did). The Java-to-Python direction against a
 * live Python is {@code scripts/check-python-reads-java.sh}.
 */
class ItsdangerousVectorsTest {

    private static final String RESOURCE = "/itsdangerous/vectors.json";

    @Test
    void vectorFileCoversEveryKindOfCaseTheIssueAsksFor() throws IOException {
        List<Map<String, Object>> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases).filteredOn(c -> "valid".equals(c.get("expect")))
                .anySatisfy(c -> assertThat(c.get("compressed")).isEqualTo(true))
                .anySatisfy(c -> assertThat(c.get("signed_with_fallback")).isEqualTo(true))
                .anySatisfy(c -> assertThat(c.get("salt")).isNotEqualTo(TimedSerializer.DEFAULT_SALT));
        assertThat(cases).extracting(c -> (String) c.get("name"))
                .contains("non-ascii", "big-integers", "floats", "nested", "tampered-payload", "tampered-signature",
                        "wrong-secret", "expired", "future-timestamp");
    }

    @TestFactory
    Stream<DynamicTest> javaReadsEveryTokenItsdangerousWroteToTheSameValue() throws IOException {
        return cases().stream().filter(c -> "valid".equals(c.get("expect")))
                .map(c -> DynamicTest.dynamicTest("java reads python's token: " + c.get("name"), () -> {
                    LoadResult result = verifier(c).loads((String) c.get("token"), maxAge(c));

                    assertThat(result.isVerified()).as("verified; rejection=%s", result.rejection()).isTrue();
                    assertThat(result.signedAt()).isEqualTo(Instant.ofEpochSecond(number(c, "signed_at")));
                    assertThat(result.compressed()).isEqualTo(c.get("compressed"));
                    assertThat(result.signedWithFallbackSecret()).isEqualTo(c.get("signed_with_fallback"));
                    assertSameNodes(result.value(), nodes(c));
                }));
    }

    @TestFactory
    Stream<DynamicTest> javaRejectsEveryBadTokenWithTheExpectedReason() throws IOException {
        return cases().stream().filter(c -> "rejected".equals(c.get("expect")))
                .map(c -> DynamicTest.dynamicTest("java rejects: " + c.get("name"), () -> {
                    LoadResult result = verifier(c).loads((String) c.get("token"), maxAge(c));

                    assertThat(result.isVerified()).as("rejected").isFalse();
                    assertThat(result.rejection().name()).isIn(strings(c, "rejection"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> javaSignsTheSameValuesSoTheyVerifyAndMatchPythonsJson() throws IOException {
        return cases().stream().filter(c -> "valid".equals(c.get("expect")))
                .map(c -> DynamicTest.dynamicTest("java signs like python: " + c.get("name"), () -> {
                    Object value = verifier(c).loads((String) c.get("token"), maxAge(c)).value();
                    TimedSerializer signer = TimedSerializer.builder((String) c.get("signing_secret"))
                            .salt((String) c.get("salt")).clock(clock(c)).build();

                    String javaToken = signer.dumps(value, Instant.ofEpochSecond(number(c, "signed_at")));

                    LoadResult again = verifier(c).loads(javaToken, maxAge(c));
                    assertThat(again.isVerified()).as("java token verifies; rejection=%s", again.rejection()).isTrue();
                    assertThat(again.signedWithFallbackSecret()).isEqualTo(c.get("signed_with_fallback"));
                    assertSameNodes(again.value(), nodes(c));
                    if (jsonTextCanMatch(c)) {
                        assertThat(payloadJson(javaToken)).isEqualTo(c.get("python_json"));
                        if (!Boolean.TRUE.equals(c.get("compressed"))) {
                            // Same JSON, same key, same time, no compression: nothing left that may differ.
                            assertThat(javaToken).isEqualTo(c.get("token"));
                        }
                    }
                }));
    }

    @Test
    void nonFiniteFloatsThatPythonWritesAndReadsAreRefused() throws IOException {
        Map<String, Object> c = cases().stream().filter(x -> "non-finite-floats".equals(x.get("name")))
                .findFirst().orElseThrow();

        assertThat(c.get("python")).as("itsdangerous itself reads them").isEqualTo("ok");
        assertThat(verifier(c).loads((String) c.get("token"), maxAge(c)).rejection()).isEqualTo(Rejection.BAD_PAYLOAD);
    }

    // --- comparing values ------------------------------------------------------------------------------

    /** Checks {@code value} against Python's own description of every node: type, key order, exact numbers. */
    private static void assertSameNodes(Object value, List<Map<String, Object>> nodes) {
        for (Map<String, Object> node : nodes) {
            List<Object> path = list(node.get("path"));
            Object actual = at(value, path);
            String type = (String) node.get("type");
            String where = "node " + path + " (" + type + ")";
            switch (type) {
                case "object":
                    assertThat(actual).as(where).isInstanceOf(Map.class);
                    assertThat(new ArrayList<>(((Map<?, ?>) actual).keySet())).as(where + " keys in order")
                            .isEqualTo(node.get("keys"));
                    break;
                case "array":
                    assertThat(actual).as(where).isInstanceOf(List.class);
                    assertThat((List<?>) actual).as(where).hasSize(((Number) node.get("length")).intValue());
                    break;
                case "int":
                    assertThat(actual).as(where).isInstanceOfAny(Integer.class, Long.class, BigInteger.class);
                    assertThat(new BigInteger(actual.toString())).as(where).isEqualTo(new BigInteger((String) node.get("text")));
                    break;
                case "float":
                    assertThat(actual).as(where).isInstanceOf(Double.class);
                    // Double.compare, not ==: -0.0 must stay negative and NaN must equal NaN.
                    assertThat(Double.compare((Double) actual, pythonFloat((String) node.get("text"))))
                            .as(where + ": java %s, python %s", actual, node.get("text")).isZero();
                    break;
                case "str":
                    assertThat(actual).as(where).isEqualTo(node.get("text"));
                    break;
                case "bool":
                    assertThat(actual).as(where).isEqualTo(Boolean.valueOf((String) node.get("text")));
                    break;
                case "null":
                    assertThat(actual).as(where).isNull();
                    break;
                default:
                    throw new AssertionError("unknown node type in vectors: " + type);
            }
        }
    }

    private static Object at(Object root, List<Object> path) {
        Object current = root;
        for (Object step : path) {
            if (step instanceof String) {
                assertThat(current).as("map at " + step).isInstanceOf(Map.class);
                assertThat(((Map<?, ?>) current).containsKey(step)).as("has key " + step).isTrue();
                current = ((Map<?, ?>) current).get(step);
            } else {
                assertThat(current).as("list at " + step).isInstanceOf(List.class);
                current = ((List<?>) current).get(((Number) step).intValue());
            }
        }
        return current;
    }

    private static double pythonFloat(String repr) {
        switch (repr) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(repr);
        }
    }

    /**
     * Whether Java's JSON text must equal Python's: floats are written differently but equivalently
     * ({@code 1.0E-5} for {@code 1e-05}), and control characters may be escaped with other hex case.
     */
    private static boolean jsonTextCanMatch(Map<String, Object> c) {
        for (Map<String, Object> node : nodes(c)) {
            if ("float".equals(node.get("type"))) {
                return false;
            }
            if ("str".equals(node.get("type")) && ((String) node.get("text")).chars().anyMatch(ch -> ch < 0x20)) {
                return false;
            }
        }
        return true;
    }

    private static String payloadJson(String token) throws DataFormatException {
        String payload = token.substring(0, token.lastIndexOf('.', token.lastIndexOf('.') - 1));
        boolean compressed = payload.startsWith(".");
        byte[] bytes = Base64.getUrlDecoder().decode(compressed ? payload.substring(1) : payload);
        if (compressed) {
            Inflater inflater = new Inflater();
            inflater.setInput(bytes);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                out.write(buffer, 0, inflater.inflate(buffer));
            }
            inflater.end();
            bytes = out.toByteArray();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // --- reading a case ----------------------------------------------------------------------------------

    private static TimedSerializer verifier(Map<String, Object> c) {
        return TimedSerializer.builder((String) c.get("secret"))
                .fallbackSecrets(strings(c, "fallback_secrets"))
                .salt((String) c.get("salt"))
                .clock(clock(c))
                .build();
    }

    private static Clock clock(Map<String, Object> c) {
        return Clock.fixed(Instant.ofEpochSecond(number(c, "now")), ZoneOffset.UTC);
    }

    private static Duration maxAge(Map<String, Object> c) {
        Object maxAge = c.get("max_age");
        return maxAge == null ? null : Duration.ofSeconds(((Number) maxAge).longValue());
    }

    private static long number(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).longValue();
    }

    private static List<String> strings(Map<String, Object> c, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(c.get(key))) {
            out.add((String) o);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(Map<String, Object> c) {
        return (List<Map<String, Object>>) c.get("nodes");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    // The vector file is read with jackson-core directly, not with the code under test.
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() throws IOException {
        JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = ItsdangerousVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the test class path").isNotNull();
            try (JsonParser parser = factory.createParser(in)) {
                Map<String, Object> document = (Map<String, Object>) read(parser, parser.nextToken());
                return (List<Map<String, Object>>) document.get("cases");
            }
        }
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }
}
