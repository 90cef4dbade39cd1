package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.redis.RedisSessionStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the Redis session store answers, under {@code /actuator/health} as
 * {@code chirpSessions} (Spring Boot 4). {@code DOWN} at once while the store's circuit breaker is open
 * ({@link RedisSessionStore#isAvailable()} is false); otherwise the check is one {@code GET} of a session
 * id that is never issued, within the store's command timeout. Details: the Redis address (never
 * credentials) and key prefix, and the error when down.
 */
public class RedisSessionStoreHealthIndicator implements HealthIndicator {

    private final RedisStoreHealth health;

    /** Creates the indicator for {@code store}. */
    public RedisSessionStoreHealthIndicator(RedisSessionStore store) {
        this.health = new RedisStoreHealth(store);
    }

    @Override
    public Health health() {
        RedisStoreHealth.Result result = health.check();
        return (result.up() ? Health.up() : Health.down()).withDetails(result.details()).build();
    }
}
