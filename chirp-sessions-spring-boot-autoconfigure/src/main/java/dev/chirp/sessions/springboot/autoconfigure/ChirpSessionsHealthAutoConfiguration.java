package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.redis.RedisSessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator for the Redis session store, on Spring Boot 4 (whose {@code HealthIndicator} lives
 * in {@code spring-boot-health}), when the application has Actuator and uses the Redis store.
 */
@AutoConfiguration(after = ChirpSessionsAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
    "dev.chirp.sessions.redis.RedisSessionStore"})
@ConditionalOnBean(RedisSessionStore.class)
public class ChirpSessionsHealthAutoConfiguration {

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsHealthAutoConfiguration() {
    }

    /** The indicator, shown as {@code chirpSessions} under {@code /actuator/health}. */
    @Bean(name = "chirpSessionsHealthIndicator")
    @ConditionalOnMissingBean(name = "chirpSessionsHealthIndicator")
    public RedisSessionStoreHealthIndicator chirpSessionsHealthIndicator(RedisSessionStore store) {
        return new RedisSessionStoreHealthIndicator(store);
    }
}
