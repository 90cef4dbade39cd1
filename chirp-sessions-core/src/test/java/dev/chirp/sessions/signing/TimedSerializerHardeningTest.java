package dev.chirp.sessions.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.testkit.Browser;
import dev.chirp.sessions.testkit.RawToken;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the security audit (issue 8) found at the edges of the format: out-of-range times, spellings
 * that verified twice, a BOM Python refuses, and zlib bombs signed with the right key.
 */
class TimedSerializerHardeningTest {

    private static final String SECRET = "hardening-secret";
    private static final long NOW = 1_732_700_000L;
    private static final String PAYLOAD = RawToken.base64("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    private final TimedSerializer serializer = TimedSerializer.builder(SECRET)
            .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).build();

    @Test
    void theRawSignerAgreesWithTheSerializer() {
        // Every refusal below is only meaningful if the same signer's canonical token verifies.
        String token = RawToken.sign(SECRET, PAYLOAD, RawToken.timestamp(NOW));
        assertThat(token).isEqualTo(serializer.dumps(Map.of("a", 1), Instant.ofEpochSecond(NOW)));
        assertThat(serializer.loads(token).value()).isEqualTo(Map.of("a", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4611686018427387904", "31556889864403200", "9223372036854775807",
        "18446744073709551615", "1180591620717411303424"})
    void aSignedTimePastInstantMaxIsMalformedNeverAnException(String seconds) {
        String token = RawToken.sign(SECRET, PAYLOAD, RawToken.timestamp(new BigInteger(seconds)));
        TimedSerializer lenient = TimedSerializer.builder(SECRET).clockSkew(Duration.ofSeconds(Long.MAX_VALUE)).build();

        assertThat(serializer.loads(token).rejection()).isEqualTo(Rejection.MALFORMED);
        assertThat(serializer.loads(token, Duration.ofDays(1)).rejection()).isEqualTo(Rejection.MALFORMED);
        assertThat(lenient.loads(token).rejection()).as("whatever the skew").isEqualTo(Rejection.MALFORMED);

        UnverifiedValue unverified = TimedSerializer.loadsUnsafe(token);
        assertThat(unverified.signedAt()).isNull();
        assertThat(unverified.value()).isEqualTo(Map.of("a", 1));
        assertThat(unverified.problem()).startsWith("timestamp is out of range");
    }

    @Test
    void theLastInstantStillVerifiesWithEnoughSkew() {
        long max = Instant.MAX.getEpochSecond();
        String token = RawToken.sign(SECRET, PAYLOAD, RawToken.timestamp(max));
        TimedSerializer lenient = TimedSerializer.builder(SECRET).clockSkew(Duration.ofSeconds(Long.MAX_VALUE)).build();
        assertThat(lenient.loads(token).signedAt()).isEqualTo(Instant.ofEpochSecond(max));
        assertThat(TimedSerializer.loadsUnsafe(token).signedAt()).isEqualTo(Instant.ofEpochSecond(max));
    }

    @Test
    void loadsUnsafeNeverThrowsOnTheAuditsToken() {
        UnverifiedValue unverified = TimedSerializer.loadsUnsafe("eyJhIjoxfQ.f_________8.x");
        assertThat(unverified.signedAt()).isNull();
        assertThat(unverified.problem()).startsWith("timestamp is out of range");
    }

    // Python itsdangerous 2.2 (python3-itsdangerous) ACCEPTS each of these correctly signed timestamps:
    // it pads and decodes leniently. Java refuses them so that exactly one token verifies per value and
    // time; no writer produces them, so no real cookie is lost.
    @ParameterizedTest
    @ValueSource(strings = {"==", "=", "pad-inside", "spare-bits", "leading-zero", "empty", "bad-char"})
    void aNonCanonicalTimestampIsRefusedEvenWhenSigned(String kind) {
        String canonical = RawToken.timestamp(NOW); // 4 bytes: 6 characters, 2 spare bits
        String timestamp;
        switch (kind) {
            case "pad-inside":
                timestamp = canonical.substring(0, 3) + "=" + canonical.substring(3);
                break;
            case "spare-bits":
                timestamp = canonical.substring(0, 5) + (char) (canonical.charAt(5) + 1);
                break;
            case "leading-zero":
                timestamp = RawToken.base64(new byte[] {0, 0x67, 0x46, (byte) 0xe7, 0x60});
                break;
            case "empty":
                timestamp = "";
                break;
            case "bad-char":
                timestamp = canonical.substring(0, 5) + "+";
                break;
            default:
                timestamp = canonical + kind;
        }
        assertThat(serializer.loads(RawToken.sign(SECRET, PAYLOAD, timestamp)).rejection()).as(timestamp)
                .isEqualTo(Rejection.MALFORMED);
    }

    // Python accepts these too (padding and spare bits in the payload); Java refuses them as BAD_PAYLOAD.
    @ParameterizedTest
    @ValueSource(strings = {"=", "==", "spare-bits", "standard-alphabet"})
    void aNonCanonicalPayloadIsRefusedEvenWhenSigned(String kind) {
        String payload;
        switch (kind) {
            case "spare-bits": // {"a":1} is 7 bytes: 10 characters, the last carrying 4 spare bits
                payload = PAYLOAD.substring(0, 9) + (char) (PAYLOAD.charAt(9) + 1);
                break;
            case "standard-alphabet":
                payload = java.util.Base64.getEncoder().withoutPadding()
                        .encodeToString("{\"a\":\"??>\"}".getBytes(StandardCharsets.UTF_8));
                assertThat(payload).contains("+");
                break;
            default:
                payload = PAYLOAD + kind;
        }
        String token = RawToken.sign(SECRET, payload, RawToken.timestamp(NOW));
        assertThat(serializer.loads(token).rejection()).as(token).isEqualTo(Rejection.BAD_PAYLOAD);
    }

    // Python refuses a BOM: itsdangerous decodes the payload as UTF-8, then json.loads raises "Unexpected
    // UTF-8 BOM". UTF-16 is not UTF-8 either; Jackson alone would guess it.
    @Test
    void aPayloadThatIsNotPlainUtf8JsonIsRefusedLikePythonRefusesIt() {
        List<byte[]> payloads = List.of(
                bytes("\ufeff{\"a\":1}", StandardCharsets.UTF_8),
                bytes("{\"a\":1}", StandardCharsets.UTF_16BE),
                bytes("{\"a\":1}", StandardCharsets.UTF_16LE),
                bytes("\ufeff{\"a\":1}", StandardCharsets.UTF_16));
        for (byte[] json : payloads) {
            for (String part : List.of(RawToken.base64(json), RawToken.compressed(json, Deflater.BEST_COMPRESSION))) {
                String token = RawToken.sign(SECRET, part, RawToken.timestamp(NOW));
                assertThat(serializer.loads(token).rejection()).as(part).isEqualTo(Rejection.BAD_PAYLOAD);
                assertThat(TimedSerializer.loadsUnsafe(token).value()).isNull();
            }
        }
        String plain = RawToken.sign(SECRET, RawToken.base64(bytes(" {\"a\":1}", StandardCharsets.UTF_8)),
                RawToken.timestamp(NOW));
        assertThat(serializer.loads(plain).value()).as("leading whitespace is still JSON").isEqualTo(Map.of("a", 1));
    }

    @Test
    void aSignedZlibBombIsRefusedAfterInflatingNoMoreThanTheLimit() {
        int limit = new SessionConfigView().maxPayloadBytesForDefaults();
        TimedSerializer capped = TimedSerializer.builder(SECRET).maxPayloadBytes(limit)
                .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).build();
        byte[] bomb = ("{\"a\":\"" + " ".repeat(64 << 20) + "\"}").getBytes(StandardCharsets.US_ASCII); // 64 MiB
        String token = RawToken.sign(SECRET, RawToken.compressed(bomb, Deflater.BEST_COMPRESSION), RawToken.timestamp(NOW));
        bomb = null;
        assertThat(token.length()).as("a 64 MiB bomb fits in %d characters", token.length()).isLessThan(90_000);

        capped.loads(token); // warm up: class loading and the pools allocate once
        long before = allocatedBytes();
        LoadResult result = capped.loads(token);
        long allocated = allocatedBytes() - before;

        assertThat(result.rejection()).isEqualTo(Rejection.PAYLOAD_TOO_LARGE);
        // The token's own bytes plus the doubling output buffer (at most ~2x the limit): a small multiple of
        // the limit, never the 64 MiB the bomb holds.
        assertThat(allocated).isLessThan(4L * limit + 4L * token.length());
    }

