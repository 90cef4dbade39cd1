package dev.chirp.sessions.jdbc;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.json.SessionJson;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A {@link SessionStore} that keeps session data in a PostgreSQL (14 or newer) table through any JDBC
 * {@link DataSource}; the cookie carries only a signed random session id.
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder(dataSource).createTableIfMissing(true).build();
 * SessionConfig config = SessionConfig.builder(secret).store(store).build();
 * }</pre>
 *
 * <ul>
 *   <li>The table is the class-path resource {@code dev/chirp/sessions/jdbc/schema-postgresql.sql}
 *       ({@link #schema(String)} gives it for another name): one row per session, the data as
 *       {@code jsonb} (the session's JSON, never Java serialization), the user tag, creation, last-seen
 *       and expiry times as columns. The primary key is SHA-256 of the session id, never the id: a dump,
 *       backup or replica of the table holds no session anyone can use.</li>
 *   <li>The cookie payload is the one every server-side store of this project uses ({@link SessionIds}):
 *       {@code {"sid": ...}}, plus the user tag {@code "u"} of a session holding a
 *       {@value Sessions#USER_ID_KEY}.</li>
 *   <li>Statements per request: a load is one {@code SELECT} (expired rows are never returned); saving an
 *       existing session is one {@code UPDATE} that merges the request's {@link SessionChanges} into the
 *       stored {@code jsonb}, on a live row only, so a concurrent logout is never undone and two requests
 *       adding the same key never fail; a new session is one {@code INSERT} (for a logged-in one, the
 *       same statement ends the user's sessions past {@link Builder#maxSessionsPerUser}); a throttled
 *       refresh of an unchanged session is one {@code UPDATE} of its expiry.</li>
 *   <li>Expired rows are deleted by {@link #deleteExpired()}, which the store runs on its own thread
 *       every {@link Builder#cleanupInterval} (default 1 minute, off with {@link Duration#ZERO}) in
 *       batches of {@code FOR UPDATE SKIP LOCKED}: any number of nodes may run it at once, without
 *       deadlock or double work.</li>
 *   <li>Fails closed and fast: each call sets the connection's network timeout to
 *       {@link Builder#timeout} (default 2 seconds), so a database that is down or slow makes the call
 *       throw {@link SessionStoreException}; after such a failure a circuit breaker fails every call at
 *       once while one probe at a time checks the database, and its first answer closes the breaker.
 *       Set the pool's own wait for a free connection (HikariCP's {@code connectionTimeout}) no longer
 *       than this timeout: no {@code DataSource} method bounds it.</li>
 * </ul>
 *
 * <p>Close the store at shutdown: it stops its thread; the {@code DataSource} is the application's and
 * stays open.
 */
public final class JdbcSessionStore implements SessionStore, UserSessionRegistry, AutoCloseable {

    /** The default table name: {@value}. */
    public static final String DEFAULT_TABLE_NAME = SessionTable.DEFAULT_NAME;
    /** The class-path resource holding the table's DDL for the default name: {@value}. */
    public static final String SCHEMA_RESOURCE = SessionTable.SCHEMA_RESOURCE;
    /** The default time a call waits for PostgreSQL before it fails: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** The default time between two cleanups of expired rows: 1 minute. */
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);
    /** The default number of expired rows one cleanup statement deletes: {@value}. */
    public static final int DEFAULT_CLEANUP_BATCH_SIZE = 500;

    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BATCHES_PER_CLEANUP = 10_000;
    private static final long PROBE_PAUSE_MILLIS = 200;
    private static final HexFormat HEX = HexFormat.of();
    private static final Executor SAME_THREAD = Runnable::run;

    private final DataSource dataSource;
    private final SessionTable table;
    private final Duration timeout;
    private final int timeoutMillis;
    private final int maxSessionsPerUser;
    private final int cleanupBatchSize;
    private final String what;
    private final ScheduledThreadPoolExecutor thread;
    private final JdbcCircuitBreaker breaker;
    private volatile boolean closed;

    private JdbcSessionStore(Builder builder) {
        this.dataSource = builder.dataSource;
        this.table = builder.table;
        this.timeout = builder.timeout;
        this.timeoutMillis = (int) builder.timeout.toMillis();
        this.maxSessionsPerUser = builder.maxSessionsPerUser;
        this.cleanupBatchSize = builder.cleanupBatchSize;
        this.what = "PostgreSQL (table " + table.name + ")";
        this.thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "chirp-sessions-jdbc " + table.name);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.breaker = new JdbcCircuitBreaker(this::probe, thread, PROBE_PAUSE_MILLIS, what);
    }

    // --- building ---

    /**
     * Starts a store on a {@code DataSource} of a PostgreSQL 14 or newer database (any pool; HikariCP in
     * the docs). Its connections must be in auto-commit mode, as pools hand them out by default.
     *
     * @throws ConfigurationException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw new ConfigurationException("dataSource must not be null: null; pass the application's "
                    + "DataSource, such as a HikariDataSource on a jdbc:postgresql:// URL");
        }
        return new Builder(dataSource);
    }

    /**
     * The table's DDL (the resource {@value #SCHEMA_RESOURCE}) for a table name, to run by hand or from a
     * migration tool.
     *
     * @throws ConfigurationException if the name is not a valid table name (see {@link Builder#tableName})
     */
    public static String schema(String tableName) {
        return SessionTable.named(tableName).schema();
    }

    /** Options for a {@link JdbcSessionStore}; every method checks its argument at once. */
    public static final class Builder {
        private final DataSource dataSource;
        private SessionTable table = SessionTable.named(DEFAULT_TABLE_NAME);
        private boolean createTableIfMissing;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxSessionsPerUser = DEFAULT_MAX_SESSIONS_PER_USER;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private int cleanupBatchSize = DEFAULT_CLEANUP_BATCH_SIZE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The session table, default {@value JdbcSessionStore#DEFAULT_TABLE_NAME}. Give each application
         * sharing a database its own table.
         *
         * @throws ConfigurationException unless it is an unquoted lower-case SQL identifier of at most 40
         *                                characters, optionally after a schema and a dot
         */
        public Builder tableName(String tableName) {
            this.table = SessionTable.named(tableName);
            return this;
        }

        /**
         * Whether {@link #build()} creates the table and its indexes when they are missing, default
         * {@code false} (create them with the schema resource, by hand or from a migration tool). Several
         * nodes starting at once are safe: the creation runs under an advisory lock.
         */
        public Builder createTableIfMissing(boolean createTableIfMissing) {
            this.createTableIfMissing = createTableIfMissing;
            return this;
        }

        /**
         * How long a call waits for PostgreSQL before it fails with {@link SessionStoreException}, default
         * 2 seconds: the network timeout of each connection while the store uses it. Once a call timed out
         * or found the database down, calls fail at once until a probe gets an answer.
         *
         * @throws ConfigurationException unless it is between 1 millisecond and 1 minute
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new ConfigurationException("timeout must be between 1 millisecond and 1 minute: " + timeout
                        + "; a request waits this long for PostgreSQL before it fails, so keep it short "
                        + "(default 2 seconds)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How many sessions one user may hold, default
         * {@value UserSessionRegistry#DEFAULT_MAX_SESSIONS_PER_USER}; a login past it ends the user's least
         * recently seen sessions in the same statement that stores the new one.
         *
         * @throws ConfigurationException unless it is between 1 and 10000
         */
        public Builder maxSessionsPerUser(int maxSessionsPerUser) {
            if (maxSessionsPerUser < 1 || maxSessionsPerUser > 10_000) {
                throw new ConfigurationException("maxSessionsPerUser must be between 1 and 10000: "
                        + maxSessionsPerUser + "; it bounds the work of listing and revoking a user's sessions "
                        + "(default " + DEFAULT_MAX_SESSIONS_PER_USER + ")");
            }
            this.maxSessionsPerUser = maxSessionsPerUser;
            return this;
        }

        /**
         * How often the store deletes expired rows, default 1 minute; {@link Duration#ZERO} turns the
         * schedule off (call {@link JdbcSessionStore#deleteExpired()} yourself, or let another node do it).
         * The first run comes after a random part of the interval, so nodes started together spread out.
         *
         * @throws ConfigurationException if it is null or negative, or zero but under 1 second
         */
        public Builder cleanupInterval(Duration cleanupInterval) {
            if (cleanupInterval == null || cleanupInterval.isNegative()
                    || !cleanupInterval.isZero() && cleanupInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new ConfigurationException("cleanupInterval must be zero (off) or at least 1 second: "
                        + cleanupInterval + "; expired rows are never read, so a few minutes is fine (default "
                        + "1 minute)");
            }
            this.cleanupInterval = cleanupInterval;
            return this;
        }

        /**
         * How many expired rows one cleanup statement deletes, default
         * {@value JdbcSessionStore#DEFAULT_CLEANUP_BATCH_SIZE}: small batches hold few locks for a short time.
         *
         * @throws ConfigurationException unless it is between 1 and 100000
         */
        public Builder cleanupBatchSize(int cleanupBatchSize) {
            if (cleanupBatchSize < 1 || cleanupBatchSize > 100_000) {
                throw new ConfigurationException("cleanupBatchSize must be between 1 and 100000: "
                        + cleanupBatchSize + "; small batches keep each delete short (default "
                        + DEFAULT_CLEANUP_BATCH_SIZE + ")");
            }
            this.cleanupBatchSize = cleanupBatchSize;
            return this;
        }

        /**
         * Checks the table (creating it first if {@link #createTableIfMissing} is set) and returns the store.
         * Checking now means a missing table or a database that is down at deploy time fails the deploy, not
         * the first user; later outages are survived.
         *
         * @throws ConfigurationException if the table or one of its columns is missing
         * @throws SessionStoreException  if the database cannot be reached
         */
        public JdbcSessionStore build() {
            JdbcSessionStore store = new JdbcSessionStore(this);
            try {
                store.prepare(createTableIfMissing);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            if (!cleanupInterval.isZero()) {
                long every = cleanupInterval.toMillis();
                store.thread.scheduleWithFixedDelay(store::cleanupQuietly,
                        ThreadLocalRandom.current().nextLong(every) + 1, every, TimeUnit.MILLISECONDS);
            }
            return store;
        }
    }

    private void prepare(boolean create) {
        try (Connection c = connection()) {
            // Creating the table may wait for a lock or the catalog far longer than a request should wait.
            c.setNetworkTimeout(SAME_THREAD, (int) Math.max(timeoutMillis, SCHEMA_TIMEOUT.toMillis()));
            if (create) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    // One node at a time: CREATE ... IF NOT EXISTS run concurrently can still fail on the
                    // catalog's unique indexes.
                    s.execute("SELECT pg_advisory_xact_lock(hashtext('chirp-sessions-jdbc schema'))");
                    s.execute(table.schema());
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery(table.check).close();
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState())) {
                    throw new ConfigurationException("tableName must name a table created from " + SCHEMA_RESOURCE
                            + ": \"" + table.name + "\" is missing or lacks a column (SQL state " + e.getSQLState()
                            + "); run JdbcSessionStore.schema(\"" + table.name + "\") in a migration, or call "
                            + "createTableIfMissing(true)");
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("the table check", e);
        }
    }

    // --- SessionStore ---

    @Override
    public Map<String, Object> load(Map<String, Object> cookiePayload) {
        String id = SessionIds.idOf(cookiePayload);
        if (id == null) {
            return null; // for example a cookie from the cookie store signed with the same secret
        }
        String json = call("SELECT", c -> {
            try (PreparedStatement s = c.prepareStatement(table.load)) {
                s.setBytes(1, SessionIds.digest(id));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
        if (json == null) {
            return null;
        }
        try {
            if (SessionJson.read(json) instanceof Map<?, ?> data) {
                @SuppressWarnings("unchecked")
                Map<String, Object> session = (Map<String, Object>) data;
                return session;
            }
        } catch (IOException e) {
            // jsonb only holds valid JSON; this is JSON beyond what the reader accepts (nesting depth).
        }
        // Not an object (a row someone wrote by hand): start afresh rather than fail this user's every
        // request. Neither the id nor the content goes to the log.
        JdbcCircuitBreaker.LOG.log(Level.WARNING, "chirp-sessions: a session in " + what + " cannot be read as "
                + "a session object; the request gets a new, empty session");
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Saves the whole session: the same as {@link #save(Map, Map, SessionChanges, Duration)} with
     * {@link SessionChanges#whole()}.
     */
    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive) {
        return save(current, data, SessionChanges.whole(), timeToLive);
    }

    /**
     * {@inheritDoc}
     *
     * <p>For an existing session this is one {@code UPDATE} of a live row that removes the removed keys,
     * writes the changed ones and keeps the stamps from moving backwards; when the row is gone (a
     * concurrent logout or regenerate deleted it, or it expired while the request ran) nothing is written
     * and the result is {@code null}, so the response sends no cookie. A new session is one
     * {@code INSERT}.
     */
    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, SessionChanges changes,
            Duration timeToLive) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(changes, "changes");
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        String id = current == null ? null : SessionIds.idOf(current);
        Object user = data.get(Sessions.USER_ID_KEY);
        String tag = user == null ? null : SessionIds.userTag(user);
        if (id != null && !Objects.equals(tag, SessionIds.userTagOf(current))) {
            // The user changed without a regenerate (user_id put by hand): the session gets a new id, as
            // a login's would, unless a concurrent logout ended it meanwhile.
            if (!delete(current)) {
                return null;
            }
            id = null;
        }
        if (id != null) {
            return merge(id, tag, data, changes, ttlMillis);
        }
        String json = SessionJson.write(data);
        for (int attempt = 0; attempt < 3; attempt++) {
            String newId = SessionIds.newId();
            boolean inserted = call("INSERT", c -> insert(c, newId, tag, json, ttlMillis));
            if (inserted) {
                return SessionIds.payload(newId, tag);
            }
        }
        throw new SessionStoreException("session store failed: three fresh random session ids were all taken in "
                + what + "; the random number generator is broken", null);
    }

    private boolean insert(Connection c, String id, String tag, String json, long ttlMillis) throws SQLException {
        // ON CONFLICT DO NOTHING: a fresh id must never overwrite a session, however unlikely a
        // collision of 192 bits is.
        try (PreparedStatement s = c.prepareStatement(tag == null ? table.insert : table.insertCapped)) {
            s.setBytes(1, SessionIds.digest(id));
            s.setString(2, tag);
            s.setString(3, json);
            s.setLong(4, ttlMillis);
            if (tag == null) {
                return s.executeUpdate() == 1;
            }
            s.setString(5, tag);
            s.setInt(6, maxSessionsPerUser - 1);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getLong(1) == 1;
            }
        }
    }

    private Map<String, Object> merge(String id, String tag, Map<String, Object> data, SessionChanges changes,
            long ttlMillis) {
        Map<String, Object> changed;
        List<String> removed = new ArrayList<>(changes.removed());
        if (changes.isWhole()) {
            changed = data;
        } else {
            changed = new LinkedHashMap<>();
            for (String key : changes.changed()) {
                if (data.containsKey(key)) {
                    changed.put(key, data.get(key));
                } else {
                    removed.add(key); // changed, then removed by the same request
                }
            }
        }
        String json = SessionJson.write(changed);
        String[] gone = removed.toArray(new String[0]);
        int updated = call("UPDATE", c -> {
            try (PreparedStatement s = c.prepareStatement(table.merge)) {
                s.setBoolean(1, changes.isWhole());
                s.setArray(2, c.createArrayOf("text", gone));
                s.setLong(3, ttlMillis);
                s.setString(4, json);
                s.setBytes(5, SessionIds.digest(id));
                return s.executeUpdate();
            }
        });
        // Not written when the row is gone: a revoked session is not brought back, and returning null
        // (not the old id) keeps the response from putting the dead id back in the browser.
        return updated == 1 ? SessionIds.payload(id, tag) : null;
    }

    @Override
    public boolean delete(Map<String, Object> cookiePayload) {
        String id = SessionIds.idOf(cookiePayload);
        if (id == null) {
            return false;
        }
        return call("DELETE", c -> {
            try (PreparedStatement s = c.prepareStatement(table.delete)) {
                s.setBytes(1, SessionIds.digest(id));
                return anyTrue(s);
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>This is one {@code UPDATE} of the expiry and last-seen time: {@code data} is ignored, because
     * writing back what this request loaded would undo a change another request made meanwhile. When the
     * row is gone the result is {@code null}, so the response sends no cookie.
     */
    @Override
    public Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> data,
            Duration timeToLive) {
        String id = SessionIds.idOf(cookiePayload);
        if (id == null) {
            return null; // never loaded, so there is nothing to extend
        }
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        int updated = call("UPDATE", c -> {
            try (PreparedStatement s = c.prepareStatement(table.touch)) {
                s.setLong(1, ttlMillis);
                s.setBytes(2, SessionIds.digest(id));
                return s.executeUpdate();
            }
        });
        return updated == 1 ? cookiePayload : null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the first 16 hex characters of the SHA-256 that is the row's key, the name
     * {@link #sessionsOf} lists and {@link #revoke} takes.
     */
    @Override
    public Optional<String> fingerprint(Map<String, Object> cookiePayload) {
        String id = SessionIds.idOf(cookiePayload);
        return id == null ? Optional.empty() : Optional.of(SessionIds.fingerprint(id));
    }

    // --- a user's sessions ---

    /**
     * {@inheritDoc}
     *
     * <p>One {@code SELECT} on the user's index; only sessions logged in through {@code Sessions.login}
     * (any session holding a {@code user_id}) belong to a user.
     */
    @Override
    public UserSessionPage sessionsOf(Object userId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        String tag = SessionIds.userTag(Objects.requireNonNull(userId, "userId"));
        return call("SELECT", c -> {
            try (PreparedStatement s = c.prepareStatement(table.list)) {
                s.setString(1, tag);
                s.setInt(2, limit);
                List<UserSession> sessions = new ArrayList<>();
                long total = 0;
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        sessions.add(new UserSession(HEX.formatHex(r.getBytes(1)),
                                r.getTimestamp(2).toInstant(), r.getTimestamp(3).toInstant()));
                        total = r.getLong(4);
                    }
                }
                return new UserSessionPage(sessions, (int) Math.min(Integer.MAX_VALUE, total));
            }
        });
    }

    @Override
    public boolean revoke(Object userId, String fingerprint) {
        String tag = SessionIds.userTag(Objects.requireNonNull(userId, "userId"));
        if (!SessionIds.isFingerprint(Objects.requireNonNull(fingerprint, "fingerprint"))) {
            return false;
        }
        return call("DELETE", c -> {
            try (PreparedStatement s = c.prepareStatement(table.revoke)) {
                s.setString(1, tag);
                s.setBytes(2, HEX.parseHex(fingerprint));
                return anyTrue(s);
            }
        });
    }

    @Override
    public int revokeAllExcept(Object userId, String keepFingerprint) {
        String tag = SessionIds.userTag(Objects.requireNonNull(userId, "userId"));
        byte[] keep = SessionIds.isFingerprint(keepFingerprint) ? HEX.parseHex(keepFingerprint) : null;
        long ended = call("DELETE", c -> {
            try (PreparedStatement s = c.prepareStatement(table.revokeAllExcept)) {
                s.setString(1, tag);
                if (keep == null) {
                    s.setNull(2, Types.BINARY);
                } else {
                    s.setBytes(2, keep);
                }
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
        return (int) ended;
    }

    @Override
    public int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    // --- cleanup ---

    /**
     * Deletes expired rows, a batch of {@link Builder#cleanupBatchSize} per statement, until a batch comes
     * back short (at most 10,000 batches per call, so a call is bounded). Rows another node is deleting
     * are skipped, not waited for. The store runs it on its own schedule; call it yourself when the
     * schedule is off.
     *
     * @return how many rows this call deleted
     * @throws SessionStoreException if the database cannot answer
     */
    public long deleteExpired() {
        long deleted = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_CLEANUP; batch++) {
            int n = call("DELETE (cleanup)", c -> {
                try (PreparedStatement s = c.prepareStatement(table.deleteExpired)) {
                    s.setInt(1, cleanupBatchSize);
                    return s.executeUpdate();
                }
            });
            deleted += n;
            if (n < cleanupBatchSize) {
                break;
            }
        }
        return deleted;
    }

    private void cleanupQuietly() {
        try {
            long deleted = deleteExpired();
            if (deleted > 0) {
                JdbcCircuitBreaker.LOG.log(Level.DEBUG, () -> "chirp-sessions: deleted " + deleted
                        + " expired sessions from " + what);
            }
        } catch (SessionStoreException e) {
            // Logged by the breaker when the database is down; the next run tries again.
            JdbcCircuitBreaker.LOG.log(Level.DEBUG, () -> "chirp-sessions: cleanup skipped: " + e.getMessage());
        } catch (RuntimeException e) {
            JdbcCircuitBreaker.LOG.log(Level.WARNING, "chirp-sessions: cleanup of " + what + " failed", e);
        }
    }

    // --- lifecycle ---

    /** The session table's name. */
    public String tableName() {
        return table.name;
    }

    /** How long a call waits for PostgreSQL before it fails. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Whether the store expects PostgreSQL to answer: {@code false} while its circuit breaker is open (a
     * call timed out or found the database down, and no probe has been answered since), when calls fail
     * at once with {@link SessionStoreException}, and after {@link #close()}. It never touches the
     * database and never blocks, so a health check may call it on every request.
     */
    public boolean isAvailable() {
        return !closed && !breaker.isOpen();
    }

    /** Stops the store's thread (cleanup and probes); the {@code DataSource} stays open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }

    /** The table name; never the database address or credentials. */
    @Override
    public String toString() {
        return "JdbcSessionStore[table=" + table.name + "]";
    }

    // --- internals ---

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Connection connection() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            // The bound on every read from the socket: a database that stopped answering fails the call
            // after the timeout instead of holding the request thread until the kernel gives up.
            c.setNetworkTimeout(SAME_THREAD, timeoutMillis);
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private <T> T call(String command, Work<T> work) {
        if (closed) {
            throw new SessionStoreException("session store failed: the JdbcSessionStore for table " + table.name
                    + " is closed; close it only when the application stops", null);
        }
        if (breaker.isOpen()) {
            // Fail fast: a hung database would hold this request thread for the whole timeout.
            throw new SessionStoreException("session store failed: " + what + " did not complete " + command
                    + " (not sent: PostgreSQL stopped answering and has not answered a probe since); the request "
                    + "fails closed rather than run with a wrong session", null);
        }
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(command, e);
        }
    }

    private boolean probe() {
        try (Connection c = connection()) {
            return c.isValid(Math.max(1, (timeoutMillis + 999) / 1000));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private SessionStoreException failure(String command, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason;
        if (state.startsWith("22")) {
            // The data, not the database: jsonb refuses what JSON text allows but PostgreSQL cannot hold.
            // The server's message quotes the data, so it stays out.
            reason = "PostgreSQL refused the session's JSON, SQL state " + state + ": jsonb holds no NaN, "
                    + "Infinity or \\u0000 in a string";
        } else {
            reason = (e instanceof SQLTimeoutException || state.startsWith("57014")
                    ? "no answer within " + timeout.toMillis() + " ms, " : "")
                    + e.getClass().getSimpleName() + (state.isEmpty() ? "" : ", SQL state " + state);
            if (unresponsive(e, state)) {
                breaker.trip(reason);
            }
        }
        // No cause for a data error: the server's message quotes the session's JSON.
        return new SessionStoreException("session store failed: " + what + " did not complete " + command + " ("
                + reason + "); the request fails closed rather than run with a wrong session, and the store "
                + "reconnects by itself", state.startsWith("22") ? null : e);
    }

    /**
     * Whether a failure shows that the database does not answer (no connection, a broken one, a timeout),
     * as opposed to an answer with an error, which a probe would not cure.
     */
    private static boolean unresponsive(SQLException e, String state) {
        return e instanceof SQLTimeoutException || e instanceof SQLTransientConnectionException
                || state.startsWith("08") || state.equals("57P01") || state.equals("57P03") || state.isEmpty();
    }

    private static boolean anyTrue(PreparedStatement s) throws SQLException {
        boolean any = false;
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                any |= r.getBoolean(1);
            }
        }
        return any;
    }
}
