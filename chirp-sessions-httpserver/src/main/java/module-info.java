/**
 * chirp-sessions for the JDK's built-in HTTP server: {@link dev.chirp.sessions.httpserver.SessionHttpFilter}.
 */
module dev.chirp.sessions.httpserver {
    requires transitive dev.chirp.sessions;
    requires transitive jdk.httpserver;

    exports dev.chirp.sessions.httpserver;
}
