/**
 * chirp-sessions on Redis: a server-side {@link dev.chirp.sessions.SessionStore} on Lettuce, for sessions
 * that outgrow a cookie or must be revocable everywhere at once.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.chirp.sessions.redis {
    requires transitive dev.chirp.sessions;
    // Lettuce types (RedisURI, RedisClient, connections) appear in the builder's signatures.
    requires transitive lettuce.core;
    requires com.fasterxml.jackson.core;

    exports dev.chirp.sessions.redis;
}
