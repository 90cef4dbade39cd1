package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.redis.RedisSessionStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Redis store's health check, apart from Boot's health types (which live in different packages in
 * Boot 3 and 4): {@code DOWN} without a command while the store's circuit breaker is open, otherwise one
 * {@code GET} of a session id that is never issued, within the store's command timeout, so it sees what
 * a request would see. The details name the address and key prefix, never credentials.
 */
final class RedisStoreHealth {

    /** Whether Redis answered, and what to show. */
    record Result(boolean up, Map<String, Object> details) {
    }

    // 32 URL-safe characters, the shape of a real id, so the store sends a real GET; real ids are 192
    // random bits and never spell this.
    private static final Map<String, Object> PROBE = Map.of(RedisSessionStore.SESSION_ID,
            "chirp-sessions-health-probe-0000");

    private final RedisSessionStore store;

    RedisStoreHealth(RedisSessionStore store) {
        this.store = store;
    }

    Result check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.toString());
        if (!store.isAvailable()) {
            details.put("error", "Redis did not answer recently; session requests fail at once until it does");
            return new Result(false, details);
        }
        try {
            store.load(PROBE);
            return new Result(true, details);
        } catch (SessionStoreException e) {
            details.put("error", e.getMessage()); // names the address, never a password or session data
            return new Result(false, details);
        }
    }
}
