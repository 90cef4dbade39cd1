package dev.chirp.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cookie payload of a server-side {@link SessionStore}: a random session id, its non-secret
 * fingerprint and its user's tag, shared so that every store of this project (Redis, PostgreSQL) mints
 * and names sessions the same way, and a user's fingerprints mean the same thing whichever store holds
 * them.
 *
 * <ul>
 *   <li>The payload is {@code {"sid": "<32 base64url characters>"}} (192 random bits from
 *       {@link SecureRandom}), plus {@code "u": "<32 hex characters>"} for a logged-in session.</li>
 *   <li>{@link #digest(String)} is SHA-256 of {@code "session:" + id}; the fingerprint is the hex of its
 *       first 8 bytes, so a store that keeps only the digest can still find a session by fingerprint.</li>
 *   <li>The user tag is the hex of the first 16 bytes of SHA-256 of {@code "user:" + userId}: it names a
 *       user's sessions without revealing the user id.</li>
 * </ul>
 */
public final class SessionIds {

    /** The cookie payload's key holding the session id. */
    public static final String SESSION_ID = "sid";
    /** The cookie payload's key holding the user tag of a logged-in session. */
    public static final String USER_TAG = "u";
    /** The length of a session id: {@value}. */
    public static final int ID_LENGTH = 32;
    /** The length of a user tag: {@value}. */
    public static final int USER_TAG_LENGTH = 32;
    /** The length of a fingerprint: {@value}. */
    public static final int FINGERPRINT_LENGTH = 16;

    private static final int ID_BYTES = 24;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {
    }

    /** A fresh random session id: 192 bits as 32 base64url characters. */
    public static String newId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /** The payload for a session id and, for a logged-in session, its user tag ({@code null} for none). */
    public static Map<String, Object> payload(String id, String userTag) {
        Map<String, Object> payload = new LinkedHashMap<>(2);
        payload.put(SESSION_ID, id);
        if (userTag != null) {
            payload.put(USER_TAG, userTag);
        }
        return payload;
    }

    /** The payload's session id if it is one {@link #newId()} could have made, else {@code null}. */
    public static String idOf(Map<String, Object> payload) {
        Object value = payload == null ? null : payload.get(SESSION_ID);
        return value instanceof String id && isId(id) ? id : null;
    }

    /** The payload's user tag if it is one {@link #userTag(Object)} could have made, else {@code null}. */
    public static String userTagOf(Map<String, Object> payload) {
        Object value = payload == null ? null : payload.get(USER_TAG);
        return value instanceof String tag && tag.length() == USER_TAG_LENGTH && isLowerHex(tag) ? tag : null;
    }

    /** Whether {@code id} has the form of a session id (32 base64url characters). */
    public static boolean isId(String id) {
        if (id == null || id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code fingerprint} has the form of a fingerprint (16 lower-case hex characters). */
    public static boolean isFingerprint(String fingerprint) {
        return fingerprint != null && fingerprint.length() == FINGERPRINT_LENGTH && isLowerHex(fingerprint);
    }

    /** SHA-256 of {@code "session:" + id}: 32 bytes that name the session without being usable as it. */
    public static byte[] digest(String id) {
        return sha256("session:" + id);
    }

    /** The fingerprint of a session id: hex of the first 8 bytes of its {@link #digest(String)}. */
    public static String fingerprint(String id) {
        return HEX.formatHex(digest(id), 0, FINGERPRINT_LENGTH / 2);
    }

    /** The user tag of a user id, compared as text ({@code 42} and {@code "42"} are the same user). */
    public static String userTag(Object userId) {
        return HEX.formatHex(sha256("user:" + userId), 0, USER_TAG_LENGTH / 2);
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
