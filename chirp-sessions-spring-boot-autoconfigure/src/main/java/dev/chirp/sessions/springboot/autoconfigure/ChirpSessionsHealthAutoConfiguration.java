package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.redis.RedisSessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A health indicator for the Redis session store, {@code chirpSessions} under
 * {@code /actuator/health}, when the application has Actuator and uses the Redis store: Boot 4's
 * {@code HealthIndicator} type when present, else Boot 3's.
 */
@AutoConfiguration(after = ChirpSessionsAutoConfiguration.class)
@ConditionalOnClass(name = "dev.chirp.sessions.redis.RedisSessionStore")
@ConditionalOnBean(RedisSessionStore.class)
public class ChirpSessionsHealthAutoConfiguration {

    /** The indicator's bean name; Actuator shows it as {@code chirpSessions}. */
    public static final String BEAN_NAME = "chirpSessionsHealthIndicator";

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsHealthAutoConfiguration() {
    }

    /** Spring Boot 4: {@code HealthIndicator} in {@code spring-boot-health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(RedisSessionStore.class)
    static class Boot4 {

        @Bean(name = BEAN_NAME)
        @ConditionalOnMissingBean(name = BEAN_NAME)
        RedisSessionStoreHealthIndicator chirpSessionsHealthIndicator(RedisSessionStore store) {
            return new RedisSessionStoreHealthIndicator(store);
        }
    }

    /** Spring Boot 3: {@code HealthIndicator} in {@code spring-boot-actuator}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot3RedisHealthRegistrar.HEALTH_INDICATOR)
    @ConditionalOnBean(RedisSessionStore.class)
    @Import(Boot3RedisHealthRegistrar.class)
    static class Boot3 {
    }
}
