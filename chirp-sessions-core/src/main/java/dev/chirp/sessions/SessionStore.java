package dev.chirp.sessions;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where session data lives between requests. The cookie always carries a signed JSON object, the
 * <em>cookie payload</em>; a store decides what that object is. {@link CookieSessionStore} (the
 * default) puts the whole session in it; a server-side store puts a random id in it and keeps the data
 * itself.
 *
 * <p>The middleware calls a store only for requests that touch the session, and never asks it to save
 * an empty session, so a server-side store creates nothing for requests that store nothing. Methods are
 * called from request threads concurrently; implementations must be thread-safe. A backend failure is
 * a {@link SessionStoreException}: the request fails rather than run with the wrong session.
 */
public interface SessionStore {

    /**
     * Returns the session data that a verified, unexpired cookie payload refers to, or {@code null} if
     * the store no longer holds it (expired, deleted or revoked). The caller owns the returned map and
     * may change it.
     *
     * <p>{@code cookiePayload} is the request's own top-level map, but the lists and maps inside it may be
     * shared with the verified-cookie cache (and so with other requests): a store may return the payload
     * itself, or change its top level, but must not change anything nested in it.
     *
     * @throws SessionStoreException if the backend cannot answer
     */
    Map<String, Object> load(Map<String, Object> cookiePayload);

    /**
     * Stores {@code data} (never empty) and returns the payload to sign into the cookie, or {@code null}
     * if {@code current} names a session that no longer exists (deleted by a concurrent logout or
     * regenerate, or expired while the request ran): the middleware then writes no cookie, so a slow
     * response cannot replace the browser's newer cookie with a dead one.
     *
     * @param current    the payload the request arrived with, or {@code null} for a new or regenerated
     *                   session (a server-side store must then mint a new id). When not null, the same
     *                   request loaded it successfully first, so a store may refuse to resurrect a
     *                   session that was deleted in between (for example by a concurrent logout).
     * @param data       the session, including the timeout stamps {@code __created_at} and
     *                   {@code __last_seen_at} when timeouts are configured
     * @param timeToLive how long the data must be kept from now
     * @throws SessionStoreException if the backend cannot store it
     */
    Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive);

    /**
     * Stores {@code data} as {@link #save(Map, Map, Duration)} does, told which top-level keys this
     * request changed, so that a server-side store can apply only those changes and keep what concurrent
     * requests of the same session changed meanwhile (see {@link SessionChanges} for the conflict policy).
     * The middleware always calls this method. The default ignores {@code changes} and saves the whole
     * session, which is right for a store that keeps the data in the cookie and keeps existing stores
     * working unchanged.
     *
     * @param current    as for {@link #save(Map, Map, Duration)}
     * @param data       the whole session after this request, with its timeout stamps
     * @param changes    which keys this request set or removed; {@link SessionChanges#whole()} when
     *                   {@code current} is {@code null} or the session was regenerated, and always for
     *                   {@link CookieSessionStore}
     * @param timeToLive how long the data must be kept from now
     * @throws SessionStoreException if the backend cannot store it
     */
    default Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, SessionChanges changes,
            Duration timeToLive) {
        return save(current, data, timeToLive);
    }

    /**
     * Forgets the session that {@code cookiePayload} refers to, and says whether it still existed. Called
     * as soon as a session is regenerated (so the old cookie is dead at once) and when a session becomes
     * empty: then {@code false} (ended meanwhile, for example by a login in another tab) means the
     * response sends no deletion cookie, which could delete the browser's newer cookie.
     *
     * @return whether the store still held the session; a store that keeps nothing returns {@code true}
     * @throws SessionStoreException if the backend cannot delete it
     */
    boolean delete(Map<String, Object> cookiePayload);

    /**
     * Extends the life of an unchanged session whose cookie is being re-issued (a sliding refresh or a
     * key rotation), and returns the payload to sign into the new cookie, or {@code null} if the session
     * no longer exists (then no cookie is written). The default saves {@code data} again, which is right
     * for a store that keeps the data in the cookie. A server-side store must not rewrite the data here
     * (a concurrent request may have changed it since this one loaded it): it extends the expiry of
     * what it holds and returns {@code cookiePayload} unchanged. The idle timeout then counts from the
     * new cookie's signing time, so the stamps need not be stored again.
     *
     * @param cookiePayload the verified payload the request arrived with (never {@code null})
     * @param data          the unchanged session, with its timeout stamps
     * @param timeToLive    how long the data must be kept from now
     * @throws SessionStoreException if the backend cannot extend it
     */
    default Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> data,
            Duration timeToLive) {
        return save(cookiePayload, data, timeToLive);
    }

    /**
     * A short, non-secret name for the session that {@code cookiePayload} refers to, which an
     * application may show ("this device") and pass back to the store's own revocation methods; never
     * the id itself, which a store may treat as a credential. The default has none, which is right for a
     * store that keeps the data in the cookie.
     *
     * @param cookiePayload a verified payload this store returned
     */
    default Optional<String> fingerprint(Map<String, Object> cookiePayload) {
        return Optional.empty();
    }
}
