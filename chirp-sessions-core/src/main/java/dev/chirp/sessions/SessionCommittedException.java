package dev.chirp.sessions;

/**
 * Thrown when code changes a session after its cookie was written: the change could never reach the
 * browser, and dropping it in silence would lose data. Change the session before the response is
 * flushed, redirected or completed.
 */
public class SessionCommittedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code operation} names what was attempted, such as {@code put("cart")}. */
    public SessionCommittedException(String operation) {
        super("too late to change the session: " + operation + " came after the session cookie was written "
                + "(the response was flushed, redirected, completed or sent an error); make the change "
                + "before the response commits");
    }
}
