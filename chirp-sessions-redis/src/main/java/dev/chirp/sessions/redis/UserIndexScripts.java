package dev.chirp.sessions.redis;

/**
 * The Lua scripts that keep a user's session index in step with the session keys. The index is two
 * hashes: {@code session id -> last seen} and, beside it, {@code session id -> created} (both in
 * milliseconds). Two hashes rather than one "created:lastSeen" field so that saving a changed session
 * writes its last-seen time without first reading its creation time: the common write (a logged-in
 * session changed) costs {@code SET}, {@code HSET} and {@code PTTL} inside one script. Each script runs
 * atomically in Redis, and every key it touches is passed in {@code KEYS} and carries the user's hash tag,
 * so on Redis Cluster they all live in one slot. The two hashes always get the same expiry.
 */
final class UserIndexScripts {

    private UserIndexScripts() {
    }

    /**
     * Stores a session and records it in the index. KEYS: session key, last-seen hash, created hash.
     * ARGV: JSON, TTL in ms, session id, now in ms, {@code NX} (new id) or {@code XX} (update; refuses to
     * resurrect). Returns 1 if stored, 0 if the SET condition failed (nothing changes then).
     */
    static final String SAVE = """
            if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], ARGV[5]) then return 0 end
            redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
            local ttl = tonumber(ARGV[2])
            if ARGV[5] == 'NX' then
              redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
              if redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
            end
            if redis.call('PTTL', KEYS[2]) < ttl then
              redis.call('PEXPIRE', KEYS[2], ttl)
              redis.call('PEXPIRE', KEYS[3], ttl)
            end
            return 1
            """;

    /**
     * Extends a session's life and its last-seen time. KEYS: session key, last-seen hash, created hash.
     * ARGV: TTL in ms, session id, now in ms. Returns 1 if the session still existed; 0 (and drops it from
     * the index) if not.
     */
    static final String TOUCH = """
            if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then
              redis.call('HDEL', KEYS[2], ARGV[2])
              redis.call('HDEL', KEYS[3], ARGV[2])
              return 0
            end
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[1]) then
              redis.call('PEXPIRE', KEYS[2], ARGV[1])
              redis.call('PEXPIRE', KEYS[3], ARGV[1])
            end
            return 1
            """;

    /**
     * Deletes a session and its index entries. KEYS: session key, last-seen hash, created hash. ARGV:
     * session id. Returns keys deleted.
     */
    static final String DELETE = """
            local n = redis.call('DEL', KEYS[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
            return n
            """;

    /**
     * Lists the sessions whose keys still exist, dropping the others from the index. KEYS: last-seen hash,
     * created hash, then one session key per id. ARGV: the ids, in the same order. Returns id,
     * "created:lastSeen" pairs (created falls back to last seen if its entry is missing).
     */
    static final String LIST = """
            local out = {}
            for i = 3, #KEYS do
              local id = ARGV[i - 2]
              local seen = redis.call('HGET', KEYS[1], id)
              if redis.call('EXISTS', KEYS[i]) == 1 and seen then
                local created = redis.call('HGET', KEYS[2], id) or seen
                table.insert(out, id)
                table.insert(out, created .. ':' .. seen)
              else
                redis.call('HDEL', KEYS[1], id)
                redis.call('HDEL', KEYS[2], id)
              end
            end
            return out
            """;

    /**
     * Deletes sessions and their index entries, except one. KEYS: last-seen hash, created hash, then one
     * session key per id. ARGV: the id to keep (or an empty string), then the ids in the same order.
     * Returns sessions deleted.
     */
    static final String REVOKE = """
            local n = 0
            for i = 3, #KEYS do
              local id = ARGV[i - 1]
              if id ~= ARGV[1] then
                n = n + redis.call('DEL', KEYS[i])
                redis.call('HDEL', KEYS[1], id)
                redis.call('HDEL', KEYS[2], id)
              end
            end
            return n
            """;
}
