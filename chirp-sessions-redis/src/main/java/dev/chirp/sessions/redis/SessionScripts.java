package dev.chirp.sessions.redis;

/**
 * The Lua scripts that write a session, each one atomic step and one round trip.
 *
 * <p>A session is a Redis hash with one field per top-level key of the session, holding that value's
 * JSON. Saving applies only what the request changed ({@code HSET} of the changed keys, {@code HDEL} of
 * the removed ones), so concurrent requests that change different keys all keep their change. Every
 * script on an existing session writes only if it still exists (see {@code apply}, {@code PEXPIRE} or
 * {@code EXISTS}), so a session ended meanwhile (logout, regenerate, expiry) is never brought back.
 *
 * <p>The expiry is moved to the requested lifetime plus a slack ({@code ttlPlus}) only when the store
 * says so ({@link ExpiryMemory}): when less than the lifetime is left, or more than the lifetime and the
 * slack (an absolute timeout shortens the lifetime). A busy session is written many times a second but
 * its expiry and its user's last-seen time move at most once per slack, which keeps the common write at
 * one {@code HSET}. Redis keeps the session at least as long as its cookie is valid.
 *
 * <p>A logged-in session also keeps its user's index in step (KEYS 2 and 3, in the session's hash slot):
 * the last-seen time moves with the expiry, and the index lives {@code indexTtl}, twice the lifetime, so
 * it is extended once per lifetime rather than on every write.
 */
final class SessionScripts {

    private SessionScripts() {
    }

    // Shared Lua: applies "n, field/value pairs..., removed fields..." from ARGV[first]. In a merge the
    // timeout stamps never go backwards: the stored creation time stays, the later last-seen time wins.
    // With check, it writes only to a session that exists, without a command to ask: an HSET that added
    // every field it set, to a hash that then holds nothing else, created the hash, and is undone (an
    // existing session always holds a field; Redis deletes an emptied hash). HSET and HDEL take at most
    // 1000 arguments at a time (Lua's unpack has a stack limit). Returns false if nothing was written.
    private static final String APPLY = """
            local function each(cmd, key, list, from, to)
              local n = 0
              for i = from, to, 1000 do
                n = n + redis.call(cmd, key, unpack(list, i, math.min(i + 999, to)))
              end
              return n
            end
            local function apply(key, first, merge, whole, check)
              local n = tonumber(ARGV[first])
              local last = first + 2 * n
              local set, gone, created = {}, {}, nil
              if whole then
                local keep = {}
                for i = first + 1, last, 2 do keep[ARGV[i]] = true end
                for _, f in ipairs(redis.call('HKEYS', key)) do
                  if not keep[f] then gone[#gone + 1] = f end
                end
              end
              for i = first + 1, last, 2 do
                local f, v = ARGV[i], ARGV[i + 1]
                if merge and f == '__created_at' then
                  created = v
                elseif merge and f == '__last_seen_at' then
                  local old, new = tonumber(redis.call('HGET', key, f)), tonumber(v)
                  if not (old and new and old > new) then
                    set[#set + 1] = f
                    set[#set + 1] = v
                  end
                else
                  set[#set + 1] = f
                  set[#set + 1] = v
                end
              end
              if check and #set == 0 and redis.call('EXISTS', key) == 0 then return false end
              -- HSET before HDEL: a hash emptied for a moment would be deleted, and its expiry with it
              local added = each('HSET', key, set, 1, #set)
              if check and #set > 0 and added * 2 == #set and redis.call('HLEN', key) == added then
                redis.call('DEL', key)
                return false
              end
              if created then redis.call('HSETNX', key, '__created_at', created) end
              each('HDEL', key, gone, 1, #gone)
              each('HDEL', key, ARGV, last + 1, #ARGV)
              return true
            end
            """;

    // Shared Lua: moves a logged-in session's last-seen time and keeps the index alive past it.
    private static final String SEEN = """
            local function seen(member, now, ttlPlus, indexTtl)
              redis.call('ZADD', KEYS[2], 'GT', now, member)
              if redis.call('PTTL', KEYS[2]) < tonumber(ttlPlus) then
                redis.call('PEXPIRE', KEYS[2], indexTtl)
                redis.call('PEXPIRE', KEYS[3], indexTtl)
              end
            end
            """;

