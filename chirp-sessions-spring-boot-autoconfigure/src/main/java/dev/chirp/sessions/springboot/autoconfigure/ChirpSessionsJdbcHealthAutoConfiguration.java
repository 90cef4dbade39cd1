package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.jdbc.JdbcSessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator for the PostgreSQL session store, {@code chirpSessions} under
 * {@code /actuator/health}, when the application has Actuator on Spring Boot 4 and uses the store.
 */
@AutoConfiguration(after = ChirpSessionsAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.chirp.sessions.jdbc.JdbcSessionStore",
    "org.springframework.boot.health.contributor.HealthIndicator"})
@ConditionalOnBean(JdbcSessionStore.class)
public class ChirpSessionsJdbcHealthAutoConfiguration {

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsJdbcHealthAutoConfiguration() {
    }

    /** The indicator, named as the Redis store's so that {@code /actuator/health} shows one {@code chirpSessions}. */
    @Bean(name = ChirpSessionsHealthAutoConfiguration.BEAN_NAME)
    @ConditionalOnMissingBean(name = ChirpSessionsHealthAutoConfiguration.BEAN_NAME)
    public JdbcSessionStoreHealthIndicator chirpSessionsJdbcHealthIndicator(JdbcSessionStore store) {
        return new JdbcSessionStoreHealthIndicator(store);
    }
}
