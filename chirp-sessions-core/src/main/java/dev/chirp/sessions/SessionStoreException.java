package dev.chirp.sessions;

/**
 * Thrown when a session store's backend fails (for example Redis is unreachable). Sessions fail closed:
 * the request fails rather than run with an empty or stale session.
 */
public class SessionStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message saying what failed and the backend's cause. */
    public SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