    /**
     * Applies a request's changes to an existing session. KEYS: session, [seen, created]. ARGV: move the
     * expiry ({@code 1}) or not, ttlPlus, session hash, now (ms), indexTtl, whole ({@code 1}: replace the
     * fields, deleting those the data no longer has; not {@code DEL}, which would drop the expiry too),
     * then the changes. Returns 1, or 0 (nothing written) if the session no longer exists. A change of
     * one existing key is one {@code HSET}, plus one {@code ZADD} of its last-seen time for a logged-in
     * session.
     */
    static final RedisScript MERGE = RedisScript.of("HSET", APPLY + SEEN + """
            local whole = ARGV[6] == '1'
            if not apply(KEYS[1], 7, not whole, whole, true) then return 0 end
            if ARGV[1] == '1' then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              if KEYS[2] then seen(ARGV[3], ARGV[4], ARGV[2], ARGV[5]) end
            elseif KEYS[2] then
              -- A logged-in write always moves its last-seen time, even when the expiry need not move:
              -- "least recently seen" (the per-user cap, Spring Security's maximumSessions) must not
              -- depend on the expiry's one-minute slack.
              redis.call('ZADD', KEYS[2], 'GT', ARGV[4], ARGV[3])
            end
            return 1
            """);

    /**
     * Stores a new session under a fresh id; for a logged-in session also records it in its user's
     * index, drops a few index entries whose sessions expired, and ends the user's least recently seen
     * sessions past the cap. KEYS: session, [seen, created]. ARGV: ttlPlus, session hash, now, indexTtl,
     * cap, session key prefix, how many oldest entries to check, most sessions to end, then the data as
     * changes. Returns 1, or 0 if the key exists (nothing written).
     */
    static final RedisScript CREATE = RedisScript.of("HSET", APPLY + SEEN + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            apply(KEYS[1], 9, false, false, false)
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            if KEYS[2] then
              local me, now = ARGV[2], ARGV[3]
              local function drop(m)
                redis.call('ZREM', KEYS[2], m)
                redis.call('HDEL', KEYS[3], m)
              end
              redis.call('HSET', KEYS[3], me, now)
              seen(me, now, ARGV[1], ARGV[4])
              for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[7]) - 1)) do
                if m ~= me and redis.call('EXISTS', ARGV[6] .. m) == 0 then drop(m) end
              end
              local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
              if over > 0 then
                for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, math.min(over, tonumber(ARGV[8])) - 1)) do
                  if m ~= me then
                    redis.call('DEL', ARGV[6] .. m)
                    drop(m)
                  end
                end
              end
            end
            return 1
            """);

    /**
     * Extends a logged-in session's life and its last-seen time. KEYS: session, seen, created. ARGV:
     * ttlPlus, session hash, now, indexTtl. Returns 1, or 0 (and drops the index entry) if it is gone.
     */
    static final RedisScript TOUCH = RedisScript.of("PEXPIRE", SEEN + """
            if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then
              redis.call('ZREM', KEYS[2], ARGV[2])
              redis.call('HDEL', KEYS[3], ARGV[2])
              return 0
            end
            seen(ARGV[2], ARGV[3], ARGV[1], ARGV[4])
            return 1
            """);

    /**
     * Deletes a logged-in session and its index entries, in both layouts. KEYS: session, seen, created,
     * then (a 0.1 id) 0.1's session key and its two index hashes. ARGV: session hash, [raw id]. Returns
     * keys deleted.
     */
    static final RedisScript DELETE = RedisScript.of("DEL", """
            local n = redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
            if KEYS[4] then
              n = n + redis.call('DEL', KEYS[4])
              redis.call('HDEL', KEYS[5], ARGV[2])
              redis.call('HDEL', KEYS[6], ARGV[2])
            end
            return n
            """);

    /**
     * Converts a session that 0.1 wrote (a JSON string) on its first write: the request's whole session
     * goes to the current layout and the old key and index entries go, atomically. KEYS: session,
     * 0.1's key, [seen, created, 0.1's seen, 0.1's created]. ARGV: ttlPlus, session hash, now, indexTtl,
     * raw id, then the data as changes. Returns 1 (converted), 2 (already converted by a concurrent
     * request: merge instead), or 0 (the session ended: nothing written).
     */
    static final RedisScript CONVERT = RedisScript.of("HSET", APPLY + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
            if redis.call('DEL', KEYS[2]) == 0 then return 0 end
            apply(KEYS[1], 6, false, false, false)
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            if KEYS[3] then
              local created = redis.call('HGET', KEYS[6], ARGV[5]) or ARGV[3]
              redis.call('HDEL', KEYS[5], ARGV[5])
              redis.call('HDEL', KEYS[6], ARGV[5])
              redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
              redis.call('HSET', KEYS[4], ARGV[2], created)
              if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[1]) then
                redis.call('PEXPIRE', KEYS[3], ARGV[4])
                redis.call('PEXPIRE', KEYS[4], ARGV[4])
              end
            end
            return 1
            """);

    /**
     * Extends the life of a logged-in session 0.1 wrote, as 0.1's own refresh did. KEYS: 0.1's session
     * key, 0.1's seen, 0.1's created. ARGV: ttl, raw id, now. Returns 1, or 0 if it is gone.
     */
    static final RedisScript LEGACY_TOUCH = RedisScript.of("PEXPIRE", """
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
            """);
}
