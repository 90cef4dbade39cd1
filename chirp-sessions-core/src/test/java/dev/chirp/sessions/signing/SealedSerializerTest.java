package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SealedSerializerTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_790_000_000L);
    // Made by: echo '{"user":"ana","n":[1,2.5,true,null]}' | CHIRP_SESSION_SECRET=s3cret
    //   scripts/sealed-cookie.py seal chirp_session 1790000000   (Python's cryptography, from the spec)
    private static final String PYTHON = "AfxU1t1plLMPyHVBSBFI3Ol3MTfd7XRaZPbAE5m6o6RvecqPxCSgWHFzsGQhPQQeh0MsF5h4YHSWO7P8cOs1WVp5OS7kRKU5fA";

    private final MutableClock clock = new MutableClock(T0);

    private SealedSerializer sealed(String secret, String... fallbacks) {
        return SealedSerializer.builder(secret).fallbackSecrets(List.of(fallbacks)).clock(clock).build();
    }

    @Test
    void opensAValueSealedByAnIndependentPythonImplementation() {
        LoadResult result = sealed("s3cret").loads(PYTHON, Duration.ofDays(1));
        assertThat(result.isVerified()).as(String.valueOf(result)).isTrue();
        assertThat(result.value()).isEqualTo(Map.of("user", "ana", "n", java.util.Arrays.asList(1, 2.5, true, null)));
        assertThat(result.signedAt()).isEqualTo(T0);
        assertThat(result.signedWithFallbackSecret()).isFalse();
    }

    @Test
    void writesTheDocumentedLayout() throws Exception {
        String value = sealed("s3cret").dumps(Map.of("a", 1), T0);
        byte[] raw = Base64.getUrlDecoder().decode(value);
        assertThat(value).doesNotContain("=").doesNotContain(".");
        assertThat(raw[0]).isEqualTo((byte) 1);
        assertThat(raw.length).isEqualTo(1 + 12 + 8 + "{\"a\":1}".length() + 16);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(SealedSerializer.deriveKey("s3cret"), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, raw, 1, 12));
        cipher.updateAAD("chirp_session".getBytes(StandardCharsets.UTF_8));
        byte[] plain = cipher.doFinal(raw, 13, raw.length - 13);
        assertThat(java.nio.ByteBuffer.wrap(plain, 0, 8).getLong()).isEqualTo(T0.getEpochSecond());
        assertThat(new String(plain, 8, plain.length - 8, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void refusesWhatTheSignedFormatRefusesInsideAnAuthenticValue() throws Exception {
        // Only the secret holder can seal these; the rule is still the signed path's (one rule everywhere).
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};
        for (byte[] json : List.of(bom, "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE),
                "{\"a\":1}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
                "{\"a\":NaN}".getBytes(StandardCharsets.US_ASCII), "{\"a\":+INF}".getBytes(StandardCharsets.US_ASCII),
                "{\"a\":-Infinity}".getBytes(StandardCharsets.US_ASCII), "{\"a\":1e999}".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(sealed("s3cret").loads(sealRaw("s3cret", json), Duration.ofDays(1)).rejection())
                    .as(new String(json, StandardCharsets.ISO_8859_1)).isEqualTo(Rejection.BAD_PAYLOAD);
        }
        assertThat(sealed("s3cret").loads(sealRaw("s3cret", "{\"a\":1}".getBytes(StandardCharsets.US_ASCII)),
                Duration.ofDays(1)).value()).isEqualTo(Map.of("a", 1));
    }

    /** Seals arbitrary plaintext JSON as the documented layout says, independently of SealedSerializer. */
    private static String sealRaw(String secret, byte[] json) throws Exception {
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(SealedSerializer.deriveKey(secret), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD("chirp_session".getBytes(StandardCharsets.UTF_8));
        byte[] plain = java.nio.ByteBuffer.allocate(8 + json.length).putLong(T0.getEpochSecond()).put(json).array();
        byte[] sealedBytes = cipher.doFinal(plain);
        byte[] out = new byte[1 + 12 + sealedBytes.length];
        out[0] = 1;
        System.arraycopy(nonce, 0, out, 1, 12);
        System.arraycopy(sealedBytes, 0, out, 13, sealedBytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        SealedSerializer s = sealed("s3cret");
        assertThat(s.dumps(Map.of("a", 1), T0)).isNotEqualTo(s.dumps(Map.of("a", 1), T0));
    }

    @Test
    void refusesEveryChangedCharacter() {
        SealedSerializer s = sealed("s3cret");
        String value = s.dumps(Map.of("user", "ana"), T0);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < value.length(); i++) {
            for (int shift : new int[] {1, 2, 31}) {
                char c = alphabet.charAt((alphabet.indexOf(value.charAt(i)) + shift) % 64);
                String tampered = value.substring(0, i) + c + value.substring(i + 1);
                assertThat(s.loads(tampered, null).isVerified()).as("changed at %d to %s", i, c).isFalse();
            }
        }
    }

    @Test
    void refusesTruncatedAndExtendedValues() {
        SealedSerializer s = sealed("s3cret");
        String value = s.dumps(Map.of("user", "ana"), T0);
        for (int n = 0; n < value.length(); n++) {
            assertThat(s.loads(value.substring(0, n), null).isVerified()).as("first %d chars", n).isFalse();
        }
        assertThat(s.loads(value + "A", null).isVerified()).isFalse();
        assertThat(s.loads(value + "=", null).rejection()).isEqualTo(Rejection.MALFORMED);
    }

    @Test
    void refusesAValueMovedToAnotherCookieName() {
        String value = sealed("s3cret").dumps(Map.of("user", "ana"), T0);
        SealedSerializer other = SealedSerializer.builder("s3cret").cookieName("other").clock(clock).build();
        assertThat(other.loads(value, null).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void refusesAValueSealedWithAnotherSecret() {
        String value = sealed("another").dumps(Map.of("user", "ana"), T0);
        assertThat(sealed("s3cret").loads(value, null).rejection()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void refusesExpiredAndFarFutureValuesButToleratesClockSkew() {
        SealedSerializer s = sealed("s3cret");
        String value = s.dumps(Map.of("a", 1), T0);
        clock.advance(Duration.ofSeconds(61));
        assertThat(s.loads(value, Duration.ofSeconds(60)).rejection()).isEqualTo(Rejection.EXPIRED);
        assertThat(s.loads(value, Duration.ofSeconds(61)).isVerified()).isTrue();
        assertThat(s.loads(s.dumps(Map.of("a", 1), clock.instant().plusSeconds(5)), null).isVerified()).isTrue();
        assertThat(s.loads(s.dumps(Map.of("a", 1), clock.instant().plusSeconds(6)), null).rejection())
                .isEqualTo(Rejection.SIGNED_IN_FUTURE);
    }

    @Test
    void opensWithAFallbackSecretAndSaysSo() {
        String value = sealed("old").dumps(Map.of("a", 1), T0);
        LoadResult result = sealed("new", "older", "old").loads(value, null);
        assertThat(result.isVerified()).isTrue();
        assertThat(result.signedWithFallbackSecret()).isTrue();
    }

    @Test
    void refusesAnotherVersionByte() {
        byte[] raw = Base64.getUrlDecoder().decode(sealed("s3cret").dumps(Map.of("a", 1), T0));
        raw[0] = 2;
        String v2 = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThat(sealed("s3cret").loads(v2, null).rejection()).isEqualTo(Rejection.MALFORMED);
        assertThat(SealedSerializer.looksSealed(v2)).isFalse();
    }

    @Test
    void refusesNonJsonValuesWhenSealing() {
        assertThatThrownBy(() -> sealed("s3cret").dumps(Map.of("when", Instant.EPOCH), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Instant at .when");
    }

    @Test
    void neverShowsSecretsInToString() {
        assertThat(sealed("s3cret", "old-secret").toString()).doesNotContain("s3cret").doesNotContain("old-secret")
                .contains("secrets=2 (hidden)");
    }

    /** Seeded property: any session round-trips, and any single-byte change of the sealed bytes is refused. */
    @Test
    void anySessionRoundTripsAndAnyByteChangeIsRefused() {
        long seed = Long.getLong("chirp.seed", System.nanoTime());
        Random random = new Random(seed);
        SealedSerializer s = sealed("s3cret", "old");
        for (int run = 0; run < 200; run++) {
            Map<String, Object> session = randomSession(random);
            String value = s.dumps(session, T0);
            LoadResult result = s.loads(value, null);
            assertThat(result.isVerified()).as("seed %d run %d", seed, run).isTrue();
            assertThat(result.value()).as("seed %d run %d", seed, run).isEqualTo(session);
            byte[] raw = Base64.getUrlDecoder().decode(value);
            int at = random.nextInt(raw.length);
            raw[at] ^= (byte) (1 + random.nextInt(255));
            String changed = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            assertThat(s.loads(changed, null).isVerified()).as("seed %d run %d byte %d", seed, run, at).isFalse();
        }
    }

    static Map<String, Object> randomSession(Random random) {
        Map<String, Object> session = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            session.put(randomText(random), randomValue(random, 0));
        }
        return session;
    }

    private static Object randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 2 ? 5 : 7)) {
            case 0: return randomText(random);
            case 1: return random.nextInt();
            case 2: return random.nextLong();
            case 3: return random.nextBoolean();
            case 4: return null;
            case 5: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomText(random), randomValue(random, depth + 1));
                }
                return map;
            }
        }
    }

    private static String randomText(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int kind = random.nextInt(10);
            b.appendCodePoint(kind < 6 ? 0x20 + random.nextInt(0x5f) : kind < 8 ? 0xa0 + random.nextInt(0x700)
                    : kind < 9 ? 0x4e00 + random.nextInt(0x100) : 0x1f600 + random.nextInt(0x40));
        }
        return b.toString();
    }
}
