package dev.chirp.sessions.signing;

import dev.chirp.sessions.internal.EpochSeconds;
import dev.chirp.sessions.internal.JacksonSupport;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Signs and verifies JSON values in the format of Python itsdangerous' {@code URLSafeTimedSerializer}
 * with its defaults, so that Java and Python services sharing a secret read each other's values.
 *
 * <h2>Format</h2>
 * <pre>{@code [.]PAYLOAD.TIMESTAMP.SIGNATURE}</pre>
 * <ol>
 *   <li>{@code PAYLOAD}: the value as compact JSON (separators {@code ,} and {@code :}, raw UTF-8). If
 *       the JSON is at least {@value #COMPRESSION_THRESHOLD_BYTES} bytes and zlib (RFC 1950) makes it at
 *       least 2 bytes shorter, the compressed bytes are used and the whole value starts with a
 *       {@code .}. Then URL-safe base64 without {@code =} padding.</li>
 *   <li>{@code TIMESTAMP}: signing time in whole seconds since the epoch, as a big-endian unsigned
 *       integer without leading zero bytes, URL-safe base64 without padding.</li>
 *   <li>{@code SIGNATURE}: URL-safe base64 without padding of {@code HMAC-SHA1(key, "PAYLOAD.TIMESTAMP")},
 *       over the text exactly as written (including a leading {@code .}), where
 *       {@code key = SHA1(salt + "signer" + secret)} ("django-concat" derivation, default salt
 *       {@code itsdangerous}).</li>
 * </ol>
 *
 * <h2>Verification</h2>
 * <p>{@link #loads} splits the signature off at the last {@code .} and the timestamp off at the last
 * {@code .} of the rest; compares the signature in constant time under the current secret, then each
 * fallback secret; rejects a value older than the maximum age or signed further in the future than the
 * clock-skew tolerance (itsdangerous rejects any future time, which drops valid values between servers
 * whose clocks differ by a second); and only then base64-decodes, inflates (capped) and parses the
 * payload. Every failure is a {@link LoadResult} with a {@link Rejection}, never an exception.
 *
 * <h2>Exactly one token per value and time</h2>
 * <p>Each part must be spelled canonically, as both this class and itsdangerous write it: URL-safe
 * base64 with no {@code =} padding and zero spare bits in the last character, a timestamp without
 * leading zero bytes, and JSON in UTF-8 without a byte order mark. itsdangerous is laxer about the
 * base64 (it accepts padding and spare bits) and stricter about the JSON (it refuses a BOM); this class
 * is as strict as the stricter of the two everywhere, so a signed token changed in any way is refused,
 * and no writer produces a token that only one side reads. A signing time past {@link Instant#MAX} is
 * refused as {@link Rejection#MALFORMED} (itsdangerous: "Malformed timestamp", or an {@code OSError}),
 * never an exception.
 *
 * <h2>Compression</h2>
 * <p>Below {@value #COMPRESSION_THRESHOLD_BYTES} bytes of JSON no compression is tried: there a zlib
 * attempt costs about 4 µs of CPU, three to four times the rest of {@code dumps}, to save 15–197
 * characters of a cookie that is under 540 characters anyway (see {@code docs/benchmarks.md},
 * "Compression threshold"). The threshold sits above the 100–300 byte band where most sessions are (a
 * user id, a CSRF token, a few flags), so they never pay for zlib; from there the saving grows quickly
 * (270 characters at 512 bytes, 616 at 1 KiB) while the cost grows slowly. zlib runs at level 1 ({@link Deflater#BEST_SPEED}): on session data
 * it came within 1–2% of the default level's size, at well under its CPU time from 1 KiB up. Readers accept both forms and
 * any zlib level, so the choice does not touch compatibility: itsdangerous reads these tokens and this
 * class reads itsdangerous' (which compresses from about 20 bytes, at level 6).
 *
 * <h2>Payload size</h2>
 * <p>A compressed payload is inflated only after its signature verified, and only up to
 * {@link Builder#maxPayloadBytes} bytes; a larger one is {@link Rejection#PAYLOAD_TOO_LARGE}, found after
 * inflating at most that much. {@link #dumps} refuses to sign JSON over the same limit, so whatever
 * this serializer writes it reads back. The output buffer starts small and grows only as real output
 * arrives, so a refused zlib bomb costs about twice the limit in memory.
 *
 * <h2>Reuse</h2>
 * <p>Signatures start from SHA-1 states kept per key, copied for each call ({@link HmacSha1}): no
 * object is pooled or kept per thread for them. {@code Deflater} and {@code Inflater} objects are reused
 * through small bounded pools
 * (twice the processors, 8 to 64 idle objects each), not per-thread: many virtual threads do not
 * multiply the native zlib memory, and no object outlives the pool's bound (10,000 virtual threads
 * added 1–3 MB of RSS; a stream pair per thread would have added 640–820 MB).
 *
 * <p>Instances are immutable and thread-safe; keys are derived once, when built.
 */
public final class TimedSerializer implements SessionCodec {

    /** itsdangerous' default salt. */
    public static final String DEFAULT_SALT = "itsdangerous";
    /** The default tolerance for a signing time in the future: 5 seconds. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);
    /** The default cap on a payload's JSON, inflated or not: 256 KiB, far above any browser cookie. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    /**
     * JSON shorter than this many bytes is never compressed: the size sweep in
     * {@code docs/benchmarks.md} shows a zlib attempt costs three to four times the rest of signing
     * there, for a few dozen characters.
     */
    public static final int COMPRESSION_THRESHOLD_BYTES = 384;

    // The largest epoch second an Instant holds; a timestamp past it can only be "far in the future".
    private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();
    private static final int MAX_TIMESTAMP_CHARS = 12; // 9 bytes: past any Instant, still reported as such
    private static final BoundedPool<Deflater> DEFLATERS = new BoundedPool<>(BoundedPool.defaultCapacity(),
            () -> new Deflater(Deflater.BEST_SPEED), Deflater::end);
    private static final BoundedPool<Inflater> INFLATERS = new BoundedPool<>(BoundedPool.defaultCapacity(),
            Inflater::new, Inflater::end);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final byte[] BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64_VALUES = new byte[128]; // -1 outside the URL-safe alphabet

    static {
        Arrays.fill(BASE64_VALUES, (byte) -1);
        for (int i = 0; i < BASE64_ALPHABET.length; i++) {
            BASE64_VALUES[BASE64_ALPHABET[i]] = (byte) i;
        }
    }
    private static final int SIGNATURE_CHARS = 27; // 20 bytes of HMAC-SHA1, base64 without padding

    /** One per secret, the current one first. */
    private final HmacSha1[] keys;
    private final Clock clock;
    private final Duration clockSkew;
    private final boolean compress;
    private final int maxPayloadBytes;

    private TimedSerializer(Builder b) {
        List<String> secrets = new ArrayList<>();
        secrets.add(b.secret);
        secrets.addAll(b.fallbackSecrets);
        this.keys = new HmacSha1[secrets.size()];
        for (int i = 0; i < secrets.size(); i++) {
            keys[i] = new HmacSha1(b.keyDerivation == KeyDerivation.HMAC
                    ? deriveHmacKey(b.salt, secrets.get(i)) : deriveKey(b.salt, secrets.get(i)));
        }
        this.clock = b.clock;
        this.clockSkew = b.clockSkew;
        this.compress = b.compress;
        this.maxPayloadBytes = b.maxPayloadBytes;
    }

    /**
     * Starts a builder for a serializer that signs with {@code secretKey}.
     *
     * @throws IllegalArgumentException if the secret is null or empty
     */
    public static Builder builder(String secretKey) {
        return new Builder(secretKey);
    }

    /** Signs {@code value} (any JSON value) with the current secret at the clock's current time. */
    public String dumps(Object value) {
        return dumps(value, clock.instant());
    }

    /**
     * Signs {@code value} (any JSON value) with the current secret, stamped {@code signedAt}. NaN and the
     * infinities are refused, as {@link #loads} refuses them.
     *
     * @throws IllegalArgumentException if the value is not a JSON value (NaN and the infinities included)
     * @throws PayloadTooLargeException if its JSON is over {@link Builder#maxPayloadBytes}: it would not
     *         be read back
     */
    @Override
    public String dumps(Object value, Instant signedAt) {
        JsonValues.requireWritable(value);
        byte[] payload = Json.write(value);
        if (payload.length > maxPayloadBytes) {
            throw new PayloadTooLargeException(payload.length, maxPayloadBytes);
        }
        boolean compressed = false;
        if (compress && payload.length >= COMPRESSION_THRESHOLD_BYTES) {
            byte[] deflated = deflate(payload);
            if (deflated != null) {
                payload = deflated;
                compressed = true;
            }
        }
        byte[] timestamp = timestampBytes(signedAt);
        // One array of the final size, [.]PAYLOAD.TIMESTAMP.SIGNATURE, all ASCII, each part encoded in
        // place: no intermediate base64 arrays, no shifting for the '.' of a compressed payload.
        int prefix = compressed ? 1 : 0;
        int payloadChars = encodedLength(payload.length);
        int signedLength = prefix + payloadChars + 1 + encodedLength(timestamp.length);
        byte[] out = new byte[signedLength + 1 + SIGNATURE_CHARS];
        if (compressed) {
            out[0] = '.';
            encodeBase64(payload, payload.length, out, 1);
        } else {
            B64.encode(payload, out); // the JDK's encoder, intrinsified on some CPUs, writes from index 0
        }
        out[prefix + payloadChars] = '.';
        encodeBase64(timestamp, timestamp.length, out, prefix + payloadChars + 1);
        byte[] signature = keys[0].sign(out, 0, signedLength);
        out[signedLength] = '.';
        encodeBase64(signature, signature.length, out, signedLength + 1);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Verifies {@code token} without an age limit (a future time beyond the skew is still refused). */
    public LoadResult loads(String token) {
        return loads(token, null);
    }

    /**
     * Verifies {@code token} and decodes its value, refusing values older than {@code maxAge}.
     *
     * @param maxAge the age limit, or {@code null} for none
     */
    @Override
    public LoadResult loads(String token, Duration maxAge) {
        if (token == null || !isAscii(token)) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        int sigDot = token.lastIndexOf('.');
        if (sigDot <= 0) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        int tsDot = token.lastIndexOf('.', sigDot - 1);
        if (tsDot < 0) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        int secretIndex = -1;
        for (int i = 0; i < keys.length; i++) {
            byte[] expected = keys[i].sign(bytes, 0, sigDot);
            // Compare the encoded signatures, in constant time: this also refuses a non-canonical
            // encoding (a last character that differs only in its unused bits), so exactly one token
            // verifies for each value and time.
            if (signatureMatches(expected, bytes, sigDot + 1)) {
                secretIndex = i;
                break;
            }
        }
        if (secretIndex < 0) {
            return LoadResult.rejected(Rejection.BAD_SIGNATURE);
        }
        long timestamp = decodeTimestamp(bytes, tsDot + 1, sigDot - tsDot - 1);
        if (timestamp < 0) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        if (timestamp > MAX_EPOCH_SECOND) {
            // No clock reads it: malformed whatever the skew, as itsdangerous says of a 9-byte time.
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        long now = EpochSeconds.of(clock);
        long age = now - timestamp;
        if (maxAge != null && age > maxAge.getSeconds()) {
            return LoadResult.rejected(Rejection.EXPIRED);
        }
        if (age < -clockSkew.getSeconds()) {
            return LoadResult.rejected(Rejection.SIGNED_IN_FUTURE);
        }
        boolean compressed = bytes[0] == '.';
        int start = compressed ? 1 : 0;
        if (tsDot <= start) {
            return LoadResult.rejected(Rejection.BAD_PAYLOAD); // signed, but with an empty payload
        }
        byte[] decoded = decodeCanonicalBase64(bytes, start, tsDot - start);
        if (decoded == null) {
            return LoadResult.rejected(Rejection.BAD_PAYLOAD);
        }
        try {
            ByteBuffer json;
            if (compressed) {
                json = inflate(decoded, decoded.length, maxPayloadBytes);
                if (json == null) {
                    return LoadResult.rejected(Rejection.PAYLOAD_TOO_LARGE);
                }
            } else if (decoded.length > maxPayloadBytes) {
                return LoadResult.rejected(Rejection.PAYLOAD_TOO_LARGE);
            } else {
                json = ByteBuffer.wrap(decoded);
            }
            return LoadResult.verified(Json.read(json.array(), 0, json.limit()), Instant.ofEpochSecond(timestamp),
                    secretIndex, compressed);
        } catch (IllegalArgumentException | IOException | DataFormatException e) {
            return LoadResult.rejected(Rejection.BAD_PAYLOAD);
        }
    }

    /** The most bytes of JSON a payload may hold; see {@link Builder#maxPayloadBytes}. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Decodes {@code token} without verifying its signature or age, for inspection and debugging. The
     * result must never be trusted.
     */
    public static UnverifiedValue loadsUnsafe(String token) {
        Objects.requireNonNull(token, "token");
        JacksonSupport.require();
        int sigDot = token.lastIndexOf('.');
        int tsDot = sigDot <= 0 ? -1 : token.lastIndexOf('.', sigDot - 1);
        if (tsDot < 0) {
            return new UnverifiedValue(null, null, false, 0, "no PAYLOAD.TIMESTAMP.SIGNATURE separators");
        }
        if (tsDot <= (token.charAt(0) == '.' ? 1 : 0)) {
            return new UnverifiedValue(null, null, token.charAt(0) == '.', 0, "the payload is empty");
        }
        byte[] tsBytes = token.substring(tsDot + 1, sigDot).getBytes(StandardCharsets.ISO_8859_1);
        long ts = decodeTimestamp(tsBytes, 0, tsBytes.length);
        Instant signedAt = ts < 0 || ts > MAX_EPOCH_SECOND ? null : Instant.ofEpochSecond(ts);
        String timestampProblem = ts < 0 ? "timestamp is not readable"
                : ts > MAX_EPOCH_SECOND ? "timestamp is out of range (after " + Instant.MAX + ")" : null;
        boolean compressed = token.charAt(0) == '.';
        byte[] json;
        try {
            json = B64_DECODER.decode(token.substring(compressed ? 1 : 0, tsDot));
            if (compressed) {
                ByteBuffer inflated = inflate(json, json.length, DEFAULT_MAX_PAYLOAD_BYTES);
                if (inflated == null) {
                    return new UnverifiedValue(null, signedAt, true, 0, "payload inflates beyond the size cap");
                }
                json = Arrays.copyOf(inflated.array(), inflated.limit());
            }
        } catch (IllegalArgumentException | DataFormatException e) {
            return new UnverifiedValue(null, signedAt, compressed, 0, "payload is not base64/zlib: " + e.getMessage());
        }
        try {
            return new UnverifiedValue(Json.read(json), signedAt, compressed, json.length, timestampProblem);
        } catch (IOException e) {
            return new UnverifiedValue(null, signedAt, compressed, json.length, "payload is not JSON: " + e.getMessage());
        }
    }

    /** Idle pooled inflaters; for tests of the pool's bound. */
    static int idleInflaters() {
        return INFLATERS.idle();
    }

    /** Idle pooled deflaters; for tests of the pool's bound. */
    static int idleDeflaters() {
        return DEFLATERS.idle();
    }

    static byte[] deriveKey(String salt, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(salt.getBytes(StandardCharsets.UTF_8));
            sha1.update("signer".getBytes(StandardCharsets.US_ASCII));
            sha1.update(secret.getBytes(StandardCharsets.UTF_8));
            return sha1.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    /** itsdangerous' {@code key_derivation="hmac"}: {@code HMAC-SHA1(key = secret, message = salt)}. */
    static byte[] deriveHmacKey(String salt, String secret) {
        return HmacSha1.of(secret.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] timestampBytes(Instant signedAt) {
        long seconds = signedAt.getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException("signedAt must not be before 1970: " + signedAt);
        }
        int length = Math.max(1, (64 - Long.numberOfLeadingZeros(seconds) + 7) / 8);
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            bytes[i] = (byte) seconds;
            seconds >>>= 8;
        }
        return bytes;
    }

    /**
     * Returns the timestamp; {@link Long#MAX_VALUE} if it is canonical but past {@code Instant.MAX} (so
     * that callers can say so); or
     * -1 if it is not canonical base64 of an integer without leading zero bytes.
     */
    private static long decodeTimestamp(byte[] src, int offset, int length) {
        if (length <= 0 || length > MAX_TIMESTAMP_CHARS || !isCanonicalBase64(src, offset, length)) {
            return -1;
        }
        // Decoded straight from the characters: at most 9 bytes, of which the first 8 fit the long.
        int count = 0;
        int first = 0;
        long value = 0;
        int bits = 0;
        int pending = 0;
        for (int i = offset; i < offset + length; i++) {
            pending = (pending << 6) | base64Value(src[i]);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                int b = (pending >>> bits) & 0xff;
                pending &= (1 << bits) - 1;
                if (count == 0) {
                    first = b;
                }
                if (count < 8) {
                    value = (value << 8) | b;
                }
                count++;
            }
        }
        if (count > 1 && first == 0) {
            return -1; // a leading zero byte: the same time spelled a second way
        }
        if (count > 8 || (count == 8 && first >= 0x80)) {
            return Long.MAX_VALUE;
        }
        return value > MAX_EPOCH_SECOND ? Long.MAX_VALUE : value;
    }

    /**
     * Whether {@code length} bytes from {@code offset} are URL-safe base64 as an encoder without padding
     * writes it: alphabet only, no {@code =}, a possible length, and zero bits that only fill the last
     * character. Java's decoder accepts the padded and the non-zero-bits spellings; refusing them makes
     * the encoding of each byte string unique.
     */
    private static boolean isCanonicalBase64(byte[] src, int offset, int length) {
        if (length % 4 == 1) {
            return false;
        }
        int last = 0;
        for (int i = offset; i < offset + length; i++) {
            last = base64Value(src[i]);
            if (last < 0) {
                return false;
            }
        }
        switch (length % 4) {
            case 2:
                return (last & 0x0f) == 0; // 12 bits carry 8
            case 3:
                return (last & 0x03) == 0; // 18 bits carry 16
            default:
                return true;
        }
    }

    private static int base64Value(byte c) {
        return c < 0 ? -1 : BASE64_VALUES[c];
    }

    /**
     * Decodes {@code length} bytes from {@code offset} into an array of exactly the decoded size, or
     * returns {@code null} unless they are canonical (see {@link #isCanonicalBase64}): one pass that
     * checks and decodes, instead of a check and then the JDK decoder's buffers and copies.
     */
    private static byte[] decodeCanonicalBase64(byte[] src, int offset, int length) {
        int tail = length % 4;
        if (tail == 1) {
            return null;
        }
        byte[] out = new byte[(length / 4) * 3 + (tail == 0 ? 0 : tail - 1)];
        int o = 0;
        int i = offset;
        for (int end = offset + length - tail; i < end; i += 4) {
            int a = base64Value(src[i]);
            int b = base64Value(src[i + 1]);
            int c = base64Value(src[i + 2]);
            int d = base64Value(src[i + 3]);
            if ((a | b | c | d) < 0) {
                return null;
            }
            int n = a << 18 | b << 12 | c << 6 | d;
            out[o++] = (byte) (n >> 16);
            out[o++] = (byte) (n >> 8);
            out[o++] = (byte) n;
        }
        if (tail == 2) {
            int a = base64Value(src[i]);
            int b = base64Value(src[i + 1]);
            if ((a | b) < 0 || (b & 0x0f) != 0) { // 12 bits carry 8
                return null;
            }
            out[o] = (byte) (a << 2 | b >> 4);
        } else if (tail == 3) {
            int a = base64Value(src[i]);
            int b = base64Value(src[i + 1]);
            int c = base64Value(src[i + 2]);
            if ((a | b | c) < 0 || (c & 0x03) != 0) { // 18 bits carry 16
                return null;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
            out[o] = (byte) (b << 4 | c >> 2);
        }
        return out;
    }

    /**
     * Writes {@code length} bytes of {@code src} as URL-safe base64 without padding into {@code dst} from
     * {@code offset}, which must have room for {@link #encodedLength} characters.
     */
    private static void encodeBase64(byte[] src, int length, byte[] dst, int offset) {
        int o = offset;
        int i = 0;
        for (int end = length - length % 3; i < end; i += 3) {
            int n = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            dst[o++] = BASE64_ALPHABET[n >>> 18];
            dst[o++] = BASE64_ALPHABET[(n >>> 12) & 0x3f];
            dst[o++] = BASE64_ALPHABET[(n >>> 6) & 0x3f];
            dst[o++] = BASE64_ALPHABET[n & 0x3f];
        }
        if (length - i == 1) {
            int n = (src[i] & 0xff) << 16;
            dst[o++] = BASE64_ALPHABET[n >>> 18];
            dst[o] = BASE64_ALPHABET[(n >>> 12) & 0x3f];
        } else if (length - i == 2) {
            int n = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8;
            dst[o++] = BASE64_ALPHABET[n >>> 18];
            dst[o++] = BASE64_ALPHABET[(n >>> 12) & 0x3f];
            dst[o] = BASE64_ALPHABET[(n >>> 6) & 0x3f];
        }
    }

    /**
     * Whether the presented signature from {@code offset} to the end is exactly the canonical encoding of
     * {@code mac}, compared in constant time character by character as the encoding is produced, so that
     * no encoded copy is allocated. Comparing encodings (not decoded bytes) also refuses a last character
     * that differs only in its unused bits: exactly one token verifies for each value and time.
     */
    private static boolean signatureMatches(byte[] mac, byte[] token, int offset) {
        if (token.length - offset != encodedLength(mac.length)) {
            return false; // the length is public anyway: every valid signature has the same one
        }
        int diff = 0;
        int o = offset;
        int i = 0;
        for (int end = mac.length - mac.length % 3; i < end; i += 3) {
            int n = (mac[i] & 0xff) << 16 | (mac[i + 1] & 0xff) << 8 | (mac[i + 2] & 0xff);
            diff |= token[o++] ^ BASE64_ALPHABET[n >>> 18];
            diff |= token[o++] ^ BASE64_ALPHABET[(n >>> 12) & 0x3f];
            diff |= token[o++] ^ BASE64_ALPHABET[(n >>> 6) & 0x3f];
            diff |= token[o++] ^ BASE64_ALPHABET[n & 0x3f];
        }
        int rest = mac.length - i;
        if (rest > 0) {
            int n = (mac[i] & 0xff) << 16 | (rest == 2 ? (mac[i + 1] & 0xff) << 8 : 0);
            diff |= token[o++] ^ BASE64_ALPHABET[n >>> 18];
            diff |= token[o++] ^ BASE64_ALPHABET[(n >>> 12) & 0x3f];
            if (rest == 2) {
                diff |= token[o] ^ BASE64_ALPHABET[(n >>> 6) & 0x3f];
            }
        }
        return diff == 0;
    }

    private static int encodedLength(int bytes) {
        return (bytes / 3) * 4 + (bytes % 3 == 0 ? 0 : bytes % 3 + 1);
    }

    /** Returns the zlib stream if it is at least 2 bytes shorter than {@code input} (itsdangerous' rule), else null. */
    private static byte[] deflate(byte[] input) {
        Deflater deflater = DEFLATERS.take();
        try {
            deflater.setInput(input);
            deflater.finish();
            byte[] buffer = new byte[input.length - 2];
            int n = deflater.deflate(buffer);
            // A stream that does not fit in length - 2 bytes is not worth it.
            return deflater.finished() ? Arrays.copyOf(buffer, n) : null;
        } finally {
            deflater.reset();
            DEFLATERS.give(deflater);
        }
    }

    /**
     * Inflates at most {@code cap} bytes into a buffer whose {@code limit()} is the length; returns
     * {@code null} if the stream is larger.
     */
    private static ByteBuffer inflate(byte[] input, int length, int cap) throws DataFormatException {
        Inflater inflater = INFLATERS.take();
        try {
            inflater.setInput(input, 0, length);
            // Sized for ordinary session data (zlib rarely gains more than 4:1 on it), growing by
            // doubling: a bomb costs what it really inflates to, at most about twice the cap.
            byte[] out = new byte[(int) Math.min(cap + 1L, Math.max(256L, length * 4L))];
            int total = 0;
            while (!inflater.finished()) {
                if (total == out.length) {
                    if (out.length > cap) {
                        return null;
                    }
                    out = Arrays.copyOf(out, (int) Math.min((long) cap + 1, out.length * 2L));
                }
                int n = inflater.inflate(out, total, out.length - total);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated zlib stream");
                }
                total += n;
            }
            return total > cap ? null : ByteBuffer.wrap(out, 0, total);
        } finally {
            inflater.reset();
            INFLATERS.give(inflater);
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e || s.charAt(i) < 0x21) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TimedSerializer[secrets=" + keys.length + " (hidden), clockSkew=" + clockSkew
                + ", compress=" + compress + "]";
    }

    /** How itsdangerous turns a secret and a salt into the HMAC key (its {@code key_derivation} option). */
    public enum KeyDerivation {
        /** {@code SHA1(salt + "signer" + secret)}: itsdangerous' default, used by chirp. */
        DJANGO_CONCAT,
        /** {@code HMAC-SHA1(key = secret, message = salt)}: used by Flask's session cookie. */
        HMAC
    }

    /** Builds a {@link TimedSerializer}; every option has itsdangerous' default unless stated. */
    public static final class Builder {
        private final String secret;
        private final List<String> fallbackSecrets = new ArrayList<>();
        private String salt = DEFAULT_SALT;
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private boolean compress = true;
        private KeyDerivation keyDerivation = KeyDerivation.DJANGO_CONCAT;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

        private Builder(String secret) {
            this.secret = BuilderRules.requireSecret(secret);
        }

        /**
         * Adds older secrets that still verify (never sign), tried newest first, in the order given.
         *
         * @throws IllegalArgumentException if any is null or empty
         */
        public Builder fallbackSecrets(List<String> secrets) {
            fallbackSecrets.addAll(BuilderRules.requireFallbackSecrets(secrets));
            return this;
        }

        /** The salt mixed into key derivation; default {@value #DEFAULT_SALT}. */
        public Builder salt(String salt) {
            this.salt = Objects.requireNonNull(salt, "salt");
            return this;
        }

        /**
         * How the signing key is derived from each secret and the salt; default
         * {@link KeyDerivation#DJANGO_CONCAT} (itsdangerous' default, chirp's). Flask uses
         * {@link KeyDerivation#HMAC}.
         */
        public Builder keyDerivation(KeyDerivation keyDerivation) {
            this.keyDerivation = Objects.requireNonNull(keyDerivation, "keyDerivation");
            return this;
        }

        /** The clock for signing times and ages; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far in the future a signing time may be and still verify; default 5 seconds.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = BuilderRules.requireClockSkew(clockSkew);
            return this;
        }

        /** Whether to compress payloads when it saves space; default {@code true}. */
        public Builder compress(boolean compress) {
            this.compress = compress;
            return this;
        }

        /**
         * The most bytes of JSON a payload may hold, inflated or not; default 256 KiB. {@link #loads}
         * refuses a larger one as {@link Rejection#PAYLOAD_TOO_LARGE} after inflating at most this much,
         * and {@link #dumps} refuses to sign one. Keep it near what a cookie can carry: it bounds the
         * memory a token signed with a leaked or retired secret can make a server allocate.
         *
         * @throws IllegalArgumentException if not positive, or not below {@code 2^31 - 16}
         */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            if (maxPayloadBytes <= 0 || maxPayloadBytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxPayloadBytes must be positive and below 2^31 - 16: " + maxPayloadBytes
                        + "; pass the largest session JSON to accept, e.g. 65536");
            }
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /**
         * Builds the serializer, deriving each secret's key once.
         *
         * @throws dev.chirp.sessions.ConfigurationException if the jackson-core on the class path is older
         *         than this library needs (2.16)
         */
        public TimedSerializer build() {
            JacksonSupport.require();
            return new TimedSerializer(this);
        }
    }
}
