package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.redis.RedisSessionStore;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the Redis session store answers, under {@code /actuator/health} as
 * {@code chirpSessions}. While the store's circuit breaker is open ({@link RedisSessionStore#isAvailable()}
 * is false) it is {@code DOWN} without sending anything; otherwise the check is the store's own read
 * path: one {@code GET} of a session id that is never issued (the store's random ids are 192 bits), with
 * the store's command timeout, so it sees what a request would see. Details: the Redis address (never
 * credentials) and key prefix.
 */
public class RedisSessionStoreHealthIndicator implements HealthIndicator {

    // 32 URL-safe characters, the shape of a real id, so the store sends a real GET.
    private static final Map<String, Object> PROBE = Map.of(RedisSessionStore.SESSION_ID,
            "chirp-sessions-health-probe-0000");

    private final RedisSessionStore store;

    /** Creates the indicator for {@code store}. */
    public RedisSessionStoreHealthIndicator(RedisSessionStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        if (!store.isAvailable()) {
            return Health.down().withDetail("store", store.toString())
                    .withDetail("error", "Redis did not answer recently; session requests fail at once until it does")
                    .build();
        }
        try {
            store.load(PROBE);
            return Health.up().withDetail("store", store.toString()).build();
        } catch (SessionStoreException e) {
            // The store's messages name the address, never a password or session data.
            return Health.down().withDetail("store", store.toString()).withDetail("error", e.getMessage()).build();
        }
    }
}
