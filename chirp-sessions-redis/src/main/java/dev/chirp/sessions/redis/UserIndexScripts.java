package dev.chirp.sessions.redis;

/**
 * The Lua scripts that keep a user's session index (a hash {@code session id -> "created:lastSeen"} in
 * milliseconds) in step with the session keys. Each runs atomically in Redis, and every key it touches is
 * passed in {@code KEYS} and carries the user's hash tag, so on Redis Cluster they all live in one slot.
 */
final class UserIndexScripts {

    private UserIndexScripts() {
    }

    /**
     * Stores a session and records it in the index. KEYS: session key, index. ARGV: JSON, TTL in ms,
     * session id, now in ms, {@code NX} (new id) or {@code XX} (update; refuses to resurrect).
     * Returns 1 if stored, 0 if the SET condition failed (nothing changes then).
     */
    static final String SAVE = """
            if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], ARGV[5]) then return 0 end
            local old = redis.call('HGET', KEYS[2], ARGV[3])
            local created = old and string.match(old, '^(%d+):') or ARGV[4]
            redis.call('HSET', KEYS[2], ARGV[3], created .. ':' .. ARGV[4])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
            return 1
            """;

    /**
     * Extends a session's life and its last-seen time. KEYS: session key, index. ARGV: TTL in ms, session
     * id, now in ms. Returns 1 if the session still existed; 0 (and drops it from the index) if not.
     */
    static final String TOUCH = """
            if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then
              redis.call('HDEL', KEYS[2], ARGV[2])
              return 0
            end
            local old = redis.call('HGET', KEYS[2], ARGV[2])
            local created = old and string.match(old, '^(%d+):') or ARGV[3]
            redis.call('HSET', KEYS[2], ARGV[2], created .. ':' .. ARGV[3])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
            return 1
            """;

    /** Deletes a session and its index entry. KEYS: session key, index. ARGV: session id. Returns keys deleted. */
    static final String DELETE = """
            local n = redis.call('DEL', KEYS[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            return n
            """;

    /**
     * Lists the sessions whose keys still exist, dropping the others from the index. KEYS: index, then
     * one session key per id. ARGV: the ids, in the same order. Returns id, "created:lastSeen" pairs.
     */
    static final String LIST = """
            local out = {}
            for i = 2, #KEYS do
              local id = ARGV[i - 1]
              local times = redis.call('HGET', KEYS[1], id)
              if redis.call('EXISTS', KEYS[i]) == 1 and times then
                table.insert(out, id)
                table.insert(out, times)
              else
                redis.call('HDEL', KEYS[1], id)
              end
            end
            return out
            """;

    /**
     * Deletes sessions and their index entries, except one. KEYS: index, then one session key per id.
     * ARGV: the id to keep (or an empty string), then the ids in the same order. Returns sessions deleted.
     */
    static final String REVOKE = """
            local n = 0
            for i = 2, #KEYS do
              local id = ARGV[i]
              if id ~= ARGV[1] then
                n = n + redis.call('DEL', KEYS[i])
                redis.call('HDEL', KEYS[1], id)
              end
            end
            return n
            """;
}
