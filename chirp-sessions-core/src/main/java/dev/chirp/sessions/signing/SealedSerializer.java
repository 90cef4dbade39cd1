package dev.chirp.sessions.signing;

import dev.chirp.sessions.internal.Hkdf;
import dev.chirp.sessions.internal.JacksonSupport;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and authenticates JSON values in chirp-sessions' sealed format v1: nobody without the secret
 * can read or change the session, and a value sealed for one cookie name is refused under another.
 *
 * <h2>Format (v1)</h2>
 * <ol>
 *   <li>{@code key = HKDF-SHA256(IKM = UTF-8 secret, salt = "chirp-sessions sealed v1", info = "aes-256-gcm")},
 *       32 bytes (RFC 5869), once per secret.</li>
 *   <li>{@code plaintext = SECONDS || JSON}: the signing time as 8 bytes big-endian unsigned seconds since
 *       the epoch, then the value's compact JSON (exactly the JSON of the signed format). Never
 *       compressed: compressing attacker-influenced data beside secrets before encrypting leaks the
 *       secrets through the length.</li>
 *   <li>AES-256-GCM with a fresh random 12-byte {@code NONCE}, the cookie name's UTF-8 bytes as associated
 *       data and a 16-byte tag.</li>
 *   <li>cookie value = URL-safe base64 without padding of {@code 0x01 || NONCE || CIPHERTEXT || TAG}.</li>
 * </ol>
 *
 * <h2>Opening</h2>
 * <p>{@link #loads} refuses anything but the canonical base64 of a version-1 value of at least the
 * minimum length, then tries the current key and each fallback key in order; only a value that
 * authenticates is looked at further (age, clock skew, JSON). Every failure is a {@link LoadResult} with
 * a {@link Rejection}: {@link Rejection#BAD_SIGNATURE} means it did not authenticate under any key.
 *
 * <p>Instances are immutable and thread-safe; keys are derived once, when built.
 */
public final class SealedSerializer implements SessionCodec {

    /** The version byte that starts every sealed v1 value. */
    public static final int VERSION = 0x01;
    /** The HKDF salt of format v1. */
    public static final String HKDF_SALT = "chirp-sessions sealed v1";
    /** The HKDF info of format v1. */
    public static final String HKDF_INFO = "aes-256-gcm";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int TIME_BYTES = 8;
    // version, nonce, tag, time and the shortest JSON value ("0")
    private static final int MIN_BYTES = 1 + NONCE_BYTES + TAG_BYTES + TIME_BYTES + 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    // Cipher.getInstance looks up providers each time; one per thread, re-initialised per value.
    // Pooled like TimedSerializer's Mac and zlib objects, not per thread: many virtual threads must not
    // each keep a Cipher alive. A Cipher is re-initialised on every use, so any pooled one will do.
    private static final BoundedPool<Cipher> CIPHERS = new BoundedPool<>(BoundedPool.defaultCapacity(),
            SealedSerializer::newCipher, cipher -> { });

    private final SecretKey[] keys;
    private final byte[] associatedData;
    private final Clock clock;
    private final Duration clockSkew;

    private SealedSerializer(Builder b) {
        List<String> secrets = new ArrayList<>();
        secrets.add(b.secret);
        secrets.addAll(b.fallbackSecrets);
        this.keys = new SecretKey[secrets.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new SecretKeySpec(deriveKey(secrets.get(i)), "AES");
        }
        this.associatedData = b.cookieName.getBytes(StandardCharsets.UTF_8);
        this.clock = b.clock;
        this.clockSkew = b.clockSkew;
    }

    /**
     * Starts a builder for a serializer that seals with {@code secretKey}.
     *
     * @throws IllegalArgumentException if the secret is null or empty
     */
    public static Builder builder(String secretKey) {
        return new Builder(secretKey);
    }

    /** The 32-byte AES key of format v1 for {@code secret}. */
    static byte[] deriveKey(String secret) {
        return Hkdf.derive(HKDF_SALT.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8),
                HKDF_INFO.getBytes(StandardCharsets.UTF_8), 32);
    }

    /** Seals {@code value} (any JSON value) under the current secret at the clock's current time. */
    public String dumps(Object value) {
        return dumps(value, clock.instant());
    }

    /**
     * Seals {@code value} (any JSON value) under the current secret, stamped {@code signedAt}.
     *
     * @throws IllegalArgumentException if the value is not a JSON value or {@code signedAt} is before 1970
     */
    @Override
    public String dumps(Object value, Instant signedAt) {
        JsonValues.requireWritable(value);
        long seconds = signedAt.getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException("signedAt must not be before 1970: " + signedAt);
        }
        byte[] json = Json.write(value);
        byte[] plaintext = new byte[TIME_BYTES + json.length];
        for (int i = TIME_BYTES - 1; i >= 0; i--) {
            plaintext[i] = (byte) seconds;
            seconds >>>= 8;
        }
        System.arraycopy(json, 0, plaintext, TIME_BYTES, json.length);
        byte[] out = new byte[1 + NONCE_BYTES + plaintext.length + TAG_BYTES];
        out[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        Cipher cipher = CIPHERS.take();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, keys[0], new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES/GCM/NoPadding failed to encrypt", e);
        } finally {
            CIPHERS.give(cipher);
        }
        return B64.encodeToString(out);
    }

    /** Opens {@code cookieValue} without an age limit (a future time beyond the skew is still refused). */
    public LoadResult loads(String cookieValue) {
        return loads(cookieValue, null);
    }

    @Override
    public LoadResult loads(String cookieValue, Duration maxAge) {
        if (cookieValue == null || cookieValue.length() > 64 * 1024) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        byte[] sealed;
        try {
            sealed = B64_DECODER.decode(cookieValue);
        } catch (IllegalArgumentException e) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        // Exactly one text per sealed value: no padding, no other bits in the last character.
        if (sealed.length < MIN_BYTES || sealed[0] != VERSION || cookieValue.indexOf('=') >= 0
                || !B64.encodeToString(sealed).equals(cookieValue)) {
            return LoadResult.rejected(Rejection.MALFORMED);
        }
        GCMParameterSpec nonce = new GCMParameterSpec(TAG_BYTES * 8, sealed, 1, NONCE_BYTES);
        int start = 1 + NONCE_BYTES;
        byte[] plaintext = null;
        int keyIndex = -1;
        Cipher cipher = CIPHERS.take();
        try {
            for (int i = 0; i < keys.length && plaintext == null; i++) {
                try {
                    cipher.init(Cipher.DECRYPT_MODE, keys[i], nonce);
                    cipher.updateAAD(associatedData);
                    plaintext = cipher.doFinal(sealed, start, sealed.length - start);
                    keyIndex = i;
                } catch (AEADBadTagException e) {
                    // not this key (or changed, or sealed for another cookie name): try the next
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the JDK's AES/GCM/NoPadding failed to decrypt", e);
                }
            }
        } finally {
            CIPHERS.give(cipher);
        }
        if (plaintext == null) {
            return LoadResult.rejected(Rejection.BAD_SIGNATURE);
        }
        if (plaintext[0] < 0) {
            return LoadResult.rejected(Rejection.SIGNED_IN_FUTURE); // beyond 2^63 seconds
        }
        long timestamp = 0;
        for (int i = 0; i < TIME_BYTES; i++) {
            timestamp = (timestamp << 8) | (plaintext[i] & 0xff);
        }
        long age = clock.instant().getEpochSecond() - timestamp;
        if (maxAge != null && age > maxAge.getSeconds()) {
            return LoadResult.rejected(Rejection.EXPIRED);
        }
        if (age < -clockSkew.getSeconds()) {
            return LoadResult.rejected(Rejection.SIGNED_IN_FUTURE);
        }
        try {
            Object value = Json.read(plaintext, TIME_BYTES, plaintext.length - TIME_BYTES);
            return LoadResult.verified(value, Instant.ofEpochSecond(timestamp), keyIndex, false);
        } catch (IOException e) {
            return LoadResult.rejected(Rejection.BAD_PAYLOAD);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Whether {@code cookieValue} has the shape of a sealed v1 value (canonical base64 starting with the
     * version byte, long enough). Says nothing about whether it opens: that needs the secret.
     */
    public static boolean looksSealed(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 64 * 1024) {
            return false;
        }
        try {
            byte[] bytes = B64_DECODER.decode(cookieValue);
            return bytes.length >= MIN_BYTES && bytes[0] == VERSION && cookieValue.indexOf('=') < 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    @Override
    public String toString() {
        return "SealedSerializer[secrets=" + keys.length + " (hidden), clockSkew=" + clockSkew + "]";
    }

    /** Builds a {@link SealedSerializer}. */
    public static final class Builder {
        private final String secret;
        private final List<String> fallbackSecrets = new ArrayList<>();
        private String cookieName = "chirp_session";
        private Clock clock = Clock.systemUTC();
        private Duration clockSkew = TimedSerializer.DEFAULT_CLOCK_SKEW;

        private Builder(String secret) {
            this.secret = BuilderRules.requireSecret(secret);
        }

        /**
         * Adds older secrets that still open values (never seal), tried in the order given after the
         * current one.
         *
         * @throws IllegalArgumentException if any is null or empty
         */
        public Builder fallbackSecrets(List<String> secrets) {
            fallbackSecrets.addAll(BuilderRules.requireFallbackSecrets(secrets));
            return this;
        }

        /**
         * The cookie name bound into every value as associated data; default {@code chirp_session}.
         *
         * @throws IllegalArgumentException if empty
         */
        public Builder cookieName(String cookieName) {
            if (cookieName == null || cookieName.isEmpty()) {
                throw new IllegalArgumentException("cookieName must not be empty: \"\"; pass the cookie's name");
            }
            this.cookieName = cookieName;
            return this;
        }

        /** The clock for signing times and ages; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far in the future a signing time may be and still open; default 5 seconds.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = BuilderRules.requireClockSkew(clockSkew);
            return this;
        }

        /**
         * Builds the serializer, deriving each secret's key once.
         *
         * @throws dev.chirp.sessions.ConfigurationException if the jackson-core on the class path is older
         *         than this library needs
         */
        public SealedSerializer build() {
            JacksonSupport.require();
            return new SealedSerializer(this);
        }
    }
}
