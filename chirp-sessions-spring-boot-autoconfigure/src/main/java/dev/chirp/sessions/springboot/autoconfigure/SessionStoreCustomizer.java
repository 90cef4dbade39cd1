package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionStore;

/**
 * Wraps or replaces the {@link SessionStore} that the auto-configured {@code SessionConfig} uses, for
 * example to time its calls (the metrics auto-configuration does). Beans of this type are applied in
 * their {@code @Order}.
 */
@FunctionalInterface
public interface SessionStoreCustomizer {

    /** Returns the store to use instead of {@code store} (or {@code store} itself). */
    SessionStore customize(SessionStore store);
}
