package dev.chirp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1, sent as {@code EVALSHA} (40 bytes instead of the script on every call) and
 * as {@code EVAL} only when Redis answers {@code NOSCRIPT} (after a restart or failover forgot it).
 */
record RedisScript(String name, String lua, String sha) {

    static RedisScript of(String name, String lua) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(lua.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, lua, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
