-- chirp-sessions: the session table for PostgreSQL 14 or newer (chirp-sessions-jdbc).
-- Run it by hand, from Flyway or Liquibase, or let JdbcSessionStore.builder(...).createTableIfMissing(true)
-- run it. For another table name replace every "chirp_session" below (index names included).

-- One row per session. The primary key is SHA-256 of "session:" + the session id: a dump, backup or
-- replica of this table holds no id that a browser could present. Its first 8 bytes are the session's
-- fingerprint, which UserSessionRegistry.revoke(user, fingerprint) takes.
CREATE TABLE IF NOT EXISTS chirp_session (
    id_hash      bytea       NOT NULL PRIMARY KEY,
    user_tag     text,
    data         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- The cleanup takes the oldest expired rows through this index, a small batch at a time.
CREATE INDEX IF NOT EXISTS chirp_session_expires_at_idx ON chirp_session (expires_at);

-- A user's sessions (listing, revoking, the per-user cap), most recently seen first.
CREATE INDEX IF NOT EXISTS chirp_session_user_tag_idx ON chirp_session (user_tag, last_seen_at)
    WHERE user_tag IS NOT NULL;
