package dev.chirp.sessions.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Mac;

/**
 * The floor: the same token work as the library, built from the fastest parts the library itself uses
 * and glued together by hand with none of its structure. The floor is the library's own fast parts
 * without the library, so chirp-sessions' time divided by the floor's is what its checks, pooling,
 * result objects and session bookkeeping cost, and a ratio below 1.00 would mean the floor lacks a trick
 * the library has (then the floor is wrong, not the library fast).
 *
 * <p>The parts: HMAC-SHA1 from the two SHA-1 states after the key's pad blocks, kept and copied per call
 * as the library's {@code HmacSha1} does (not the JDK's {@link Mac}, which hashes both pad blocks again
 * on every call); the library's own plain JSON writer and reader ({@link Json#write}, {@link Json#read});
 * one {@link Deflater} and {@link Inflater} per thread reset between calls; {@link Base64}. No validation
 * pass, no result objects, no intermediate strings. The read and write cycles that the library serves
 * from its verified-cookie cache are compared with the floor's own cache
 * ({@link HttpBenchmarkServer.VerifiedFloorCookies}), never with an uncached floor.
 *
 * <p>It makes the same compression decision as the library (try zlib at level 1 from
 * {@link TimedSerializer#COMPRESSION_THRESHOLD_BYTES} bytes of JSON, keep it if it saves 2 bytes), so for the same value
 * and time it produces byte-identical tokens; the test pins that, so the floor never measures less work
 * than the library does.
 */
public final class Floor {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final int COMPRESSION_MIN_BYTES = TimedSerializer.COMPRESSION_THRESHOLD_BYTES;
    // One of each per thread, for the life of the thread: the cheapest reuse there is, with nothing to
    // hand back. (The library pools them instead, so that many virtual threads do not pin native memory.)
    private static final ThreadLocal<Deflater> DEFLATER =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final int INFLATE_CAP = 256 * 1024;
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** SHA-1 after the key XOR ipad block, and after the key XOR opad block: never changed, only copied. */
    private final MessageDigest inner;
    private final MessageDigest outer;
    private volatile Expires expires = new Expires(Long.MIN_VALUE, "");

    private static final class Expires {
        final long second;
        final String text;

        Expires(long second, String text) {
            this.second = second;
            this.text = text;
        }
    }

