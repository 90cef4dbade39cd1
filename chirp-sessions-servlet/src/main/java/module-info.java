/**
 * chirp-sessions for Jakarta Servlet 6 containers: {@link dev.chirp.sessions.servlet.SessionFilter}.
 */
module dev.chirp.sessions.servlet {
    requires transitive dev.chirp.sessions;
    requires transitive jakarta.servlet;

    exports dev.chirp.sessions.servlet;
}
