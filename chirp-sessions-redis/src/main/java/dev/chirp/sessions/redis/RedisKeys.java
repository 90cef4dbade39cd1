package dev.chirp.sessions.redis;

import dev.chirp.sessions.SessionIds;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The names of everything the store keeps in Redis, and the ids and hashes they are made of.
 *
 * <ul>
 *   <li>Session ids are random base64url text: 36 characters (216 bits) since 0.2; 32 characters (192
 *       bits) for the ids 0.1 minted, which still name 0.1's keys until the session is next written.</li>
 *   <li>Ids, fingerprints and user tags are the core's ({@link SessionIds}), shared with the PostgreSQL
 *       store, but for the id's length.</li>
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
    static final int LEGACY_ID_LENGTH = SessionIds.ID_LENGTH;
    static final int HASH_LENGTH = 32;

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

    /**
     * A fresh id: 216 random bits as 36 base64url characters. Longer than {@link SessionIds#newId()}'s 32
     * on purpose: the length tells a session of this layout from one 0.1 wrote, so a read of either is
     * one round trip.
     */
    static String newId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /** The payload's id if this store (36 characters) or 0.1 (32, {@link SessionIds#isId}) minted it. */
    static String idOf(Map<String, Object> payload) {
        Object value = payload == null ? null : payload.get(SessionIds.SESSION_ID);
        if (!(value instanceof String id)) {
            return null;
        }
        if (SessionIds.isId(id)) {
            return id;
        }
        return id.length() == ID_LENGTH && SessionIds.isId(id.substring(0, LEGACY_ID_LENGTH))
                && SessionIds.isId(id.substring(ID_LENGTH - LEGACY_ID_LENGTH)) ? id : null;
    }

    /** Whether a valid id was minted by 0.1, so its session may still be in 0.1's layout. */
    static boolean isLegacy(String id) {
        return id.length() == LEGACY_ID_LENGTH;
    }

    /**
     * The hash that names a session in Redis: hex of the first 16 bytes of {@link SessionIds#digest}
     * (SHA-256 of {@code "session:" + id}). One way, so Redis holds nothing that opens a session; 128
     * bits, so two live sessions never share one (and a new session is stored only where no key
     * exists). Its first 16 characters are the session's {@link SessionIds#fingerprint}.
     */
    static String hashOf(String id) {
        return HEX.formatHex(SessionIds.digest(id), 0, HASH_LENGTH / 2);
    }
}
