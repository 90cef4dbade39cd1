package dev.chirp.sessions.redis;

/**
 * The Lua scripts behind {@link dev.chirp.sessions.UserSessionRegistry}: list a page of a user's sessions,
 * end one, end them in batches. The index is a sorted set of session hashes by last-seen time (ms) and,
 * beside it, a hash of their creation times; KEYS are the user's keys, all in the user's hash slot, and a
 * session's key is {@code ARGV prefix .. hash}, in the same slot. Every script does bounded work: a
 * page, a batch, or (finding one fingerprint) the index, which the per-user cap keeps small.
 */
final class UserIndexScripts {

    private UserIndexScripts() {
    }

    /**
     * Lists the most recently seen live sessions and drops index entries whose session is gone. KEYS:
     * seen, created, 0.1's seen, 0.1's created. ARGV: session key prefix, 0.1's session key prefix, page
     * size, how many entries to look at. Returns the count of indexed sessions, then per listed session
     * its kind ({@code n}: hash, {@code l}: a 0.1 raw id), hash or id, created, last seen.
     */
    static final RedisScript LIST = RedisScript.of("ZREVRANGE", """
            local out = {0}
            local limit = tonumber(ARGV[3])
            local found = 0
            local range = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1, 'WITHSCORES')
            for i = 1, #range, 2 do
              local m, seen = range[i], range[i + 1]
              if redis.call('EXISTS', ARGV[1] .. m) == 1 then
                if found < limit then
                  found = found + 1
                  local created = redis.call('HGET', KEYS[2], m) or seen
                  table.insert(out, 'n'); table.insert(out, m)
                  table.insert(out, created); table.insert(out, seen)
                end
              else
                redis.call('ZREM', KEYS[1], m)
                redis.call('HDEL', KEYS[2], m)
              end
            end
            local legacy = 0
            if redis.call('EXISTS', KEYS[3]) == 1 then
              local fields = redis.call('HSCAN', KEYS[3], 0, 'COUNT', limit)[2]
              for i = 1, #fields, 2 do
                local id, seen = fields[i], fields[i + 1]
                if redis.call('EXISTS', ARGV[2] .. id) == 1 then
                  local created = redis.call('HGET', KEYS[4], id) or seen
                  table.insert(out, 'l'); table.insert(out, id)
                  table.insert(out, created); table.insert(out, seen)
                else
                  redis.call('HDEL', KEYS[3], id)
                  redis.call('HDEL', KEYS[4], id)
                end
              end
              legacy = redis.call('HLEN', KEYS[3])
            end
            out[1] = redis.call('ZCARD', KEYS[1]) + legacy
            return out
            """);

    /**
     * Ends the session whose hash starts with a fingerprint. KEYS: seen, created. ARGV: session key
     * prefix, fingerprint (16 hex digits, checked by the caller: it goes into a MATCH pattern). Returns 1
     * if a session was ended, 0 if its entry was there but the session had already gone, -1 if no entry
     * matched.
     */
    static final RedisScript REVOKE_ONE = RedisScript.of("DEL", """
            local cursor = '0'
            repeat
              local page = redis.call('ZSCAN', KEYS[1], cursor, 'MATCH', ARGV[2] .. '*', 'COUNT', 200)
              cursor = page[1]
              local items = page[2]
              if #items > 0 then
                local m = items[1]
                redis.call('ZREM', KEYS[1], m)
                redis.call('HDEL', KEYS[2], m)
                return redis.call('DEL', ARGV[1] .. m)
              end
            until cursor == '0'
            return -1
            """);

    /**
     * Ends up to a batch of the user's least recently seen sessions, skipping the one to keep. KEYS: seen,
     * created. ARGV: session key prefix, fingerprint to keep (or empty), batch size. Returns sessions
     * ended, then entries taken (fewer than the batch: the index holds no more).
     */
    static final RedisScript REVOKE_BATCH = RedisScript.of("DEL", """
            local batch = tonumber(ARGV[3])
            local ended, taken = 0, 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, batch)) do
              if taken < batch and (ARGV[2] == '' or string.sub(m, 1, 16) ~= ARGV[2]) then
                taken = taken + 1
                ended = ended + redis.call('DEL', ARGV[1] .. m)
                redis.call('ZREM', KEYS[1], m)
                redis.call('HDEL', KEYS[2], m)
              end
            end
            return {ended, taken}
            """);

    /**
     * Ends sessions 0.1 wrote, named by raw id (found by {@code HSCAN} of 0.1's index, a batch at a time).
     * KEYS: 0.1's seen, 0.1's created, then one 0.1 session key per id. ARGV: the ids. Returns sessions
     * ended.
     */
    static final RedisScript LEGACY_REVOKE = RedisScript.of("DEL", """
            local n = 0
            for i = 3, #KEYS do
              n = n + redis.call('DEL', KEYS[i])
              redis.call('HDEL', KEYS[1], ARGV[i - 2])
              redis.call('HDEL', KEYS[2], ARGV[i - 2])
            end
            return n
            """);
}
