package dev.chirp.sessions;

import java.util.Optional;

/**
 * Tells the middleware a user's current session version, the Java form of chirp's
 * {@code AuthConfig.session_version}: a session whose {@code _session_version} differs from it is
 * revoked. Bumping the version in the application's user table (on "log out everywhere" or a password
 * change) therefore ends every session of that user, on every store, including cookies minted by a chirp
 * service that shares the secret.
 *
 * <p>Called at most once per request and user, and only for requests that touch a session holding a
 * {@code user_id}; it runs on the request thread, so it should be fast: cache it (for example in a
 * Caffeine cache with a short expiry, accepting that a revocation then takes up to that long) if the
 * version lives in a database.
 *
 * <p>A lookup that throws fails closed: the exception reaches the adapter as a
 * {@link SessionStoreException}, the request fails (a 500) and nothing is written, as when a server-side
 * store is down. The session is not treated as valid, and not ended either.
 */
@FunctionalInterface
public interface SessionVersionLookup {

    /**
     * Returns the user's current session version, or empty when there is none to check (then every
     * session of that user stays valid, as in chirp when {@code session_version} returns {@code None}).
     *
     * @param userId the session's {@code user_id}, as text (a number is given in decimal)
     */
    Optional<String> currentVersion(String userId);
}
