package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class TimedSerializerTest {

    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    private final TimedSerializer serializer = TimedSerializer.builder("k").clock(clock).build();

    @Test
    void knownAnswerFromItsdangerous() {
        // Made by: /usr/bin/python3 -c 'from itsdangerous import URLSafeTimedSerializer as S;
        //   print(S("k").dumps({"a": 1}))' at 2026-11-27T09:51:19Z (itsdangerous 2.1.2)
        String python = "eyJhIjoxfQ.awlSlw.5_XJQPlx7BBfmOExK35QrIvfV7U";
        LoadResult result = serializer.loads(python);
        assertThat(result.isVerified()).isTrue();
        assertThat(result.value()).isEqualTo(Map.of("a", 1));
        assertThat(result.signedAt()).isEqualTo(Instant.parse("2026-11-27T09:51:19Z"));
        assertThat(result.signedWithFallbackSecret()).isFalse();
        assertThat(serializer.dumps(Map.of("a", 1), Instant.parse("2026-11-27T09:51:19Z"))).isEqualTo(python);
    }

    @Test
    void compressedKnownAnswerFromItsdangerous() {
        // print(S("k").dumps({"x": "é" * 100})) at 2026-11-27T09:51:19Z
        LoadResult result = serializer.loads(".eJyrVqpQslI6vHJ4QKVaADypkGM.awlSlw.zisFna43vA-IkCzv2lM4sHfKcRY");
        assertThat(result.isVerified()).isTrue();
        assertThat(result.compressed()).isTrue();
        assertThat(result.value()).isEqualTo(Map.of("x", "é".repeat(100)));
    }

    @Test
    void compressesOnlyWhenItSavesAtLeastTwoBytes() {
        assertThat(serializer.dumps(Map.of("a", "x".repeat(500)))).startsWith(".");
        assertThat(serializer.dumps(Map.of("a", 1))).doesNotStartWith(".");
        assertThat(TimedSerializer.builder("k").compress(false).build().dumps(Map.of("a", "x".repeat(500))))
                .doesNotStartWith(".");
    }

    @Test
    void writesNonAsciiAsRawUtf8() {
        String token = serializer.dumps(Map.of("name", "Zoë"));
        String json = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"name\":\"Zoë\"}");
    }

    @Test
    void rejectsATamperedPayload() {
        String token = serializer.dumps(Map.of("role", "user"));
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
        assertThat(serializer.loads(forged).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void rejectsAnotherSecret() {
        String token = TimedSerializer.builder("other").clock(clock).build().dumps(Map.of("a", 1));
        assertThat(serializer.loads(token).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void rejectsAnotherSalt() {
        String token = TimedSerializer.builder("k").salt("cookie-session").clock(clock).build().dumps(Map.of("a", 1));
        assertThat(serializer.loads(token).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(TimedSerializer.builder("k").salt("cookie-session").clock(clock).build().loads(token)
                .isVerified()).isTrue();
    }

    @Test
    void fallbackSecretsVerifyButNeverSign() {
        String old = TimedSerializer.builder("old").clock(clock).build().dumps(Map.of("a", 1));
        TimedSerializer rotated = TimedSerializer.builder("new").fallbackSecrets(List.of("old")).clock(clock).build();
        LoadResult result = rotated.loads(old);
        assertThat(result.isVerified()).isTrue();
        assertThat(result.signedWithFallbackSecret()).isTrue();
        String reissued = rotated.dumps(result.value());
        assertThat(TimedSerializer.builder("new").clock(clock).build().loads(reissued).isVerified()).isTrue();
        assertThat(TimedSerializer.builder("old").clock(clock).build().loads(reissued).isVerified()).isFalse();
    }

    @Test
    void expiresAfterMaxAgeButNotAtIt() {
        String token = serializer.dumps(Map.of("a", 1));
        clock.advance(Duration.ofSeconds(60));
        assertThat(serializer.loads(token, Duration.ofSeconds(60)).isVerified()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(serializer.loads(token, Duration.ofSeconds(60)).rejection()).isEqualTo(Rejection.EXPIRED);
        assertThat(serializer.loads(token).isVerified()).isTrue();
    }

    @Test
    void toleratesSmallClockSkewButNotFarFuture() {
        Instant now = clock.instant();
        assertThat(serializer.loads(serializer.dumps(Map.of(), now.plusSeconds(2))).isVerified()).isTrue();
        assertThat(serializer.loads(serializer.dumps(Map.of(), now.plusSeconds(5))).isVerified()).isTrue();
        assertThat(serializer.loads(serializer.dumps(Map.of(), now.plusSeconds(6))).rejection())
                .isEqualTo(Rejection.SIGNED_IN_FUTURE);
        TimedSerializer strict = TimedSerializer.builder("k").clock(clock).clockSkew(Duration.ZERO).build();
        assertThat(strict.loads(strict.dumps(Map.of(), now.plusSeconds(1))).rejection())
                .isEqualTo(Rejection.SIGNED_IN_FUTURE);
    }

    @Test
    void rejectsMalformedValuesWithoutThrowing() {
        for (String junk : List.of("", "abc", "a.b", ".", "..", "...", "a..b", "e30.!!!!.AAAA", "e30.AAAA.!!!!",
                "é.b.c", "a b.c.d", "e30.AAAAAAAAAAAAAAAA.x")) {
            LoadResult result = serializer.loads(junk);
            assertThat(result.isVerified()).as(junk).isFalse();
            assertThat(result.rejection()).as(junk).isIn(Rejection.MALFORMED, Rejection.BAD_SIGNATURE);
        }
        assertThat(serializer.loads(null).rejection()).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void signedGarbagePayloadIsBadPayload() {
        String notJson = sign(Base64.getUrlEncoder().withoutPadding().encodeToString("{nope".getBytes(StandardCharsets.UTF_8)));
        assertThat(serializer.loads(notJson).rejection()).isEqualTo(Rejection.BAD_PAYLOAD);
        String badZlib = sign(".AAAA");
        assertThat(serializer.loads(badZlib).rejection()).isEqualTo(Rejection.BAD_PAYLOAD);
    }

    @Test
    void inflateIsCappedAfterVerification() {
        byte[] bomb = new byte[1 << 20];
        java.util.Arrays.fill(bomb, (byte) ' ');
        Deflater deflater = new Deflater();
        deflater.setInput(bomb);
        deflater.finish();
        byte[] out = new byte[bomb.length];
        int n = deflater.deflate(out);
        deflater.end();
        String token = sign("." + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, n)));
        assertThat(serializer.loads(token).rejection()).isEqualTo(Rejection.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesNonFiniteAndNonStandardNumbersThatOnlyTheSecretHolderCouldSign() {
        // Python's json reads NaN, Infinity, -Infinity and 1e999 (as inf); no session value may hold them.
        for (String number : new String[] {"NaN", "Infinity", "-Infinity", "+Infinity", "+INF", "-INF", "INF",
            "1e999", "+1", "01", ".5", "0x1"}) {
            String token = sign(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("{\"x\":" + number + "}").getBytes(StandardCharsets.UTF_8)));
            assertThat(serializer.loads(token).rejection()).as(number).isEqualTo(Rejection.BAD_PAYLOAD);
        }
        assertThatThrownBy(() -> serializer.dumps(Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dumpsRefusesNonJsonValues() {
        assertThatThrownBy(() -> serializer.dumps(Map.of("t", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value must be a JSON value (String, Number, Boolean, null, List, Map with String keys): "
                        + "java.time.Instant at .t; convert it to one of those types first");
    }

    @Test
    void emptySecretIsRefused() {
        assertThatThrownBy(() -> TimedSerializer.builder("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringHidesSecrets() {
        assertThat(TimedSerializer.builder("super-secret").fallbackSecrets(List.of("older-secret")).build().toString())
                .doesNotContain("super-secret").doesNotContain("older-secret");
    }

    @Test
    void loadsUnsafeShowsContentWithoutVerifying() {
        String token = TimedSerializer.builder("unknown").clock(clock).build().dumps(Map.of("a", "x".repeat(500)));
        UnverifiedValue value = TimedSerializer.loadsUnsafe(token);
        assertThat(value.value()).isEqualTo(Map.of("a", "x".repeat(500)));
        assertThat(value.signedAt()).isEqualTo(clock.instant());
        assertThat(value.compressed()).isTrue();
        assertThat(value.payloadBytes()).isEqualTo(508);
        assertThat(value.problem()).isNull();
        assertThat(TimedSerializer.loadsUnsafe("junk").problem()).contains("separators");
    }

    /** Signs an arbitrary PAYLOAD text the way itsdangerous would, to test what happens after verification. */
    private String sign(String payload) {
        String token = serializer.dumps(Map.of());
        String timestamp = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
        String signed = payload + "." + timestamp;
        try {
            byte[] key = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(("itsdangerous" + "signer" + "k").getBytes(StandardCharsets.UTF_8));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
            return signed + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSignedEmptyPayloadIsRejectedNotThrown() {
        assertThat(serializer.loads(sign(".")).rejection()).isEqualTo(Rejection.BAD_PAYLOAD);
        assertThat(serializer.loads(sign("")).rejection()).isIn(Rejection.MALFORMED, Rejection.BAD_PAYLOAD);
        assertThat(TimedSerializer.loadsUnsafe(".a.b").problem()).isEqualTo("the payload is empty");
    }

    @Test
    void aNonCanonicalLastSignatureCharacterIsRejected() {
        String token = serializer.dumps(Map.of("a", 1));
        char last = token.charAt(token.length() - 1);
        // 20 bytes of MAC are 160 bits in 27 characters of 6 bits (162): the last character carries the
        // MAC's last 4 bits and 2 unused bits, which must be zero. XOR 1 flips the lowest, an unused bit.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String twin = token.substring(0, token.length() - 1) + sibling;
        assertThat(serializer.loads(twin).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
    }
}
