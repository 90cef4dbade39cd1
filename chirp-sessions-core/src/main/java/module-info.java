/**
 * chirp-sessions core: signed-cookie sessions wire-compatible with chirp and itsdangerous.
 */
module dev.chirp.sessions {
    requires com.fasterxml.jackson.core;

    exports dev.chirp.sessions;
    exports dev.chirp.sessions.json;
    exports dev.chirp.sessions.signing;
}