    @Test
    void theLargestSessionTheMiddlewareWritesIsReadBackAndOneByteMoreIsRefusedOnWrite() {
        SessionConfig config = SessionConfig.builder("hardening-secret-0123456789-0123456789").build();
        int limit = config.maxPayloadBytes();
        assertThat(limit).isEqualTo(16 * SessionConfig.DEFAULT_MAX_COOKIE_BYTES);
        Browser browser = new Browser(new SessionMiddleware(config));
        // {"v":"..."}: 8 bytes around the text; spaces compress far below the cookie limit.
        String largest = " ".repeat(limit - 8);
        browser.request(s -> s.put("v", largest));
        Object[] seen = new Object[1];
        browser.request(s -> seen[0] = s.get("v"));
        assertThat(seen[0]).isEqualTo(largest);

        Browser other = new Browser(new SessionMiddleware(config));
        List<String> warnings = TimedSerializerPropertyTest.quietly(() ->
                assertThatThrownBy(() -> other.request(s -> s.put("v", largest + " ")))
                        .isInstanceOf(SessionTooLargeException.class)
                        .hasMessageContaining("must hold at most " + limit + " bytes of JSON: " + (limit + 1) + " bytes"));
        assertThat(warnings).singleElement().asString().contains((limit + 1) + " bytes of JSON, over the limit of " + limit);
    }

