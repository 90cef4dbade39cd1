package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionListener;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionVersionLookup;
import dev.chirp.sessions.springsecurity.SessionServerSecurityCustomizer;
import dev.chirp.sessions.webflux.WebFluxSessions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.WebSessionManager;

/**
 * Adds chirp sessions to a reactive (Spring WebFlux) application: the same {@link SessionConfig} from the
 * same {@code chirp.sessions.*} properties, the same stores (the cookie, or Redis with
 * {@code chirp.sessions.store=redis}), listeners, customizers, session versions, meters and secret check
 * as the servlet auto-configuration, and {@link WebFluxSessions} as the application's
 * {@code webSessionManager}, so that every {@code WebSession} is the chirp session and Spring's in-memory
 * session store is never used. With Spring Security's reactive configuration on the class path, every
 * {@link ServerHttpSecurity} Spring Boot hands out (its default chain included) arrives with a
 * {@link SessionServerSecurityCustomizer} applied: the login and the CSRF token live in the chirp session.
 * {@code chirp.sessions.spring-security.enabled=false} turns that part off.
 *
 * <p>Every bean backs off when the application defines its own (a {@code webSessionManager}, a
 * {@code SessionMiddleware}, a {@code SessionConfig}).
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
    "org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({SessionMiddleware.class, WebFluxSessions.class, WebSessionManager.class})
@EnableConfigurationProperties(ChirpSessionsProperties.class)
@Import({ChirpSessionsAutoConfiguration.RedisStoreConfiguration.class,
    ChirpSessionsAutoConfiguration.CookieStoreConfiguration.class,
    ChirpSessionsWebFluxAutoConfiguration.Metrics.class,
    ChirpSessionsWebFluxAutoConfiguration.Security.class})
public class ChirpSessionsWebFluxAutoConfiguration {

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsWebFluxAutoConfiguration() {
    }

    /**
     * The session configuration, built exactly as the servlet auto-configuration builds it.
     *
     * @throws SessionSecretException if the secret is missing, short or a placeholder
     * @throws dev.chirp.sessions.ConfigurationException if another property breaks a rule
     */
    @Bean
    @ConditionalOnMissingBean({SessionConfig.class, SessionMiddleware.class})
    public SessionConfig chirpSessionConfig(ChirpSessionsProperties properties, Environment environment,
            ObjectProvider<SessionStore> store, ObjectProvider<SessionListener> listeners,
            ObjectProvider<SessionStoreCustomizer> customizers, ObjectProvider<SessionVersionLookup> versions) {
        return PropertiesSessionConfig.build(properties, environment, store, listeners, customizers, versions);
    }

    /** The servlet side's secret check, before any bean is created: a missing secret stops the start at once. */
    @Bean
    static BeanFactoryPostProcessor chirpSessionSecretCheck(Environment environment) {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("chirpSessionConfig")) {
                SessionSecretException.requireUsable(PropertiesSessionConfig.secret(environment));
            }
        };
    }

    /** The middleware. */
    @Bean
    @ConditionalOnMissingBean
    public SessionMiddleware chirpSessionMiddleware(SessionConfig config) {
        return new SessionMiddleware(config);
    }

    /**
     * The application's {@code WebSessionManager}. Store calls run in place for the cookie store (no I/O)
     * and on Reactor's bounded elastic scheduler for any other store or a session-version lookup.
     */
    @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    @ConditionalOnMissingBean(name = WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
    public WebFluxSessions webSessionManager(SessionMiddleware middleware, ObjectProvider<SessionStore> store) {
        WebFluxSessions.Builder builder = WebFluxSessions.builder(middleware);
        // The configured store may be wrapped (timed) by a customizer: decide on the store bean itself.
        if (store.getIfAvailable() instanceof CookieSessionStore
                && middleware.config().sessionVersions().isEmpty()) {
            builder.storeScheduler(reactor.core.scheduler.Schedulers.immediate());
        }
        return builder.build();
    }

    /** The servlet side's meters, when Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        private final ChirpSessionsMetricsAutoConfiguration meters = new ChirpSessionsMetricsAutoConfiguration();

        @Bean
        @ConditionalOnMissingBean
        SessionMetrics chirpSessionMetrics() {
            return meters.chirpSessionMetrics();
        }

        @Bean
        @ConditionalOnMissingBean(name = "chirpSessionStoreTiming")
        SessionStoreCustomizer chirpSessionStoreTiming(SessionMetrics metrics) {
            return meters.chirpSessionStoreTiming(metrics);
        }
    }

    /** Reactive Spring Security on chirp sessions. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ServerHttpSecurity.class, SessionServerSecurityCustomizer.class})
    @ConditionalOnProperty(prefix = "chirp.sessions.spring-security", name = "enabled", matchIfMissing = true)
    static class Security {

        /**
         * Applies the customizer to each {@link ServerHttpSecurity} (a prototype bean) as it is created,
         * before the application's chain method, or Boot's default chain, configures it.
         */
        @Bean
        static BeanPostProcessor chirpSessionsServerHttpSecurityPostProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof ServerHttpSecurity http) {
                        new SessionServerSecurityCustomizer().customize(http);
                    }
                    return bean;
                }
            };
        }
    }
}
