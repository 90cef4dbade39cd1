/**
 * chirp-sessions on PostgreSQL: a server-side {@link dev.chirp.sessions.SessionStore} on any JDBC
 * {@link javax.sql.DataSource}, for teams that run PostgreSQL and no Redis.
 */
module dev.chirp.sessions.jdbc {
    requires transitive dev.chirp.sessions;
    requires transitive java.sql;

    exports dev.chirp.sessions.jdbc;
}
