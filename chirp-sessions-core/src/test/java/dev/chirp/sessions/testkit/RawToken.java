package dev.chirp.sessions.testkit;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.Deflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds itsdangerous tokens part by part, signed with the right key, so that tests can hand the
 * library what only a secret holder could make: odd spellings, out-of-range times, zlib bombs.
 * Written independently of {@code TimedSerializer}, so that it does not share its mistakes.
 */
public final class RawToken {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RawToken() {
    }

    /** Signs the text {@code payloadPart + "." + timestampPart} with itsdangerous' default salt. */
    public static String sign(String secret, String payloadPart, String timestampPart) {
        String signed = payloadPart + "." + timestampPart;
        try {
            byte[] key = MessageDigest.getInstance("SHA-1")
                    .digest(("itsdangerous" + "signer" + secret).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** URL-safe base64 without padding, as itsdangerous writes it. */
    public static String base64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /** The canonical timestamp part for {@code seconds}: big-endian, no leading zero bytes. */
    public static String timestamp(BigInteger seconds) {
        byte[] bytes = seconds.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return base64(bytes);
    }

    /** The canonical timestamp part for {@code seconds}. */
    public static String timestamp(long seconds) {
        return timestamp(BigInteger.valueOf(seconds));
    }

    /** The compressed payload part ({@code .} + base64 of zlib) of {@code json}, at {@code level}. */
    public static String compressed(byte[] json, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(json);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return "." + base64(out.toByteArray());
        } finally {
            deflater.end();
        }
    }
}