    @Test
    void theSerializerRefusesToSignWhatItWouldNotRead() {
        TimedSerializer small = TimedSerializer.builder(SECRET).maxPayloadBytes(100).build();
        assertThat(small.loads(small.dumps(Map.of("v", "x".repeat(92)))).isVerified()).isTrue(); // 100 bytes
        assertThatThrownBy(() -> small.dumps(Map.of("v", "x".repeat(93))))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("the value's JSON must be at most 100 bytes: 101 bytes; sign a smaller value, "
                        + "or raise maxPayloadBytes if every reader accepts it");
        String big = serializer.dumps(Map.of("v", "x".repeat(200)), Instant.ofEpochSecond(NOW));
        TimedSerializer reader = TimedSerializer.builder(SECRET).maxPayloadBytes(100)
                .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC)).build();
        assertThat(reader.loads(big).rejection()).isEqualTo(Rejection.PAYLOAD_TOO_LARGE);
    }

    @Test
    void readsPayloadsCompressedAtEveryZlibLevel() {
        byte[] json = ("{\"cart\":[\"widget\",\"gadget\",\"gizmo\"],\"n\":\"" + "1234567890".repeat(30) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Object expected = serializer.loads(RawToken.sign(SECRET, RawToken.base64(json), RawToken.timestamp(NOW))).value();
        assertThat(expected).isNotNull();
        for (int level = 0; level <= 9; level++) {
            String token = RawToken.sign(SECRET, RawToken.compressed(json, level), RawToken.timestamp(NOW));
            assertThat(serializer.loads(token).value()).as("level %d", level).isEqualTo(expected);
        }
    }

    @Test
    void smallSessionsAreNotCompressedAndLargerOnesAre() {
        Map<String, Object> below = Map.of("v", "ab".repeat((TimedSerializer.COMPRESSION_THRESHOLD_BYTES - 9) / 2));
        Map<String, Object> above = Map.of("v", "ab".repeat(TimedSerializer.COMPRESSION_THRESHOLD_BYTES / 2));
        assertThat(serializer.dumps(below)).doesNotStartWith(".");
        assertThat(serializer.dumps(above)).startsWith(".");
        assertThat(serializer.loads(serializer.dumps(above)).value()).isEqualTo(above);
    }

    @Test
    void manyThreadsKeepOnlyABoundedNumberOfZlibStreams() throws Exception {
        Map<String, Object> session = Map.of("v", "compressible ".repeat(100));
        String token = serializer.dumps(session, Instant.ofEpochSecond(NOW));
        List<Thread> threads = new ArrayList<>();
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2_000; i++) {
            threads.add(new Thread(() -> seen.add(serializer.loads(serializer.dumps(session)).value())));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(2_000).allMatch(session::equals);
        assertThat(serializer.loads(token).value()).isEqualTo(session);
        assertThat(TimedSerializer.idleInflaters()).isLessThanOrEqualTo(64);
        assertThat(TimedSerializer.idleDeflaters()).isLessThanOrEqualTo(64);
    }

    private static byte[] bytes(String s, java.nio.charset.Charset charset) {
        return s.getBytes(charset);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** The payload limit SessionConfig derives for its default cookie size. */
    private static final class SessionConfigView {
        int maxPayloadBytesForDefaults() {
            return SessionConfig.builder("hardening-secret-0123456789-0123456789").build().maxPayloadBytes();
        }
    }
}
