package dev.chirp.sessions;

import dev.chirp.sessions.signing.PayloadTooLargeException;

/**
 * Thrown when the session's {@code Set-Cookie} header would exceed the configured limit, before the
 * response commits: browsers drop such cookies silently, which loses the session without a trace.
 */
public class SessionTooLargeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String cookieName;
    private final int size;
    private final int limit;

    /** Creates the exception for cookie {@code cookieName} whose header is {@code size} bytes. */
    public SessionTooLargeException(String cookieName, int size, int limit) {
        super("session cookie '" + cookieName + "' must fit in " + limit + " bytes of Set-Cookie header: "
                + size + " bytes; store less in the session, or switch to a server-side store such as "
                + "RedisSessionStore");
        this.cookieName = cookieName;
        this.size = size;
        this.limit = limit;
    }

    /**
     * Creates the exception for cookie {@code cookieName} whose session JSON is over the serializer's
     * payload limit ({@link SessionConfig#maxPayloadBytes()}); {@link #size()} and {@link #limit()} are
     * then bytes of JSON.
     */
    public SessionTooLargeException(String cookieName, PayloadTooLargeException cause) {
        super("session cookie '" + cookieName + "' must hold at most " + cause.limit() + " bytes of JSON: "
                + cause.size() + " bytes; store less in the session, or switch to a server-side store such as "
                + "RedisSessionStore", cause);
        this.cookieName = cookieName;
        this.size = cause.size();
        this.limit = cause.limit();
    }

    /** The name of the cookie that was too large. */
    public String cookieName() {
        return cookieName;
    }

    /** The size of the whole {@code Set-Cookie} header value that was refused, in bytes. */
    public int size() {
        return size;
    }

    /** The configured limit in bytes. */
    public int limit() {
        return limit;
    }
}
