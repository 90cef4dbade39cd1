package dev.chirp.sessions;

/**
 * A user's sessions in a server-side {@link SessionStore}: list them, end one, end all ("log out
 * everywhere") or all but the current one. Every server-side store of this project implements it (Redis,
 * PostgreSQL); the cookie store cannot, since it keeps nothing. Applications and frameworks (the Spring
 * Boot starter exposes it as a bean) use this interface, never a store class.
 *
 * <p>A session belongs to a user once {@link Sessions#login} stored its {@value Sessions#USER_ID_KEY}.
 * User ids are compared as text: {@code 42} and {@code "42"} are the same user.
 *
 * <p>Every call does bounded work, whatever one user did: a store keeps at most
 * {@link #maxSessionsPerUser()} sessions per user (a login past the cap ends that user's least recently
 * seen sessions, as Spring Security's {@code maximumSessions} does), lists a page at a time, and ends
 * sessions in bounded batches.
 */
public interface UserSessionRegistry {

    /** The usual cap on one user's sessions: {@value}. */
    int DEFAULT_MAX_SESSIONS_PER_USER = 100;

    /**
     * Lists up to {@code limit} of the user's live sessions, most recently seen first, with the number of
     * live sessions in all. Never the data or the ids.
     *
     * @param userId the session's {@code user_id}, as stored (a String or a number)
     * @param limit  the page size, at least 1
     * @throws IllegalArgumentException if {@code limit} is smaller than 1
     * @throws SessionStoreException    if the backend cannot answer
     */
    UserSessionPage sessionsOf(Object userId, int limit);

    /**
     * Ends one of the user's sessions, named by its fingerprint: its next request finds no session.
     *
     * @return whether such a session of this user existed
     * @throws SessionStoreException if the backend cannot answer
     */
    boolean revoke(Object userId, String fingerprint);

    /**
     * Ends every session of the user ("log out everywhere"). A login that completes after this call is
     * not affected.
     *
     * @return how many sessions were ended
     * @throws SessionStoreException if the backend cannot answer
     */
    default int revokeAll(Object userId) {
        return revokeAllExcept(userId, null);
    }

    /**
     * Ends every session of the user but the one named by {@code keepFingerprint} ("log out other
     * devices"; pass {@code Sessions.get().fingerprint()}).
     *
     * @param keepFingerprint the session to keep, or {@code null} to end all
     * @return how many sessions were ended
     * @throws SessionStoreException if the backend cannot answer
     */
    int revokeAllExcept(Object userId, String keepFingerprint);

    /** How many sessions one user may hold; a login past it ends the least recently seen. */
    int maxSessionsPerUser();
}
