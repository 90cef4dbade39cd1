package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionListener;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionVersionLookup;
import dev.chirp.sessions.redis.RedisSessionStore;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Adds chirp sessions to a servlet web application: a {@link SessionConfig} from the
 * {@code chirp.sessions.*} properties, its {@link SessionStore} (the cookie, or Redis on Boot's
 * {@code spring.data.redis.*} settings when {@code chirp.sessions.store=redis}), the
 * {@link SessionMiddleware}, and the {@link SessionFilter} registered for every dispatch type, async
 * supported, ahead of Spring Security. Every bean backs off when the application defines its own; an
 * application that defines a {@code SessionMiddleware} (the README's manual beans) keeps it. Every
 * {@link SessionListener} bean receives the session events, every {@link SessionStoreCustomizer}
 * bean may wrap the store, and a {@link SessionVersionLookup} bean turns on per-user session versions.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SessionMiddleware.class, SessionFilter.class})
@EnableConfigurationProperties(ChirpSessionsProperties.class)
@Import({ChirpSessionsAutoConfiguration.RedisStoreConfiguration.class, JdbcStoreConfiguration.class,
    ChirpSessionsAutoConfiguration.CookieStoreConfiguration.class})
public class ChirpSessionsAutoConfiguration {

    /** The property that holds the signing secret. */
    public static final String SECRET_PROPERTY = "chirp.sessions.secret";
    /** The environment variable read when {@value #SECRET_PROPERTY} is not set (chirp's own name for it). */
    public static final String SECRET_ENVIRONMENT_VARIABLE = "CHIRP_SESSION_SECRET";
    /**
     * The filter's default order: after Boot's request-context and character-encoding filters, ahead of
     * Spring Security's chain (-100), so that security code already sees the request's session.
     */
    public static final int DEFAULT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    /** Creates the configuration; Boot does this. */
    public ChirpSessionsAutoConfiguration() {
    }

    /**
     * The session configuration from the {@code chirp.sessions.*} properties, with the store, every
     * {@link SessionListener} bean and the {@link SessionVersionLookup} bean if there is one.
     *
     * @throws SessionSecretException if the secret is missing, short or a placeholder
     * @throws ConfigurationException if another property breaks a rule
     */
    @Bean
    @ConditionalOnMissingBean({SessionConfig.class, SessionMiddleware.class})
    public SessionConfig chirpSessionConfig(ChirpSessionsProperties properties, Environment environment,
            ObjectProvider<SessionStore> store, ObjectProvider<SessionListener> listeners,
            ObjectProvider<SessionStoreCustomizer> customizers, ObjectProvider<SessionVersionLookup> versions) {
        String secret = properties.getSecret() != null ? properties.getSecret() : secret(environment);
        SessionConfig.Builder builder = SessionConfig.builder(SessionSecretException.requireUsable(secret))
                .fallbackSecrets(properties.getFallbackSecrets())
                .format(properties.getFormat())
                .maxAge(properties.getMaxAge())
                .path(properties.getPath())
                .domain(properties.getDomain())
                .secure(properties.effectiveSecure())
                .httpOnly(properties.isHttpOnly())
                .sameSite(properties.getSameSite())
                .partitioned(properties.isPartitioned())
                .idleTimeout(properties.getIdleTimeout())
                .absoluteTimeout(properties.getAbsoluteTimeout())
                .clockSkew(properties.getClockSkew())
                .refreshThreshold(properties.getRefreshThreshold())
                .maxCookieBytes(cookieBytes(properties))
                .verifiedCookieCacheBytes(properties.getVerifiedCookieCache() == null ? 0
                        : properties.getVerifiedCookieCache().toBytes());
        // Unset, these two follow the format's defaults (Flask's differ from chirp's).
        if (properties.getCookieName() != null) {
            builder.cookieName(properties.getCookieName());
        }
        if (properties.getSalt() != null) {
            builder.salt(properties.getSalt());
        }
        SessionStore chosen = store.getIfAvailable(CookieSessionStore::new);
        for (SessionStoreCustomizer customizer : customizers.orderedStream().toList()) {
            chosen = customizer.customize(chosen);
        }
        builder.store(chosen);
        listeners.orderedStream().forEach(builder::listener);
        versions.ifAvailable(builder::sessionVersions);
        return builder.build();
    }

    /**
     * Checks the secret before any bean is created, so that a missing one stops the start with the
     * failure analysis alone, before the web server starts and logs the failure of every filter bean.
     */
    @Bean
    static BeanFactoryPostProcessor chirpSessionSecretCheck(Environment environment) {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("chirpSessionConfig")) {
                SessionSecretException.requireUsable(secret(environment));
            }
        };
    }

    /** The middleware that every adapter shares. */
    @Bean
    @ConditionalOnMissingBean
    public SessionMiddleware chirpSessionMiddleware(SessionConfig config) {
        return new SessionMiddleware(config);
    }

    /**
     * The filter, for REQUEST, FORWARD, ASYNC and ERROR dispatches with async support, ordered by
     * {@code chirp.sessions.filter.order}. Backs off when the application registers a
     * {@code SessionFilter} itself.
     */
    @Bean
    @ConditionalOnMissingBean(value = SessionFilter.class, parameterizedContainer = FilterRegistrationBean.class)
    public FilterRegistrationBean<SessionFilter> chirpSessionFilter(SessionMiddleware middleware,
            ChirpSessionsProperties properties) {
        FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(middleware));
        // Every dispatch: a forward or error page must see (and may change) the same session, and an
        // async request commits its cookie on the last dispatch.
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC,
                DispatcherType.ERROR);
        bean.setAsyncSupported(true);
        bean.setOrder(properties.getFilter().getOrder());
        return bean;
    }

    /** The secret from {@value #SECRET_PROPERTY} (relaxed binding), else {@value #SECRET_ENVIRONMENT_VARIABLE}. */
    private static String secret(Environment environment) {
        return Binder.get(environment).bind(SECRET_PROPERTY, String.class)
                .orElseGet(() -> environment.getProperty(SECRET_ENVIRONMENT_VARIABLE));
    }

    private static int cookieBytes(ChirpSessionsProperties properties) {
        long bytes = properties.getMaxCookieSize() == null ? -1 : properties.getMaxCookieSize().toBytes();
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new ConfigurationException("chirp.sessions.max-cookie-size must be between 256B and 64KB: "
                    + properties.getMaxCookieSize() + "; leave it unset for 4KB, what every browser keeps");
        }
        return (int) bytes;
    }

    /**
     * The default store: the whole session in the signed cookie. Also conditional on the property, not only
     * on no other store: Spring registers member classes before imported ones, so a store configuration
     * imported from another file is registered after this one.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "chirp.sessions", name = "store", havingValue = "cookie", matchIfMissing = true)
    @ConditionalOnMissingBean({SessionStore.class, SessionConfig.class, SessionMiddleware.class})
    static class CookieStoreConfiguration {

        @Bean
        CookieSessionStore chirpSessionStore() {
            return new CookieSessionStore();
        }
    }

    /** {@code chirp.sessions.store=redis}: the Redis store on Boot's {@code spring.data.redis.*} settings. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisSessionStore.class)
    @ConditionalOnProperty(prefix = "chirp.sessions", name = "store", havingValue = "redis")
    @ConditionalOnMissingBean({SessionStore.class, SessionConfig.class, SessionMiddleware.class})
    static class RedisStoreConfiguration {

        @Bean(destroyMethod = "close")
        RedisSessionStore chirpSessionStore(Environment environment, ChirpSessionsProperties properties) {
            return BootRedisConnection.from(environment).store(properties.getRedis());
        }
    }
}
