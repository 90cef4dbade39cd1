package dev.chirp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The names of everything the store keeps in Redis, and the ids and hashes they are made of.
 *
 * <ul>
 *   <li>Session ids are random base64url text: 36 characters (216 bits) since 0.2; 32 characters (192
 *       bits) for the ids 0.1 minted, which still name 0.1's keys until the session is next written.</li>
 *   <li>Key names never hold a session id, only {@link #hashOf its hash}: a {@code KEYS}/{@code SCAN},
 *       {@code MONITOR}, a backup or a replica of Redis holds no cookie anyone can use. The hash's first
 *       16 characters are the session's fingerprint, so the user index (which holds hashes) can list and
 *       revoke by fingerprint.</li>
 *   <li>A logged-in session's key and its user's index carry the user's hash tag, so a script that
 *       touches them all runs in one cluster slot.</li>
 * </ul>
 *
 * <pre>
 *   prefix + "s:" + hash                     anonymous session (hash: field per top-level key)
 *   prefix + "s:{" + tag + "}" + hash          logged-in session
 *   prefix + "users:{" + tag + "}:seen"        zset: session hash -&gt; last seen (ms)
 *   prefix + "users:{" + tag + "}:created"     hash: session hash -&gt; created (ms)
 *   0.1, read and converted on the next write:
 *   prefix + id,  prefix + "{" + tag + "}" + id   session as a JSON string
 *   prefix + "user:{" + tag + "}"[":created"]     index hashes keyed by the raw id
 * </pre>
 */
final class RedisKeys {

    static final int ID_LENGTH = 36;
    static final int LEGACY_ID_LENGTH = 32;
    static final int HASH_LENGTH = 32;
    static final int FINGERPRINT_LENGTH = 16;
    static final int USER_TAG_LENGTH = 32;

    private static final int ID_BYTES = 27;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The session's key in the current layout. */
    String session(String id, String tag) {
        return sessionPrefix(tag) + hashOf(id);
    }

    /** What a session key is in front of the session's hash (Lua builds keys of index members with it). */
    String sessionPrefix(String tag) {
        return tag == null ? prefix + "s:" : prefix + "s:{" + tag + "}";
    }

    /** The key 0.1 kept the session's JSON under: the raw id, as 0.1 wrote it. */
    String legacySession(String id, String tag) {
        return legacySessionPrefix(tag) + id;
    }

    String legacySessionPrefix(String tag) {
        return tag == null ? prefix : prefix + "{" + tag + "}";
    }

    /** The user's index: a sorted set of session hashes by last-seen time. */
    String seen(String tag) {
        return prefix + "users:{" + tag + "}:seen";
    }

    /** Beside the index, in the same slot: session hash to creation time. */
    String created(String tag) {
        return prefix + "users:{" + tag + "}:created";
    }

    /** 0.1's index: raw session id to last-seen time. */
    String legacySeen(String tag) {
        return prefix + "user:{" + tag + "}";
    }

    /** 0.1's index: raw session id to creation time. */
    String legacyCreated(String tag) {
        return prefix + "user:{" + tag + "}:created";
    }

    static String newId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /** Whether {@code id} is one this store (or 0.1) could have minted. */
    static boolean isSessionId(String id) {
        if (id.length() != ID_LENGTH && id.length() != LEGACY_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Whether a valid id was minted by 0.1, so its session may still be in 0.1's layout. */
    static boolean isLegacy(String id) {
        return id.length() == LEGACY_ID_LENGTH;
    }

    /**
     * The hash that names a session in Redis: hex of the first 16 bytes of SHA-256 of
     * {@code "session:" + id}. One way, so Redis holds nothing that opens a session; 128 bits, so two
     * live sessions never share one (and a new session is stored only where no key exists).
     */
    static String hashOf(String id) {
        return HEX.formatHex(sha256("session:" + id), 0, HASH_LENGTH / 2);
    }

    /** The session's fingerprint: the first 16 characters of its {@link #hashOf hash}, as in 0.1. */
    static String fingerprintOf(String id) {
        return hashOf(id).substring(0, FINGERPRINT_LENGTH);
    }

    /**
     * The user tag of a user id: hex of the first 16 bytes of SHA-256 of its text. A hash, not the id,
     * so key names neither reveal user ids nor break on ids that contain braces.
     */
    static String tagOf(Object userId) {
        return HEX.formatHex(sha256("user:" + userId), 0, USER_TAG_LENGTH / 2);
    }

    /** Whether {@code text} is {@code length} lower-case hex digits (a tag, hash or fingerprint we made). */
    static boolean isHex(Object text, int length) {
        if (!(text instanceof String s) || s.length() != length) {
            return false;
        }
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