    /** Derives {@code SHA1("itsdangerous" + "signer" + secret)} once, as the library does. */
    public Floor(String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update("itsdangeroussigner".getBytes(StandardCharsets.US_ASCII));
            byte[] key = sha1.digest(secret.getBytes(StandardCharsets.UTF_8)); // 20 bytes: within one block
            byte[] ipad = new byte[64];
            byte[] opad = new byte[64];
            for (int i = 0; i < 64; i++) {
                byte b = i < key.length ? key[i] : 0;
                ipad[i] = (byte) (b ^ 0x36);
                opad[i] = (byte) (b ^ 0x5c);
            }
            inner = MessageDigest.getInstance("SHA-1");
            inner.update(ipad);
            outer = MessageDigest.getInstance("SHA-1");
            outer.update(opad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

    /** Unpadded base64url of {@code src}, written into {@code out} from {@code offset}. */
    private static void encodeInto(byte[] src, byte[] out, int offset) {
        int o = offset;
        int i = 0;
        for (; i + 3 <= src.length; i += 3) {
            int v = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
        int rest = src.length - i;
        if (rest > 0) {
            int v = (src[i] & 0xff) << 16 | (rest == 2 ? (src[i + 1] & 0xff) << 8 : 0);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            if (rest == 2) {
                out[o] = ALPHABET[(v >>> 6) & 63];
            }
        }
    }

    /** HMAC-SHA1 of {@code length} bytes of {@code data} from {@code offset}, from copies of the kept states. */
    private byte[] sign(byte[] data, int offset, int length) {
        try {
            MessageDigest in = (MessageDigest) inner.clone();
            in.update(data, offset, length);
            MessageDigest out = (MessageDigest) outer.clone();
            out.update(in.digest());
            return out.digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-1 can be copied", e);
        }
    }

    /** Signs {@code value} at {@code epochSeconds}. */
    public String dumps(Map<String, Object> value, long epochSeconds) {
        byte[] json = Json.write(value);
        boolean compressed = false;
        if (json.length >= COMPRESSION_MIN_BYTES) {
            Deflater deflater = DEFLATER.get();
            deflater.reset();
            deflater.setInput(json);
            deflater.finish();
            // A stream that does not fit in length - 2 bytes is not worth sending.
            byte[] deflated = new byte[json.length - 2];
            int n = deflater.deflate(deflated);
            boolean done = deflater.finished();
            if (done) {
                json = Arrays.copyOf(deflated, n);
                compressed = true;
            }
        }
        int tsLength = Math.max(1, (64 - Long.numberOfLeadingZeros(epochSeconds) + 7) / 8);
        byte[] ts = new byte[tsLength];
        for (int i = tsLength - 1; i >= 0; i--) {
            ts[i] = (byte) epochSeconds;
            epochSeconds >>>= 8;
        }
        int lead = compressed ? 1 : 0;
        int payloadLength = (json.length * 4 + 2) / 3;
        int tsB64Length = (tsLength * 4 + 2) / 3;
        int signedLength = lead + payloadLength + 1 + tsB64Length;
        byte[] out = new byte[signedLength + 1 + 27];
        // Every part encoded in place in the final array, as the library does: no per-part base64 arrays.
        if (compressed) {
            out[0] = '.';
            encodeInto(json, out, 1);
        } else {
            B64.encode(json, out);
        }
        out[lead + payloadLength] = '.';
        encodeInto(ts, out, lead + payloadLength + 1);
        byte[] signature = sign(out, 0, signedLength);
        out[signedLength] = '.';
        encodeInto(signature, out, signedLength + 1);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Verifies {@code token} and returns its object, or {@code null} if it is malformed, forged, older
     * than {@code maxAgeSeconds} or more than 5 seconds in the future.
     */
    public Map<String, Object> loads(String token, long nowSeconds, long maxAgeSeconds) {
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        int sigDot = token.lastIndexOf('.');
        int tsDot = sigDot <= 0 ? -1 : token.lastIndexOf('.', sigDot - 1);
        if (tsDot < 0) {
            return null;
        }
        try {
            byte[] expected = sign(bytes, 0, sigDot);
            ByteBuffer signature = B64_DECODER.decode(ByteBuffer.wrap(bytes, sigDot + 1, bytes.length - sigDot - 1));
            if (signature.remaining() != expected.length
                    || !MessageDigest.isEqual(expected, signature.array())) {
                return null;
            }
            ByteBuffer ts = B64_DECODER.decode(ByteBuffer.wrap(bytes, tsDot + 1, sigDot - tsDot - 1));
            if (ts.remaining() == 0 || ts.remaining() > 8) {
                return null;
            }
            long timestamp = 0;
            while (ts.hasRemaining()) {
                timestamp = (timestamp << 8) | (ts.get() & 0xff);
            }
            long age = nowSeconds - timestamp;
            if (timestamp < 0 || age > maxAgeSeconds || age < -5) {
                return null;
            }
            boolean compressed = bytes[0] == '.';
            int start = compressed ? 1 : 0;
            ByteBuffer json = B64_DECODER.decode(ByteBuffer.wrap(bytes, start, tsDot - start));
            if (compressed) {
                json = inflate(json.array(), json.remaining());
                if (json == null) {
                    return null;
                }
            }
            Object value = Json.read(json.array(), json.arrayOffset() + json.position(), json.remaining());
            @SuppressWarnings("unchecked")
            Map<String, Object> map = value instanceof Map ? (Map<String, Object>) value : null;
            return map;
        } catch (IllegalArgumentException | IOException | DataFormatException e) {
            return null;
        }
    }

    /** The value of cookie {@code name} in a raw {@code Cookie} header, or {@code null}. */
    public static String cookieValue(String header, String name) {
        if (header == null) {
            return null;
        }
        int start = 0;
        while (start < header.length()) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = header.length();
            }
            while (start < end && header.charAt(start) == ' ') {
                start++;
            }
            if (header.startsWith(name, start) && start + name.length() < end
                    && header.charAt(start + name.length()) == '=') {
                return header.substring(start + name.length() + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * A {@code Set-Cookie} value with chirp's default attributes; the {@code Expires} text is formatted
     * once per second and shared, as any hand-written server would.
     */
    public String setCookie(String name, String token, long nowSeconds, long maxAgeSeconds) {
        Expires cached = expires;
        if (cached.second != nowSeconds) {
            cached = new Expires(nowSeconds,
                    HTTP_DATE.format(Instant.ofEpochSecond(nowSeconds + maxAgeSeconds)));
            expires = cached;
        }
        return new StringBuilder(name.length() + token.length() + 112)
                .append(name).append('=').append(token)
                .append("; Max-Age=").append(maxAgeSeconds)
                .append("; Expires=").append(cached.text)
                .append("; Path=/; HttpOnly; SameSite=Lax").toString();
    }

    /** Inflates into one growing array; returns {@code null} past the cap. */
    private static ByteBuffer inflate(byte[] input, int length) throws DataFormatException {
        Inflater inflater = INFLATER.get();
        inflater.reset();
        try {
            inflater.setInput(input, 0, length);
            byte[] out = new byte[Math.max(64, length * 4)];
            int total = 0;
            while (!inflater.finished()) {
                if (total == out.length) {
                    if (out.length > INFLATE_CAP) {
                        return null;
                    }
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = inflater.inflate(out, total, out.length - total);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated");
                }
                total += n;
            }
            return total > INFLATE_CAP ? null : ByteBuffer.wrap(out, 0, total);
        } finally {
            inflater.reset(); // drop the input reference until the thread's next call
        }
    }

    /** Writes a JSON value made of maps, lists, strings, numbers, booleans and nulls. */
    static void writeJson(JsonGenerator gen, Object value) throws IOException {
        if (value instanceof Map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                gen.writeFieldName((String) e.getKey());
                writeJson(gen, e.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof List) {
            gen.writeStartArray();
            for (Object item : (List<?>) value) {
                writeJson(gen, item);
            }
            gen.writeEndArray();
        } else if (value instanceof String) {
            gen.writeString((String) value);
        } else if (value instanceof Integer) {
            gen.writeNumber((Integer) value);
        } else if (value instanceof Long) {
            gen.writeNumber((Long) value);
        } else if (value instanceof Boolean) {
            gen.writeBoolean((Boolean) value);
        } else if (value == null) {
            gen.writeNull();
        } else if (value instanceof Double) {
            gen.writeNumber((Double) value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
