package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.jdbc.JdbcSessionStore;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports whether the PostgreSQL session store answers, under {@code /actuator/health} as
 * {@code chirpSessions} (Spring Boot 4). {@code DOWN} at once while the store's circuit breaker is open;
 * otherwise the check is the {@code SELECT} a request's load sends, for a session id that is never issued,
 * within the store's timeout. Details: the table, and the error when down (never credentials or data).
 */
public class JdbcSessionStoreHealthIndicator implements HealthIndicator {

    // The shape of a real id, so the store sends its real query; real ids are 192 random bits.
    private static final Map<String, Object> PROBE = Map.of(SessionIds.SESSION_ID, "chirp-sessions-health-probe-0000");

    private final JdbcSessionStore store;

    /** Creates the indicator for {@code store}. */
    public JdbcSessionStoreHealthIndicator(JdbcSessionStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("table", store.tableName());
        if (!store.isAvailable()) {
            return health.down().withDetail("error", "PostgreSQL did not answer recently; session requests fail "
                    + "at once until it does").build();
        }
        try {
            store.load(PROBE);
            return health.build();
        } catch (SessionStoreException e) {
            return health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
