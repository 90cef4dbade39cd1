package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionListener;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionVersionLookup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@link SessionConfig} of the {@code chirp.sessions.*} properties, built one way for the servlet and
 * the WebFlux auto-configurations. Free of servlet and WebFlux types, so either can load it without the
 * other's API on the class path.
 */
final class PropertiesSessionConfig {

    private PropertiesSessionConfig() {
    }

    /**
     * The configuration with the store, every listener and the version lookup if there is one.
     *
     * @throws SessionSecretException if the secret is missing, short or a placeholder
     * @throws ConfigurationException if another property breaks a rule
     */
    static SessionConfig build(ChirpSessionsProperties properties, Environment environment,
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

    /** The secret from {@value ChirpSessionsAutoConfiguration#SECRET_PROPERTY} (relaxed binding), else {@value ChirpSessionsAutoConfiguration#SECRET_ENVIRONMENT_VARIABLE}. */
    static String secret(Environment environment) {
        return Binder.get(environment).bind(ChirpSessionsAutoConfiguration.SECRET_PROPERTY, String.class)
                .orElseGet(() -> environment.getProperty(ChirpSessionsAutoConfiguration.SECRET_ENVIRONMENT_VARIABLE));
    }

    private static int cookieBytes(ChirpSessionsProperties properties) {
        long bytes = properties.getMaxCookieSize() == null ? -1 : properties.getMaxCookieSize().toBytes();
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new ConfigurationException("chirp.sessions.max-cookie-size must be between 256B and 64KB: "
                    + properties.getMaxCookieSize() + "; leave it unset for 4KB, what every browser keeps");
        }
        return (int) bytes;
    }
}
