package dev.chirp.sessions.springboot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/** Options of the PostgreSQL session store, {@code chirp.sessions.jdbc.*}. */
public class JdbcStoreProperties {

    /** When the store creates its table and indexes if missing, as Boot's own initialize-schema settings. */
    public enum InitializeSchema {
        /**
         * Only on an embedded database, as Boot's default: PostgreSQL never is one, so the table comes from
         * a migration (dev/chirp/sessions/jdbc/schema-postgresql.sql).
         */
        EMBEDDED,
        /** On every start, if missing (several nodes starting at once are safe). */
        ALWAYS,
        /** Never: the table comes from a migration. */
        NEVER
    }

    /** The session table, optionally schema-qualified; give each application sharing a database its own. */
    private String tableName = "chirp_session";

    /** Whether the store creates its table and indexes if missing. */
    private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

    /** How often expired sessions are deleted; 0 turns the schedule off (another node or job does it). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration cleanupInterval = Duration.ofMinutes(1);

    /** How long a request waits for PostgreSQL before it fails (keep Hikari's connection-timeout no longer). */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration timeout = Duration.ofSeconds(2);

    /** How many sessions one user may hold; a login past it ends the least recently seen. */
    private int maxSessionsPerUser = 100;

    /** Creates the default options. */
    public JdbcStoreProperties() {
    }

    /** The session table. */
    public String getTableName() {
        return tableName;
    }

    /** Sets the session table. */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /** When the table is created if missing. */
    public InitializeSchema getInitializeSchema() {
        return initializeSchema;
    }

    /** Sets when the table is created if missing. */
    public void setInitializeSchema(InitializeSchema initializeSchema) {
        this.initializeSchema = initializeSchema;
    }

    /** How often expired sessions are deleted; zero for never. */
    public Duration getCleanupInterval() {
        return cleanupInterval;
    }

    /** Sets how often expired sessions are deleted. */
    public void setCleanupInterval(Duration cleanupInterval) {
        this.cleanupInterval = cleanupInterval;
    }

    /** How long a request waits for PostgreSQL. */
    public Duration getTimeout() {
        return timeout;
    }

    /** Sets how long a request waits for PostgreSQL. */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** How many sessions one user may hold. */
    public int getMaxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /** Sets how many sessions one user may hold. */
    public void setMaxSessionsPerUser(int maxSessionsPerUser) {
        this.maxSessionsPerUser = maxSessionsPerUser;
    }
}
