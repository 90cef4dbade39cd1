package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.json.FlaskTuple;
import dev.chirp.sessions.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FlaskSerializerTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_790_000_000L);
    // Made by Flask 3.1's own serializer (itsdangerous URLSafeTimedSerializer, salt cookie-session,
    // key_derivation hmac, SHA-1, flask.json.tag.TaggedJSONSerializer), secret "flask-secret", at T0, of
    // {"t": (1, "a"), "b": b"\x00\xffhi", "u": UUID("12345678-1234-5678-1234-567812345678"),
    //  "d": datetime(2026, 1, 2, 3, 4, 5, tzinfo=utc), "m": Markup("<b>x</b>"), "esc": {" t": 1},
    //  "_flashes": [("message", "Saved"), ("error", "Oops")]}
    private static final String FLASK = ".eJx1j8sKwjAQRX8lzDpgmj7U0BbcKAiiojspJbFRC9ZKoiKU_ruTVJduTuDcS7jTwQNEBwR5CChIKHoKyiskzDbTVm6zDNA-vUVCwMMoTsaTf69rV76NhLmpKWGcLOWNcMYTwkLBIsFisljtXbXxVSSkKn-nI5U7q-1x-KIeBpYliKDHoDxdpb1oi4u_w6HR1sqzBgo7-dKVO-IXaWNag8G6vVv0Rf8Bv8NAwA.arE7gA.ndQxhV9UpNGKkKp3gjwTqW2d_Ig";
    // TaggedJSONSerializer().dumps of the same value.
    private static final String FLASK_TAGGED = "{\"t\":{\" t\":[1,\"a\"]},\"b\":{\" b\":\"AP9oaQ==\"},"
            + "\"u\":{\" u\":\"12345678123456781234567812345678\"},\"d\":{\" d\":\"Fri, 02 Jan 2026 03:04:05 GMT\"},"
            + "\"m\":{\" m\":\"<b>x</b>\"},\"esc\":{\" di\":{\" t__\":1}},"
            + "\"_flashes\":[{\" t\":[\"message\",\"Saved\"]},{\" t\":[\"error\",\"Oops\"]}]}";

    // Java has no Markup: it reads Markup as a String, and writes a String.
    private static final String JAVA_TAGGED = FLASK_TAGGED.replace("{\" m\":\"<b>x</b>\"}", "\"<b>x</b>\"");

    private final MutableClock clock = new MutableClock(T0);

    private FlaskSerializer flask(String secret, String... fallbacks) {
        return FlaskSerializer.builder(secret).fallbackSecrets(List.of(fallbacks)).clock(clock).build();
    }

    private static Map<String, Object> javaSession() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("t", FlaskTuple.of(1, "a"));
        v.put("b", new byte[] {0, (byte) 0xff, 'h', 'i'});
        v.put("u", UUID.fromString("12345678-1234-5678-1234-567812345678"));
        v.put("d", Instant.parse("2026-01-02T03:04:05Z"));
        v.put("m", "<b>x</b>");
        v.put("esc", Map.of(" t", 1));
        v.put("_flashes", List.of(FlaskTuple.of("message", "Saved"), FlaskTuple.of("error", "Oops")));
        return v;
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsEveryTagOfACookieMadeByFlask() {
        LoadResult result = flask("flask-secret").loads(FLASK, Duration.ofDays(31));
        assertThat(result.isVerified()).as(String.valueOf(result)).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) result.value();
        assertThat(v.get("t")).isInstanceOf(FlaskTuple.class).isEqualTo(List.of(1, "a"));
        assertThat((byte[]) v.get("b")).containsExactly(0, 0xff, 'h', 'i');
        assertThat(v.get("u")).isEqualTo(UUID.fromString("12345678-1234-5678-1234-567812345678"));
        assertThat(v.get("d")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(v.get("m")).isEqualTo("<b>x</b>");
        assertThat(v.get("esc")).isEqualTo(Map.of(" t", 1));
        assertThat((List<Object>) v.get("_flashes")).containsExactly(FlaskTuple.of("message", "Saved"),
                FlaskTuple.of("error", "Oops")).allMatch(f -> f instanceof FlaskTuple);
    }

    @Test
    void tagsJavaValuesExactlyAsFlaskDoes() {
        assertThat(JAVA_TAGGED).contains("\"m\":\"<b>x</b>\"");
        assertThat(new String(Json.write(FlaskSerializer.tag(javaSession())), StandardCharsets.UTF_8))
                .isEqualTo(JAVA_TAGGED);
    }

    @Test
    void writesFlashesGivenAsListsAsTuples() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("_flashes", List.of(List.of("message", "Hi")));
        assertThat(new String(Json.write(FlaskSerializer.tag(v)), StandardCharsets.UTF_8))
                .isEqualTo("{\"_flashes\":[{\" t\":[\"message\",\"Hi\"]}]}");
    }

    @Test
    void writesDatetimesWithTwoDigitDaysInGmtFromAnyOffset() {
        Object tagged = FlaskSerializer.tag(OffsetDateTime.of(2026, 3, 4, 7, 8, 9, 5, ZoneOffset.ofHours(2)));
        assertThat(tagged).isEqualTo(Map.of(" d", "Wed, 04 Mar 2026 05:08:09 GMT"));
    }

    @Test
    void roundTripsEveryTypeThroughItsOwnCookie() {
        FlaskSerializer s = flask("flask-secret");
        LoadResult result = s.loads(s.dumps(javaSession(), T0), null);
        assertThat(result.isVerified()).isTrue();
        assertThat(new String(Json.write(FlaskSerializer.tag(result.value())), StandardCharsets.UTF_8))
                .isEqualTo(JAVA_TAGGED);
    }

    @Test
    void refusesAChirpCookieAndChirpRefusesAFlaskCookie() {
        String chirp = TimedSerializer.builder("flask-secret").clock(clock).build().dumps(Map.of("a", 1));
        assertThat(flask("flask-secret").loads(chirp, null).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(TimedSerializer.builder("flask-secret").clock(clock).build().loads(FLASK).rejection())
                .isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void verifiesWithSecretKeyFallbacks() {
        LoadResult result = flask("new-secret", "flask-secret").loads(FLASK, null);
        assertThat(result.isVerified()).isTrue();
        assertThat(result.signedWithFallbackSecret()).isTrue();
    }

    @Test
    void refusesExpiredCookies() {
        clock.advance(Duration.ofSeconds(101));
        assertThat(flask("flask-secret").loads(FLASK, Duration.ofSeconds(100)).rejection())
                .isEqualTo(Rejection.EXPIRED);
    }

    @Test
    void untagsAsFlasksObjectHookDoes() {
        assertThat(FlaskSerializer.untag(Map.of(" d", "not a date"))).isNull();
        assertThat(FlaskSerializer.untag(Map.of(" u", "{12345678-1234-5678-1234-567812345678}")))
                .isEqualTo(UUID.fromString("12345678-1234-5678-1234-567812345678"));
        assertThat(FlaskSerializer.untag(Map.of(" x", 1))).isEqualTo(Map.of(" x", 1));
        assertThat(FlaskSerializer.untag(Map.of(" t", 1, "other", 2))).isEqualTo(Map.of(" t", 1, "other", 2));
        assertThatThrownBy(() -> FlaskSerializer.untag(Map.of(" u", "zz"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesValuesThatAreNeitherJsonNorFlaskTypes() {
        assertThatThrownBy(() -> flask("k").dumps(Map.of("x", new Object()), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("value must be a JSON value or a Flask type")
                .hasMessageContaining("java.lang.Object at .x");
    }

    /** Seeded property: sessions of any Flask types round-trip with their types. */
    @Test
    void anyFlaskSessionRoundTrips() {
        long seed = Long.getLong("chirp.seed", System.nanoTime());
        Random random = new Random(seed);
        FlaskSerializer s = flask("k");
        for (int run = 0; run < 200; run++) {
            Map<String, Object> session = SealedSerializerTest.randomSession(random);
            session.put("tuple", FlaskTuple.of(random.nextInt(), "x"));
            byte[] bytes = new byte[random.nextInt(20)];
            random.nextBytes(bytes);
            session.put("bytes", bytes);
            session.put("uuid", new UUID(random.nextLong(), random.nextLong()));
            session.put("when", Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE)));
            session.put(random.nextBoolean() ? " t" : "x", Map.of(" b", "text"));
            byte[] expected = Json.write(FlaskSerializer.tag(session));
            LoadResult result = s.loads(s.dumps(session, T0), null);
            assertThat(result.isVerified()).as("seed %d run %d", seed, run).isTrue();
            assertThat(Json.write(FlaskSerializer.tag(result.value()))).as("seed %d run %d", seed, run)
                    .isEqualTo(expected);
        }
    }
}
