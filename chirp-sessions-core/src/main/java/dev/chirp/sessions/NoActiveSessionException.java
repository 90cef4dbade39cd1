package dev.chirp.sessions;

/**
 * Thrown by {@link Sessions#get()} and {@link Sessions#regenerate()} when no session middleware is
 * handling a request on the calling thread (chirp raises {@code LookupError} here).
 */
public class NoActiveSessionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with an adapter's own explanation.
     *
     * @param message what has no session and what to do instead
     */
    public NoActiveSessionException(String message) {
        super(message);
    }

    /** Creates the exception with the standard explanation. */
    public NoActiveSessionException() {
        super("no session is active on this thread: Sessions.get() works only inside a request handled by "
                + "a session middleware (dev.chirp.sessions.servlet.SessionFilter, "
                + "dev.chirp.sessions.httpserver.SessionHttpFilter or SessionMiddleware.begin(...).bind()); "
                + "add the middleware, or pass the Session to code that runs on another thread. On Spring "
                + "WebFlux handlers run on shared event-loop threads and Sessions.get() is never bound there: "
                + "use exchange.getSession(), a WebSession argument or WebFluxSessions.session(exchange)");
    }
}
