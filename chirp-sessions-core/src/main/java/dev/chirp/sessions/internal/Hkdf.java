package dev.chirp.sessions.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), which Java 17 lacks as an API. Used once per secret when a sealed
 * codec is built, so it favours plainness over speed.
 */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_BYTES = 32;

    private Hkdf() {
    }

    /** RFC 5869 section 2.2: {@code PRK = HMAC-Hash(salt, IKM)}; an empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        Mac mac = mac(salt.length == 0 ? new byte[HASH_BYTES] : salt);
        return mac.doFinal(inputKeyMaterial);
    }

    /**
     * RFC 5869 section 2.3: {@code T(i) = HMAC-Hash(PRK, T(i-1) | info | i)}, the first {@code length}
     * bytes of {@code T(1) | T(2) | ...}.
     *
     * @throws IllegalArgumentException if {@code length} is not between 1 and 255 * 32
     */
    public static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("length must be between 1 and " + 255 * HASH_BYTES + ": " + length);
        }
        Mac mac = mac(pseudoRandomKey);
        byte[] out = new byte[length];
        byte[] previous = new byte[0];
        for (int block = 1, written = 0; written < length; block++) {
            mac.update(previous);
            mac.update(info);
            mac.update((byte) block);
            previous = mac.doFinal();
            int n = Math.min(previous.length, length - written);
            System.arraycopy(previous, 0, out, written, n);
            written += n;
        }
        return out;
    }

    /** Extract, then expand: the whole of RFC 5869. */
    public static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        return expand(extract(salt, inputKeyMaterial), info, length);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC, e);
        }
    }
}
