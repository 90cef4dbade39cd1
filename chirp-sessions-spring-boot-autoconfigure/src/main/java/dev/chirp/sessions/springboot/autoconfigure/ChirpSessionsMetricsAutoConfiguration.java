package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.CookieSessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Session meters ({@link SessionMetrics}) when Micrometer is on the class path: Boot binds them to its
 * {@code MeterRegistry} (Actuator's {@code /actuator/metrics} then lists them), and the store's calls
 * are timed unless the store is the cookie, which does no I/O.
 */
@AutoConfiguration(before = ChirpSessionsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({MeterRegistry.class, CookieSessionStore.class})
public class ChirpSessionsMetricsAutoConfiguration {

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsMetricsAutoConfiguration() {
    }

    /** The meters, a session listener that Boot binds to its registry. */
    @Bean
    @ConditionalOnMissingBean
    public SessionMetrics chirpSessionMetrics() {
        return new SessionMetrics();
    }

    /** Times the calls of a server-side store. */
    @Bean
    @ConditionalOnMissingBean(name = "chirpSessionStoreTiming")
    public SessionStoreCustomizer chirpSessionStoreTiming(SessionMetrics metrics) {
        return store -> store instanceof CookieSessionStore ? store : metrics.timed(store);
    }
}
