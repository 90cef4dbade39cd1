package dev.chirp.sessions.redis;

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
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link SessionStore} that keeps session data in Redis (standalone, Sentinel or Cluster) through one
 * shared, thread-safe Lettuce connection; the cookie carries only a signed random session id.
 *
 * <pre>{@code
 * RedisSessionStore store = RedisSessionStore.builder("redis://localhost:6379").build();
 * SessionConfig config = SessionConfig.builder(secret).store(store).build();
 * }</pre>
 *
 * <ul>
 *   <li>The cookie payload is {@code {"sid": "<36 base64url characters>"}}: 216 random bits from
 *       {@link java.security.SecureRandom}. Redis never sees the id: the session's key is
 *       {@code keyPrefix + "s:" + hash}, the hash being the first 128 bits of a SHA-256 of the id, so
 *       {@code KEYS}, {@code MONITOR}, a backup or a replica hold no cookie anyone can use.</li>
 *   <li>The session is a Redis hash with a field per top-level key, holding that value's JSON, the
 *       middleware's {@code __created_at}/{@code __last_seen_at} stamps included (so idle and absolute
 *       timeouts keep working). Loading is one {@code HGETALL}. Saving is one script that applies only
 *       the keys the request changed or removed ({@link SessionChanges}), so concurrent requests that
 *       change different keys all keep their change; for the same key the last save wins; the stamps
 *       never go backwards. A {@link SessionChanges#whole()} save replaces the hash.</li>
 *   <li>Why a hash and not one JSON string: merging keys into a string would need Lua's cjson, which
 *       rewrites numbers with 14 significant digits and cannot tell {@code {}} from {@code []}, so the
 *       merge would corrupt data; and a hash write sends only the changed values. Reading a hash costs
 *       a parse per field instead of one; on a 10-key, 1 KB session both layouts cost tens of
 *       microseconds of CPU per load or save, small beside the round trip, and neither dominates
 *       ({@code RedisLayoutBenchmark}; docs/benchmarks.md, "Hash against 0.1's JSON string").</li>
 *   <li>The expiry moves to the requested lifetime plus 1/16 of it (at most a minute) only when less
 *       than the lifetime is left (or more than the lifetime and that slack), as the store remembers what
 *       it set last: a busy session's write is one {@code HSET} inside the script, and Redis keeps a
 *       session at least as long as its cookie is valid.</li>
 *   <li>A session holding a {@code user_id} is also listed in its user's index, kept in step by the
 *       same scripts in the user's hash slot (on a cluster, every key of a script is in one slot): its
 *       key carries the user's hash tag ({@code keyPrefix + "s:{" + userTag + "}" + hash}) and its
 *       cookie payload the tag under {@value #USER_TAG}. The index holds session hashes, never ids.
 *       {@link #sessionsOf(Object, int)} lists a page of a user's sessions, {@link #revoke},
 *       {@link #revokeAll} and {@link #revokeAllExcept} end them. A user holds at most
 *       {@link Builder#maxSessionsPerUser(int)} sessions: a login past it ends the least recently seen
 *       ones, and prunes a few index entries whose sessions expired.</li>
 *   <li>Sessions written by 0.1 (a JSON string under {@code keyPrefix + id}, or
 *       {@code keyPrefix + "{" + userTag + "}" + id}, with 32-character ids) are read as they are and
 *       converted to the hash, under the same id, by their next write; the registry lists and ends them
 *       meanwhile. Nobody is logged out by the upgrade.</li>
 *   <li>A request that stores nothing creates no key. An unchanged session costs one {@code HGETALL},
 *       plus one {@code PEXPIRE} when the cookie is re-issued.</li>
 *   <li>{@code regenerate()}, login and logout delete the old key at once, so the old cookie is dead
 *       everywhere, <em>even if the request then fails</em>: its response sends no cookie, so the
 *       browser keeps the old one, which now finds no session (a login whose handler throws after
 *       {@code Sessions.login} leaves the user with an empty session, the anonymous data gone).</li>
 *   <li>A request still running with an id that ended meanwhile (logout or login in another tab,
 *       expiry) cannot bring it back, nor put the dead id back in the browser: every write first checks
 *       that the key exists, and when it does not {@link #save save} and {@link #touch touch} write
 *       nothing and return {@code null}, so the response sends no cookie (the middleware logs the lost
 *       change at INFO). A new id is written only where no key exists.</li>
 *   <li>A refresh of an unchanged session ({@link #touch touch}) only moves the expiry; it never
 *       writes back data loaded when the request started, which would undo a concurrent change.</li>
 *   <li>Fails closed: when Redis is unreachable, slow or answers with an error, the call throws
 *       {@link SessionStoreException} within the command timeout (2 seconds by default), naming the
 *       Redis address but never credentials.</li>
 *   <li>Fails fast: once a command timed out or found the connection down, a circuit breaker makes
 *       every call fail at once (no request thread waits for a hung Redis) while one {@code PING} at a
 *       time probes Redis; its first answer closes the breaker. {@link #isAvailable()} tells which
 *       state the store is in. The
 *       outage is logged once when it starts, at most once a minute while it lasts, and once when Redis
 *       has answered for 30 seconds without a failure (failures that recur within those 30 seconds
 *       belong to the same outage); Lettuce reconnects by itself and the store works again without a
 *       restart.</li>
 * </ul>
 *
 * <p>Close the store at shutdown: it closes the connection, client and threads that it created, but
 * never a client or connection passed to {@code using(...)}.
 */
public final class RedisSessionStore implements SessionStore, UserSessionRegistry, AutoCloseable {

    /** The default prefix of every session key: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "chirp:session:";
    /** The default time a request waits for Redis before it fails: 2 seconds. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** The cookie payload's key holding the session id. */
    public static final String SESSION_ID = SessionIds.SESSION_ID;
    /**
     * The cookie payload's key for the user tag of a logged-in session: a hash of its {@code user_id}
     * that names the Redis hash slot of the user's sessions and index (never the user id itself).
     */
    public static final String USER_TAG = SessionIds.USER_TAG;

    private static final int MAX_KEY_PREFIX_LENGTH = 256;
    private static final int MAX_SESSIONS_PER_USER_LIMIT = 10_000;
    // On each login: how many of the user's least recently seen index entries are checked for expired
    // sessions, and at most how many sessions past the cap are ended (a cap lowered by a redeploy is
    // reached over a few logins rather than in one long script).
    static final int PRUNE_PER_LOGIN = 8;
    static final int EVICT_PER_LOGIN = 32;
    static final long MAX_EXPIRY_SLACK_MILLIS = 60_000;
    private static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration OUTAGE_CALM = Duration.ofSeconds(30);
    private static final int MAX_REASON_LENGTH = 200;

    final RedisLink link;
    final RedisKeys keys;
    private final String keyPrefix;
    private final int maxSessionsPerUser;
    private final LongSupplier millis;
    private final ExpiryMemory expiries = new ExpiryMemory();
    private final RedisUserIndex index;
    private final Duration commandTimeout;
    private final RedisCalls calls;

    private RedisSessionStore(Builder builder, RedisLink link) {
        this.link = link;
        this.keyPrefix = builder.keyPrefix;
        this.keys = new RedisKeys(builder.keyPrefix);
        this.maxSessionsPerUser = builder.maxSessionsPerUser;
        this.millis = builder.millis;
        this.index = new RedisUserIndex(this);
        this.commandTimeout = builder.commandTimeout;
        this.calls = new RedisCalls(link, builder.commandTimeout, builder.outageCalm, builder.outageTicker);
    }

    // --- building ---

    /**
     * Starts a store on a standalone Redis (or Sentinel-managed master), reached through a connection
     * the store creates and closes.
     *
     * @param uri such as {@code "redis://localhost:6379"}, {@code "rediss://:password@host:6380/2"} or
     *            {@code "redis-sentinel://host:26379#mymaster"}
     * @throws ConfigurationException if {@code uri} is null or not a Redis URI (the message hides any
     *                                password in it)
     */
    public static Builder builder(String uri) {
        return builder(parse("uri", uri));
    }

    /**
     * Starts a store on a standalone Redis (or Sentinel-managed master), reached through a connection
     * the store creates and closes.
     *
     * @throws ConfigurationException if {@code uri} is null
     */
    public static Builder builder(RedisURI uri) {
        requireArgument("uri", uri, "pass an address such as RedisURI.create(\"redis://localhost:6379\")");
        return new Builder(RedisLink.standalone(uri));
    }

    /**
     * Starts a store on a Redis Cluster, reached through a cluster connection the store creates and
     * closes. Lettuce discovers the other nodes and follows failovers and resharding.
     *
     * @param seedUris one or more cluster nodes, such as {@code "redis://node-1:6379"}
     * @throws ConfigurationException if no node is given or one is not a {@code redis://} or
     *                                {@code rediss://} URI
     */
    public static Builder cluster(String... seedUris) {
        requireArgument("cluster seed uris", seedUris, "pass one or more nodes, such as \"redis://node-1:6379\"");
        List<RedisURI> uris = new ArrayList<>();
        for (String uri : seedUris) {
            uris.add(parse("cluster seed uri", uri));
        }
        return cluster(uris);
    }

    /**
     * Starts a store on a Redis Cluster, reached through a cluster connection the store creates and
     * closes.
     *
     * @throws ConfigurationException if the list is null or empty, or holds a null, socket or Sentinel URI
     */
    public static Builder cluster(List<RedisURI> seedUris) {
        requireArgument("cluster seed uris", seedUris, "pass one or more nodes, such as \"redis://node-1:6379\"");
        if (seedUris.isEmpty()) {
            throw new ConfigurationException("cluster seed uris must name at least one node: []; pass one or "
                    + "more nodes, such as \"redis://node-1:6379\"");
        }
        for (RedisURI uri : seedUris) {
            requireArgument("cluster seed uri", uri, "remove the null entry");
            if (uri.getSocket() != null || !uri.getSentinels().isEmpty()) {
                throw new ConfigurationException("cluster seed uri must be a redis:// or rediss:// address: "
                        + RedisLink.describe(uri) + "; Redis Cluster is reached over TCP, so pass a node's "
                        + "host and port");
            }
        }
        return new Builder(RedisLink.cluster(List.copyOf(seedUris)));
    }

    /**
     * Starts a store that opens its connection from a client the application already has (sharing its
     * threads and options). Closing the store closes that connection, not the client.
     *
     * <p>The client's own options apply: Lettuce's default queues commands while disconnected, but each
     * store call still fails after {@link Builder#commandTimeout} and its command is cancelled, so a
     * request that failed never writes later.
     *
     * @throws ConfigurationException if an argument is null
     */
    public static Builder using(RedisClient client, RedisURI uri) {
        requireArgument("client", client, "pass the application's RedisClient");
        requireArgument("uri", uri, "pass the address the client should connect to");
        return new Builder(RedisLink.client(client, uri));
    }

    /**
     * Starts a store that opens its cluster connection from a cluster client the application already
     * has. Closing the store closes that connection, not the client.
     *
     * @throws ConfigurationException if {@code client} is null
     */
    public static Builder using(RedisClusterClient client) {
        requireArgument("client", client, "pass the application's RedisClusterClient");
        return new Builder(RedisLink.clusterClient(client));
    }

    /**
     * Starts a store on a connection the application already has and shares (Lettuce connections are
     * thread-safe). The store never closes it. Failure messages call it "the connection given to
     * RedisSessionStore.using", as a connection does not tell its address.
     *
     * @throws ConfigurationException if {@code connection} is null
     */
    public static Builder using(StatefulRedisConnection<String, String> connection) {
        requireArgument("connection", connection, "pass an open StatefulRedisConnection<String, String>");
        return new Builder(RedisLink.connection(connection));
    }

    /**
     * Starts a store on a cluster connection the application already has and shares. The store never
     * closes it.
     *
     * @throws ConfigurationException if {@code connection} is null
     */
    public static Builder using(StatefulRedisClusterConnection<String, String> connection) {
        requireArgument("connection", connection, "pass an open StatefulRedisClusterConnection<String, String>");
        return new Builder(RedisLink.clusterConnection(connection));
    }

    /** Options for a {@link RedisSessionStore}; every method checks its argument at once. */
    public static final class Builder {
        private final RedisLink.Opener opener;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private int maxSessionsPerUser = DEFAULT_MAX_SESSIONS_PER_USER;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration outageCalm = OUTAGE_CALM;
        private LongSupplier outageTicker = System::nanoTime;
        private LongSupplier millis = System::currentTimeMillis;

        private Builder(RedisLink.Opener opener) {
            this.opener = opener;
        }

        /**
         * The prefix of every session key, default {@value RedisSessionStore#DEFAULT_KEY_PREFIX}. Give
         * each application sharing a Redis its own prefix.
         *
         * @throws ConfigurationException unless it is 1 to 256 characters without whitespace, control
         *                                characters or braces (a {@code {hash tag}} would put every
         *                                session in one cluster slot, on one node)
         */
        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.length() > MAX_KEY_PREFIX_LENGTH
                    || !isPlainKeyText(keyPrefix)) {
                throw new ConfigurationException("keyPrefix must be 1 to " + MAX_KEY_PREFIX_LENGTH
                        + " characters without whitespace, control characters or braces: "
                        + (keyPrefix == null ? "null" : "\"" + visible(keyPrefix) + "\"")
                        + "; use a namespace such as \"" + DEFAULT_KEY_PREFIX + "\" (braces would make a "
                        + "cluster hash tag and put every session on one node)");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * How long a request waits for Redis before it fails with {@link SessionStoreException}, default
         * 2 seconds. Once a command has timed out (or found the connection down), calls fail at once
         * until Redis answers a probe, which waits this long too.
         *
         * @throws ConfigurationException unless it is between 1 millisecond and 1 minute
         */
        public Builder commandTimeout(Duration commandTimeout) {
            if (commandTimeout == null || commandTimeout.compareTo(Duration.ofMillis(1)) < 0
                    || commandTimeout.compareTo(MAX_COMMAND_TIMEOUT) > 0) {
                throw new ConfigurationException("commandTimeout must be between 1 millisecond and 1 minute: "
                        + commandTimeout + "; a request waits this long for Redis before it fails, so keep it "
                        + "short (default 2 seconds)");
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * How many sessions one user may hold, default
         * {@value dev.chirp.sessions.UserSessionRegistry#DEFAULT_MAX_SESSIONS_PER_USER}. A login past it
         * ends the user's least recently seen sessions (their next request finds no session), as Spring
         * Security's {@code maximumSessions} does; the cap also bounds the user's index, so listing and
         * revoking stay cheap however often one user logs in.
         *
         * @throws ConfigurationException unless it is between 1 and 10,000
         */
        public Builder maxSessionsPerUser(int maxSessionsPerUser) {
            if (maxSessionsPerUser < 1 || maxSessionsPerUser > MAX_SESSIONS_PER_USER_LIMIT) {
                throw new ConfigurationException("maxSessionsPerUser must be between 1 and "
                        + MAX_SESSIONS_PER_USER_LIMIT + ": " + maxSessionsPerUser + "; it bounds what one user "
                        + "can make Redis hold (default " + DEFAULT_MAX_SESSIONS_PER_USER + ")");
            }
            this.maxSessionsPerUser = maxSessionsPerUser;
            return this;
        }

        /** For tests: how long Redis must answer without a failure before an outage counts as over. */
        Builder outageCalm(Duration outageCalm) {
            this.outageCalm = Objects.requireNonNull(outageCalm, "outageCalm");
            return this;
        }

        /** For tests: the wall clock (epoch milliseconds) of last-seen and creation times. */
        Builder millis(LongSupplier millis) {
            this.millis = Objects.requireNonNull(millis, "millis");
            return this;
        }

        /** For tests: the nanosecond ticker that times outages, so that a test can move it by hand. */
        Builder outageTicker(LongSupplier outageTicker) {
            this.outageTicker = Objects.requireNonNull(outageTicker, "outageTicker");
            return this;
        }

        /**
         * Connects and returns the store. Connecting now means a wrong address or a Redis that is down at
         * deploy time fails the deploy, not the first user; later outages are survived.
         *
         * @throws SessionStoreException if Redis cannot be reached (the message names the address, never
         *                               a password)
         */
        public RedisSessionStore build() {
            return new RedisSessionStore(this, opener.open(commandTimeout));
        }
    }

    // --- SessionStore ---

    @Override
    public Map<String, Object> load(Map<String, Object> cookiePayload) {
        String id = sessionId(cookiePayload);
        if (id == null) {
            return null; // for example a cookie from the cookie store signed with the same secret
        }
        String tag = userTag(cookiePayload);
        String key = keys.session(id, tag);
        Map<String, String> fields = call("HGETALL", () -> link.hashes.hgetall(key));
        if (fields != null && !fields.isEmpty()) {
            return read(fields);
        }
        if (!RedisKeys.isLegacy(id)) {
            return null;
        }
        // An id 0.1 minted whose session has not been written since the upgrade: 0.1's JSON string.
        String legacyKey = keys.legacySession(id, tag);
        String json = call("GET", () -> link.strings.get(legacyKey));
        return json == null ? null : readLegacy(json);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Applies only {@code changes} (or, for {@link SessionChanges#whole()}, replaces the hash) in one
     * script, which first checks that the session still exists: when Redis holds no such key any more
     * (a concurrent logout or regenerate deleted it, or it expired while the request ran) nothing is
     * written and the result is {@code null}, so the response sends no cookie.
     */
    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive) {
        return save(current, data, SessionChanges.whole(), timeToLive);
    }

    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, SessionChanges changes,
            Duration timeToLive) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(changes, "changes");
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        String id = current == null ? null : sessionId(current);
        Object user = data.get(Sessions.USER_ID_KEY);
        String tag = user == null ? null : SessionIds.userTag(user);
        if (id != null && !Objects.equals(tag, userTag(current))) {
            // The user changed without a regenerate (user_id put by hand): the session moves to the new
            // user's slot and index under a new id, unless a concurrent logout ended it meanwhile.
            if (!delete(current)) {
                return null;
            }
            id = null;
        }
        Expiry expiry = new Expiry(ttlMillis, millis.getAsLong());
        if (id == null) {
            return create(tag, data, expiry);
        }
        if (RedisKeys.isLegacy(id)) {
            return convert(id, tag, data, changes, expiry);
        }
        return merge(id, tag, data, changes, expiry) ? payload(id, tag) : null;
    }

    @Override
    public boolean delete(Map<String, Object> cookiePayload) {
        String id = sessionId(cookiePayload);
        if (id == null) {
            return false;
        }
        String tag = userTag(cookiePayload);
        boolean legacy = RedisKeys.isLegacy(id);
        expiries.forget(RedisKeys.hashOf(id));
        if (tag != null) {
            // One script, so that no listing ever sees the key gone but the index entry still there.
            String[] scriptKeys = legacy
                    ? new String[] {keys.session(id, tag), keys.seen(tag), keys.created(tag),
                        keys.legacySession(id, tag), keys.legacySeen(tag), keys.legacyCreated(tag)}
                    : new String[] {keys.session(id, tag), keys.seen(tag), keys.created(tag)};
            Long removed = script(SessionScripts.DELETE, ScriptOutputType.INTEGER, scriptKeys,
                    RedisKeys.hashOf(id), id);
            return removed != null && removed > 0;
        }
        // On a cluster the two keys of a 0.1 id may be on two nodes; Lettuce splits the DEL by slot.
        String[] names = legacy ? new String[] {keys.session(id, null), keys.legacySession(id, null)}
                : new String[] {keys.session(id, null)};
        Long removed = call("DEL", () -> link.keys.del(names));
        return removed != null && removed > 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>This moves the expiry only ({@code PEXPIRE}, in a script with the user's last-seen time for a
     * logged-in session): {@code data} is ignored, because writing back what this request loaded would
     * undo a change another request made to the session meanwhile. When Redis holds no such key any
     * more the result is {@code null}, so the response sends no cookie.
     */
    @Override
    public Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> data,
            Duration timeToLive) {
        String id = sessionId(cookiePayload);
        if (id == null) {
            return null; // never loaded, so there is nothing to extend
        }
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        Expiry expiry = new Expiry(ttlMillis, millis.getAsLong());
        String tag = userTag(cookiePayload);
        boolean extended;
        if (tag != null) {
            Long ok = script(SessionScripts.TOUCH, ScriptOutputType.INTEGER, userKeys(keys.session(id, tag), tag),
                    expiry.plus(), RedisKeys.hashOf(id), expiry.now(), expiry.index());
            extended = ok != null && ok == 1;
        } else {
            String key = keys.session(id, null);
            extended = Boolean.TRUE.equals(call("PEXPIRE", () -> link.keys.pexpire(key, expiry.plusMillis)));
        }
        if (extended) {
            expiries.moved(RedisKeys.hashOf(id), expiry.deadline());
        }
        if (!extended && RedisKeys.isLegacy(id)) {
            extended = touchLegacy(id, tag, ttlMillis);
        }
        // The cookie keeps pointing at the same id; only the expiry moves.
        return extended ? cookiePayload : null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the first 16 hex characters of a SHA-256 of the session id, the name
     * {@link #sessionsOf(Object, int)} lists and {@link #revoke} takes.
     */
    @Override
    public Optional<String> fingerprint(Map<String, Object> cookiePayload) {
        String id = sessionId(cookiePayload);
        return id == null ? Optional.empty() : Optional.of(SessionIds.fingerprint(id));
    }

    private Map<String, Object> create(String tag, Map<String, Object> data, Expiry expiry) {
        String[] changes = changeArgs(data, SessionChanges.whole());
        for (int attempt = 0; attempt < 3; attempt++) {
            String newId = RedisKeys.newId();
            String key = keys.session(newId, tag);
            // NX (EXISTS in the script): a fresh id must never overwrite a session, however unlikely a
            // collision of 216 bits is.
            Long ok = script(SessionScripts.CREATE, ScriptOutputType.INTEGER,
                    tag == null ? new String[] {key} : userKeys(key, tag),
                    args(changes, expiry.plus(), RedisKeys.hashOf(newId), expiry.now(), expiry.index(),
                            Integer.toString(maxSessionsPerUser), keys.sessionPrefix(tag),
                            Integer.toString(PRUNE_PER_LOGIN), Integer.toString(EVICT_PER_LOGIN)));
            if (ok != null && ok == 1) {
                expiries.moved(RedisKeys.hashOf(newId), expiry.deadline());
                return payload(newId, tag);
            }
        }
        throw new SessionStoreException("session store failed: three fresh random session ids were all taken in "
                + link.address + "; the random number generator is broken", null);
    }

    private boolean merge(String id, String tag, Map<String, Object> data, SessionChanges changes, Expiry expiry) {
        String key = keys.session(id, tag);
        String hash = RedisKeys.hashOf(id);
        boolean move = expiries.due(hash, expiry.nowMillis, expiry.millis, expiry.plusMillis);
        // Only if the session still exists (checked by the script): if a logout or regenerate on another
        // request deleted it meanwhile, writing it again would bring the revoked session back to life.
        // Returning null (not the old id) also keeps the response from putting the dead id back in the
        // browser over the newer cookie that the logout or login gave it; the middleware logs the lost
        // change at INFO, so it is not logged here a second time.
        Long ok = script(SessionScripts.MERGE, ScriptOutputType.INTEGER,
                tag == null ? new String[] {key} : userKeys(key, tag),
                args(changeArgs(data, changes), move ? "1" : "0", expiry.plus(), hash, expiry.now(), expiry.index(),
                        changes.isWhole() ? "1" : "0"));
        if (ok == null || ok != 1) {
            expiries.forget(hash);
            return false;
        }
        if (move) {
            expiries.moved(hash, expiry.deadline());
        }
        return true;
    }

    /**
     * The first write of a session 0.1 wrote: the whole session goes to the current layout under the
     * same id (so concurrent requests with the same cookie find it), 0.1's key goes.
     */
    private Map<String, Object> convert(String id, String tag, Map<String, Object> data, SessionChanges changes,
            Expiry expiry) {
        String[] whole = changeArgs(data, SessionChanges.whole());
        String key = keys.session(id, tag);
        String legacyKey = keys.legacySession(id, tag);
        if (tag == null && link.cluster) {
            // 0.1's anonymous key and the new one hash to different slots, perhaps on two nodes: no one
            // script can take both. Deleting 0.1's key first decides which request converts; a logout
            // that lands between the two steps (one round trip) can be undone, as with 0.1's own SET.
            Long deleted = call("DEL", () -> link.keys.del(legacyKey));
            if (deleted != null && deleted == 1) {
                Long ok = script(SessionScripts.CREATE, ScriptOutputType.INTEGER, new String[] {key},
                        args(whole, expiry.plus(), RedisKeys.hashOf(id), expiry.now(), expiry.index(), "0", "", "0",
                                "0"));
                if (ok != null && ok == 1) {
                    expiries.moved(RedisKeys.hashOf(id), expiry.deadline());
                    return payload(id, null);
                }
            }
            return merge(id, null, data, changes, expiry) ? payload(id, null) : null;
        }
        String[] scriptKeys = tag == null ? new String[] {key, legacyKey}
                : new String[] {key, legacyKey, keys.seen(tag), keys.created(tag), keys.legacySeen(tag),
                    keys.legacyCreated(tag)};
        Long result = script(SessionScripts.CONVERT, ScriptOutputType.INTEGER, scriptKeys,
                args(whole, expiry.plus(), RedisKeys.hashOf(id), expiry.now(), expiry.index(), id));
        if (result != null && result == 2) {
            return merge(id, tag, data, changes, expiry) ? payload(id, tag) : null;
        }
        if (result != null && result == 1) {
            expiries.moved(RedisKeys.hashOf(id), expiry.deadline());
            return payload(id, tag);
        }
        return null;
    }

    private boolean touchLegacy(String id, String tag, long ttlMillis) {
        String legacyKey = keys.legacySession(id, tag);
        if (tag == null) {
            return Boolean.TRUE.equals(call("PEXPIRE", () -> link.keys.pexpire(legacyKey, ttlMillis)));
        }
        Long ok = script(SessionScripts.LEGACY_TOUCH, ScriptOutputType.INTEGER,
                new String[] {legacyKey, keys.legacySeen(tag), keys.legacyCreated(tag)},
                Long.toString(ttlMillis), id, Long.toString(millis.getAsLong()));
        return ok != null && ok == 1;
    }

    /** "n, field/value pairs..., removed fields..." for the scripts, values as JSON text. */
    private static String[] changeArgs(Map<String, Object> data, SessionChanges changes) {
        List<String> set = new ArrayList<>();
        List<String> removed = new ArrayList<>(changes.removed());
        Iterable<String> names = changes.isWhole() ? data.keySet() : changes.changed();
        for (String name : names) {
            if (data.containsKey(name)) {
                set.add(name);
                set.add(SessionJson.write(data.get(name)));
            } else {
                removed.add(name); // changed, then gone from the data: it is not there after this request
            }
        }
        String[] out = new String[1 + set.size() + removed.size()];
        out[0] = Integer.toString(set.size() / 2);
        int i = 1;
        for (String s : set) {
            out[i++] = s;
        }
        for (String s : removed) {
            out[i++] = s;
        }
        return out;
    }

    private static String[] args(String[] tail, String... head) {
        String[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    private Map<String, Object> read(Map<String, String> fields) {
        Map<String, Object> session = new LinkedHashMap<>(fields.size() * 2);
        try {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                session.put(field.getKey(), SessionJson.read(field.getValue()));
            }
            return session;
        } catch (IOException e) {
            return unreadable(reason(e));
        }
    }

    private Map<String, Object> readLegacy(String json) {
        try {
            Object data = SessionJson.read(json);
            if (data instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> session = (Map<String, Object>) data;
                return session;
            }
            return unreadable("it is JSON but not an object");
        } catch (IOException e) {
            return unreadable(reason(e));
        }
    }

    /**
     * Not ours (another program wrote under our prefix) or beyond what the reader accepts: start afresh
     * rather than fail this user's every request. Neither the id nor the content goes to the log.
     */
    private Map<String, Object> unreadable(String problem) {
        OutageLog.LOG.log(Level.WARNING, "chirp-sessions: a session in " + link.address + " under \""
                + keys.prefix + "\" cannot be read (" + problem + "); the request gets a new, empty session");
        return null;
    }

    /**
     * The expiry a save asks for, and what the store sets: the lifetime plus a slack of 1/16 of it (at
     * most a minute), so that the expiry and the user's last-seen time move at most once per slack
     * however often a session is written. The index lives twice as long and is extended once per
     * lifetime.
     */
    private static final class Expiry {
        final long millis;
        final long plusMillis;
        final long nowMillis;

        Expiry(long millis, long nowMillis) {
            this.millis = millis;
            this.plusMillis = millis + Math.min(millis / 16, MAX_EXPIRY_SLACK_MILLIS);
            this.nowMillis = nowMillis;
        }

        String now() {
            return Long.toString(nowMillis);
        }

        /** When the session ends if its expiry is set now (epoch milliseconds). */
        long deadline() {
            return nowMillis + plusMillis;
        }

        String plus() {
            return Long.toString(plusMillis);
        }

        String index() {
            return Long.toString(2 * plusMillis);
        }
    }

    // --- a user's sessions ---

    /**
     * Lists the user's sessions, most recently seen first, up to {@link #maxSessionsPerUser()} of them.
     *
     * @param userId the session's {@code user_id}, as stored (a String or a number)
     * @throws SessionStoreException if Redis cannot answer
     * @see #sessionsOf(Object, int)
     */
    public List<UserSession> sessionsOf(Object userId) {
        return sessionsOf(userId, maxSessionsPerUser).sessions();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script: it looks at the {@code limit} (at most {@link #maxSessionsPerUser()}) most recently
     * seen entries of the user's index and a few more, and drops those whose session expired or was
     * deleted, so the page never names a session that is gone. The total counts the index, which may
     * still hold expired entries further down; they are dropped on later listings and logins.
     */
    @Override
    public UserSessionPage sessionsOf(Object userId, int limit) {
        return index.page(Objects.requireNonNull(userId, "userId"), limit);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Set by {@link Builder#maxSessionsPerUser(int)}.
     */
    @Override
    public int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    @Override
    public boolean revoke(Object userId, String fingerprint) {
        return index.revoke(Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(fingerprint,
                "fingerprint"));
    }

    @Override
    public int revokeAll(Object userId) {
        return revokeAllExcept(userId, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A loop of small scripts, each ending at most a batch of sessions, so Redis never blocks on a
     * user with many sessions.
     */
    @Override
    public int revokeAllExcept(Object userId, String keepFingerprint) {
        return index.revokeAllExcept(Objects.requireNonNull(userId, "userId"), keepFingerprint);
    }

    /** The keys of a logged-in session's scripts: the session, then its user's index. */
    private String[] userKeys(String sessionKey, String tag) {
        return new String[] {sessionKey, keys.seen(tag), keys.created(tag)};
    }

    /** The payload's user tag if it is one this store could have made, else {@code null}. */
    private static String userTag(Map<String, Object> payload) {
        return SessionIds.userTagOf(payload);
    }

    // --- lifecycle ---

    /** The prefix of every session key. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long a request waits for Redis before it fails. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Whether the store expects Redis to answer: {@code false} while its circuit breaker is open (a
     * command timed out or found the connection down, and no probe has been answered since), when calls
     * fail at once with {@link SessionStoreException}, and after {@link #close()}. It never sends a
     * command and never blocks, so a health check or a load balancer probe may call it on every request;
     * {@code true} is no promise that the next command succeeds.
     */
    public boolean isAvailable() {
        return calls.isAvailable();
    }

    /**
     * Closes the connection, client and threads this store created; a client or connection passed to
     * {@code using(...)} stays open. Later calls fail with {@link SessionStoreException}. Idempotent.
     */
    @Override
    public void close() {
        calls.close();
    }

    /** The Redis address (without credentials) and the key prefix. */
    @Override
    public String toString() {
        return "RedisSessionStore[" + link.address + ", keyPrefix=" + keyPrefix + "]";
    }

    // --- internals ---

    <T> T call(String command, Supplier<RedisFuture<T>> dispatch) {
        return calls.call(command, dispatch);
    }

    <T> T script(RedisScript script, ScriptOutputType type, String[] scriptKeys, String... args) {
        return calls.script(script, type, scriptKeys, args);
    }

    private static Map<String, Object> payload(String id, String tag) {
        return SessionIds.payload(id, tag);
    }

    /** The payload's id if it is one this store (or 0.1) could have made, else {@code null}. */
    private static String sessionId(Map<String, Object> payload) {
        return RedisKeys.idOf(payload);
    }

    private static RedisURI parse(String name, String uri) {
        requireArgument(name, uri, "pass an address such as \"redis://localhost:6379\"");
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            // The cause is dropped on purpose: Lettuce's message may repeat the URI with its password.
            throw new ConfigurationException(name + " must be a Redis URI (redis://, rediss://, redis-socket:// or "
                    + "redis-sentinel://): \"" + visible(hidePassword(uri)) + "\"; write it as "
                    + "\"redis://host:6379\" or \"redis://:password@host:6379/0\" (percent-encode a password "
                    + "that contains / ? # or @)");
        }
    }

    private static void requireArgument(String name, Object value, String fix) {
        if (value == null) {
            throw new ConfigurationException(name + " must not be null: null; " + fix);
        }
    }

    /**
     * The URI with everything that may be a credential masked: all between {@code ://} (or the start)
     * and the <em>last</em> {@code @}, and any {@code password=} query value. The last {@code @}, not
     * the first or the first one before a {@code /}: a password that was not percent-encoded may
     * contain {@code /}, {@code ?}, {@code #} or {@code @}, which also makes the URI unparseable, so no
     * parser can be trusted to find where it ends. Masking too much is harmless in a message.
     */
    static String hidePassword(String uri) {
        String hidden = uri;
        int at = hidden.lastIndexOf('@');
        if (at >= 0) {
            int scheme = hidden.indexOf("://");
            int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
            hidden = hidden.substring(0, start) + "****" + hidden.substring(at);
        }
        return hidden.replaceAll("(?i)(password=)[^&#]*", "$1****");
    }

    /**
     * Why JSON text could not be read, in one line and without the data: Jackson quotes the offending
     * token (which could be part of a user's session), so quoted text and character codes are dropped.
     */
    static String reason(IOException e) {
        String message = e.getMessage() == null ? "not JSON" : e.getMessage();
        String oneLine = message.replaceAll("\\s+", " ")
                .replaceAll(": was expecting .*?(?= at line \\d|$)", ""); // Jackson's list of valid tokens
        oneLine = withoutQuotes(withoutQuotes(oneLine, '\''), '"')
                .replaceAll(" ?\\(code -?\\d+\\)", "")
                .trim();
        return oneLine.length() <= MAX_REASON_LENGTH ? oneLine : oneLine.substring(0, MAX_REASON_LENGTH) + "...";
    }

    /** Replaces each quoted span by {@code ...}; cuts the text at a quote left without its pair. */
    private static String withoutQuotes(String text, char quote) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int open = text.indexOf(quote, from);
            if (open < 0) {
                return out.append(text, from, text.length()).toString();
            }
            int close = text.indexOf(quote, open + 1);
            if (close < 0) {
                return out.append(text, from, open).toString().trim();
            }
            out.append(text, from, open).append(quote).append("...").append(quote);
            from = close + 1;
        }
    }

    private static boolean isPlainKeyText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '{' || c == '}') {
                return false;
            }
        }
        return true;
    }

    private static String visible(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
