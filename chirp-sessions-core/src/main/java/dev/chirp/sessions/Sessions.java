package dev.chirp.sessions;

import dev.chirp.sessions.internal.JsonValues;
import java.util.List;
import java.util.Optional;

/**
 * Static access to the current request's session, the Java form of chirp's {@code get_session()} and
 * {@code regenerate_session()}, plus chirp's {@code login()}/{@code logout()} behaviour. Works on the
 * thread that runs the request (the adapter binds it); code on other threads should be handed the
 * {@link Session} itself.
 */
public final class Sessions {

    /** The session key under which {@link #login(Object)} stores the user id. */
    public static final String USER_ID_KEY = "user_id";

    /**
     * The session key under which {@link #login(Object, String)} stores the user's session version, as
     * chirp's {@code login()} does; see {@link SessionConfig.Builder#sessionVersions}.
     */
    public static final String SESSION_VERSION_KEY = "_session_version";

    private static final ThreadLocal<SessionRequest> CURRENT = new ThreadLocal<>();

    private Sessions() {
    }

    /**
     * Returns the current request's session.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session get() {
        SessionRequest request = CURRENT.get();
        if (request == null) {
            throw new NoActiveSessionException();
        }
        return request.session();
    }

    /** Returns the current request's session, or empty outside a request. */
    public static Optional<Session> find() {
        SessionRequest request = CURRENT.get();
        return request == null ? Optional.empty() : Optional.of(request.session());
    }

    /**
     * Clears the session and forces a fresh cookie (see {@link Session#regenerate()}).
     *
     * @return the now empty session
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session regenerate() {
        return get().regenerate();
    }

    /**
     * Logs a user in: regenerates the session (so a session fixed by an attacker before login is
     * worthless) and stores {@code userId} under {@value #USER_ID_KEY}. When
     * {@linkplain SessionConfig.Builder#sessionVersions session versions} are configured, it also stores
     * the user's current version under {@value #SESSION_VERSION_KEY}, as chirp's {@code login()}.
     *
     * @param userId a JSON value identifying the user, usually a String or a number
     * @throws IllegalArgumentException if {@code userId} is not a JSON value (the session is untouched)
     * @throws SessionStoreException    if the configured version lookup fails (the session is untouched)
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session login(Object userId) {
        checkUserId(userId);
        SessionRequest request = current();
        String version = request.currentVersion(String.valueOf(userId)).orElse(null);
        return login(request, userId, version);
    }

    /**
     * Logs a user in as {@link #login(Object)} does, storing {@code version} (when not null) under
     * {@value #SESSION_VERSION_KEY}: the session is revoked once the configured
     * {@link SessionVersionLookup} answers another version for this user.
     *
     * @param userId  a JSON value identifying the user, usually a String or a number
     * @param version the user's current session version, or {@code null} to store none
     * @throws IllegalArgumentException if {@code userId} is not a JSON value (the session is untouched)
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session login(Object userId, String version) {
        checkUserId(userId);
        return login(current(), userId, version);
    }

    /**
     * Logs a user in as {@link #login(Object)} does, carrying the values under {@code keys} across the
     * regeneration (see {@link Session#regenerateKeeping}): {@code Sessions.loginKeeping(user.id(), "cart")}
     * keeps what the visitor put in the cart before logging in. Nothing else survives.
     *
     * @param userId a JSON value identifying the user, usually a String or a number
     * @param keys   the application's own top-level keys to keep
     * @throws IllegalArgumentException if {@code userId} is not a JSON value, or a key is one the session
     *                                  manages itself (the session is untouched)
     * @throws SessionStoreException    if the configured version lookup fails (the session is untouched)
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session loginKeeping(Object userId, String... keys) {
        checkUserId(userId);
        SessionRequest request = current();
        String version = request.currentVersion(String.valueOf(userId)).orElse(null);
        return login(request.session().regenerateKeeping(keys), userId, version);
    }

    /**
     * Regenerates the session keeping the values under {@code keys} (see {@link Session#regenerateKeeping}).
     *
     * @return the session, holding only the kept keys
     * @throws IllegalArgumentException if a key is one the session manages itself (the session is untouched)
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Session regenerateKeeping(String... keys) {
        return get().regenerateKeeping(keys);
    }

    private static Session login(SessionRequest request, Object userId, String version) {
        return login(request.session().regenerate(), userId, version);
    }

    private static Session login(Session session, Object userId, String version) {
        session.put(USER_ID_KEY, userId);
        if (version != null) {
            session.put(SESSION_VERSION_KEY, version);
        }
        return session;
    }

    private static void checkUserId(Object userId) {
        JsonValues.Invalid bad = JsonValues.firstInvalid(userId, 0, false);
        // Checked before regenerating, so a bad id does not log the current user out.
        if (bad != null && bad.text()) {
            throw new IllegalArgumentException(
                    bad.textMessage("userId", "(root)".equals(bad.path()) ? "userId" : "userId" + bad.path()));
        }
        if (bad != null) {
            throw new IllegalArgumentException("userId must be a JSON value such as a String or a number: "
                    + bad.type() + "; pass user.getId().toString() or the numeric id");
        }
    }

    private static SessionRequest current() {
        SessionRequest request = CURRENT.get();
        if (request == null) {
            throw new NoActiveSessionException();
        }
        return request;
    }

    /**
     * Logs the user out: regenerates the session, dropping everything in it.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static void logout() {
        regenerate();
    }

    /**
     * The logged-in user's id, if any.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static Optional<Object> userId() {
        return Optional.ofNullable(get().get(USER_ID_KEY));
    }

    /**
     * Stores a one-time message for the user's next page, as Flask's {@code flash()}: it stays in the
     * session until {@link #flashes()} takes it, so it survives exactly one redirect.
     *
     * @param category what kind of message, for styling (for example {@code "info"} or {@code "error"})
     * @param message  the text to show
     * @throws NullPointerException     if {@code category} or {@code message} is null
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static void flash(String category, String message) {
        Flash.add(get(), new Flash(category, message));
    }

    /**
     * Stores a one-time message in the category {@value Flash#DEFAULT_CATEGORY}; see
     * {@link #flash(String, String)}.
     *
     * @throws NullPointerException     if {@code message} is null
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static void flash(String message) {
        flash(Flash.DEFAULT_CATEGORY, message);
    }

    /**
     * Takes the pending flash messages out of the session, oldest first: a page that shows them calls
     * this once, and the next page shows none. Returns an empty list (and changes nothing) when there are
     * none.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static List<Flash> flashes() {
        return Flash.takeAll(get());
    }

    static SessionRequest bind(SessionRequest request) {
        SessionRequest previous = CURRENT.get();
        CURRENT.set(request);
        return previous;
    }

    static void restore(SessionRequest previous) {
        // set(null), not remove(): remove() drops the thread's entry, which the next request's bind()
        // allocates again. A null value keeps no request (nor any class of the application) alive.
        CURRENT.set(previous);
    }
}
