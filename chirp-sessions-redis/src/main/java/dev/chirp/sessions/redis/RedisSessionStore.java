package dev.chirp.sessions.redis;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.json.SessionJson;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *   <li>The cookie payload is {@code {"sid": "<32 base64url characters>"}}: 192 random bits from
 *       {@link SecureRandom}. The data is a JSON string under {@code keyPrefix + sid}, including the
 *       middleware's {@code __created_at}/{@code __last_seen_at} stamps, so idle and absolute timeouts
 *       keep working; its Redis TTL is the lifetime the middleware asks for.</li>
 *   <li>A session holding a {@code user_id} is also listed in its user's index, kept in step by Lua
 *       scripts in the user's hash slot: {@link #sessionsOf} lists a user's sessions, {@link #revoke},
 *       {@link #revokeAll} and {@link #revokeAllExcept} end them. Its key carries the user's hash tag
 *       ({@code keyPrefix + "{" + userTag + "}" + id}) and its cookie payload the tag under
 *       {@value #USER_TAG}.</li>
 *   <li>A request that stores nothing creates no key. An unchanged session costs one {@code GET}, plus
 *       one {@code PEXPIRE} when the cookie is re-issued.</li>
 *   <li>{@code regenerate()}, login and logout delete the old key at once, so the old cookie is dead
 *       everywhere, <em>even if the request then fails</em>: its response sends no cookie, so the
 *       browser keeps the old one, which now finds no session (a login whose handler throws after
 *       {@code Sessions.login} leaves the user with an empty session, the anonymous data gone).</li>
 *   <li>A request still running with an id that ended meanwhile (logout or login in another tab,
 *       expiry) cannot bring it back, nor put the dead id back in the browser: updates use
 *       {@code SET ... XX} and refreshes {@code PEXPIRE}, and when either finds no key
 *       {@link #save save} and {@link #touch touch} return {@code null}, so the response sends no
 *       cookie (the middleware logs the lost change at INFO). New ids use {@code SET ... NX}.</li>
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
    /** The cookie payload's only key, holding the session id. */
    public static final String SESSION_ID = "sid";
    /**
     * The cookie payload's key for the user tag of a logged-in session: a hash of its {@code user_id}
     * that names the Redis hash slot of the user's sessions and index (never the user id itself).
     */
    public static final String USER_TAG = "u";

    private static final int ID_BYTES = 24;
    private static final int ID_LENGTH = 32;
    private static final int USER_TAG_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_KEY_PREFIX_LENGTH = 256;
    private static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration OUTAGE_REMINDER = Duration.ofMinutes(1);
    private static final Duration OUTAGE_CALM = Duration.ofSeconds(30);
    // Between probes that got no answer. A hung Redis already makes each probe wait the command
    // timeout; this only keeps probes of a refused connection from running in a tight loop.
    private static final Duration PROBE_PAUSE = Duration.ofMillis(200);
    private static final int MAX_REASON_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final RedisLink link;
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final long commandTimeoutNanos;
    private final OutageLog outages;
    private final RedisCircuitBreaker breaker;
    private volatile boolean closed;

    private RedisSessionStore(Builder builder, RedisLink link) {
        this.link = link;
        this.keyPrefix = builder.keyPrefix;
        this.commandTimeout = builder.commandTimeout;
        this.commandTimeoutNanos = builder.commandTimeout.toNanos();
        this.outages = new OutageLog(link.address, OUTAGE_REMINDER, builder.outageCalm, builder.outageTicker,
                CompletableFuture.delayedExecutor(builder.outageCalm.toNanos(), TimeUnit.NANOSECONDS));
        this.breaker = new RedisCircuitBreaker(link::sendPing, builder.commandTimeout,
                CompletableFuture.delayedExecutor(PROBE_PAUSE.toMillis(), TimeUnit.MILLISECONDS), outages::success);
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
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration outageCalm = OUTAGE_CALM;
        private LongSupplier outageTicker = System::nanoTime;

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

        /** For tests: how long Redis must answer without a failure before an outage counts as over. */
        Builder outageCalm(Duration outageCalm) {
            this.outageCalm = Objects.requireNonNull(outageCalm, "outageCalm");
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
        String key = sessionKey(id, userTag(cookiePayload));
        String json = call("GET", () -> link.strings.get(key));
        if (json == null) {
            return null;
        }
        String problem;
        try {
            Object data = SessionJson.read(json);
            if (data instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> session = (Map<String, Object>) data;
                return session;
            }
            problem = "it is JSON but not an object";
        } catch (IOException e) {
            problem = reason(e);
        }
        // Not ours (another program wrote under our prefix) or beyond what the reader accepts: start
        // afresh rather than fail this user's every request. Neither the id nor the content goes to the log.
        OutageLog.LOG.log(Level.WARNING, "chirp-sessions: a session in " + link.address + " under \""
                + keyPrefix + "\" cannot be read (" + problem + "); the request gets a new, empty session");
        return null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>For an existing session this is {@code SET ... XX}; when Redis holds no such key any more
     * (a concurrent logout or regenerate deleted it, or it expired while the request ran) nothing is
     * written and the result is {@code null}, so the response sends no cookie.
     */
    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive) {
        Objects.requireNonNull(data, "data");
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        String json = SessionJson.write(data);
        String id = current == null ? null : sessionId(current);
        Object user = data.get(Sessions.USER_ID_KEY);
        String tag = user == null ? null : tagOf(user);
        if (id != null && !Objects.equals(tag, userTag(current))) {
            // The user changed without a regenerate (user_id put by hand): the session moves to the new
            // user's slot and index under a new id, unless a concurrent logout ended it meanwhile.
            if (!delete(current)) {
                return null;
            }
            id = null;
        }
        if (tag != null) {
            return saveUserSession(id, tag, json, ttlMillis);
        }
        if (id != null) {
            String existing = id;
            // XX: only update a session that still exists. If a logout or regenerate on another request
            // deleted it meanwhile, writing it again would bring the revoked session back to life.
            // Returning null (not the old id) also keeps the response from putting the dead id back in the
            // browser over the newer cookie that the logout or login gave it; the middleware logs the lost
            // change at INFO, so it is not logged here a second time.
            String ok = call("SET", () -> link.strings.set(keyPrefix + existing, json,
                    SetArgs.Builder.px(ttlMillis).xx()));
            return ok == null ? null : payload(existing, null);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            String newId = newId();
            // NX: a fresh id must never overwrite a session, however unlikely a collision of 192 bits is.
            String ok = call("SET", () -> link.strings.set(keyPrefix + newId, json, SetArgs.Builder.px(ttlMillis).nx()));
            if (ok != null) {
                return payload(newId, null);
            }
        }
        throw new SessionStoreException("session store failed: three fresh random session ids were all taken in "
                + link.address + "; the random number generator is broken", null);
    }

    @Override
    public boolean delete(Map<String, Object> cookiePayload) {
        String id = sessionId(cookiePayload);
        if (id == null) {
            return false;
        }
        String tag = userTag(cookiePayload);
        if (tag != null) {
            // One script, so that no listing ever sees the key gone but the index entry still there.
            Long removed = script("DELETE", UserIndexScripts.DELETE, ScriptOutputType.INTEGER,
                    indexKeys(sessionKey(id, tag), tag), id);
            return removed != null && removed > 0;
        }
        Long removed = call("DEL", () -> link.keys.del(keyPrefix + id));
        return removed != null && removed > 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>This is one {@code PEXPIRE}: {@code data} is ignored, because writing back what this request
     * loaded would undo a change another request made to the session meanwhile. When Redis holds no
     * such key any more the result is {@code null}, so the response sends no cookie.
     */
    @Override
    public Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> data,
            Duration timeToLive) {
        String id = sessionId(cookiePayload);
        if (id == null) {
            return null; // never loaded, so there is nothing to extend
        }
        long ttlMillis = Math.max(1, Objects.requireNonNull(timeToLive, "timeToLive").toMillis());
        String tag = userTag(cookiePayload);
        if (tag != null) {
            Long extended = script("PEXPIRE", UserIndexScripts.TOUCH, ScriptOutputType.INTEGER,
                    indexKeys(sessionKey(id, tag), tag), Long.toString(ttlMillis), id, now());
            return extended != null && extended == 1 ? cookiePayload : null;
        }
        Boolean extended = call("PEXPIRE", () -> link.keys.pexpire(keyPrefix + id, ttlMillis));
        // The cookie keeps pointing at the same id; only the expiry moves.
        return Boolean.TRUE.equals(extended) ? cookiePayload : null;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the first 16 hex characters of a SHA-256 of the session id, the name
     * {@link #sessionsOf} lists and {@link #revoke} takes.
     */
    @Override
    public Optional<String> fingerprint(Map<String, Object> cookiePayload) {
        String id = sessionId(cookiePayload);
        return id == null ? Optional.empty() : Optional.of(fingerprintOf(id));
    }

    // --- a user's sessions ---

    /**
     * Lists the user's live sessions, oldest login first: fingerprint, creation and last-seen time, never
     * the data or the id. Sessions whose keys expired or were deleted are dropped from the user's index
     * by the same atomic step that lists the others, so the list never names a session that is gone.
     * Only sessions logged in through {@code Sessions.login} (any session holding a {@code user_id}) are
     * indexed.
     *
     * @param userId the session's {@code user_id}, as stored (a String or a number)
     * @throws SessionStoreException if Redis cannot answer
     */
    public List<UserSession> sessionsOf(Object userId) {
        String tag = tagOf(Objects.requireNonNull(userId, "userId"));
        List<String> ids = indexedIds(tag);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> pairs = script("HGET", UserIndexScripts.LIST, ScriptOutputType.MULTI,
                keysFor(tag, ids), ids.toArray(new String[0]));
        List<UserSession> sessions = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String id = (String) pairs.get(i);
            String[] times = ((String) pairs.get(i + 1)).split(":");
            sessions.add(new UserSession(fingerprintOf(id), Instant.ofEpochMilli(Long.parseLong(times[0])),
                    Instant.ofEpochMilli(Long.parseLong(times[1]))));
        }
        sessions.sort((a, b) -> a.created().compareTo(b.created()));
        return List.copyOf(sessions);
    }

    @Override
    public UserSessionPage sessionsOf(Object userId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        List<UserSession> all = new ArrayList<>(sessionsOf(userId));
        all.sort((a, b) -> b.lastSeen().compareTo(a.lastSeen()));
        return new UserSessionPage(all.subList(0, Math.min(limit, all.size())), all.size());
    }

    @Override
    public int maxSessionsPerUser() {
        // No cap yet: the per-user cap is the next change to this store.
        return Integer.MAX_VALUE;
    }

    /**
     * Ends one of the user's sessions, named by its fingerprint: its next request finds no session.
     *
     * @return whether such a session existed
     * @throws SessionStoreException if Redis cannot answer
     */
    @Override
    public boolean revoke(Object userId, String fingerprint) {
        String tag = tagOf(Objects.requireNonNull(userId, "userId"));
        Objects.requireNonNull(fingerprint, "fingerprint");
        for (String id : indexedIds(tag)) {
            if (fingerprintOf(id).equals(fingerprint)) {
                Long removed = script("DELETE", UserIndexScripts.DELETE, ScriptOutputType.INTEGER,
                        indexKeys(sessionKey(id, tag), tag), id);
                return removed != null && removed > 0;
            }
        }
        return false;
    }

    /**
     * Ends every session of the user ("log out everywhere"). A login that completes after this call is
     * not affected.
     *
     * @return how many sessions were ended
     * @throws SessionStoreException if Redis cannot answer
     */
    @Override
    public int revokeAll(Object userId) {
        return revokeAllExcept(userId, null);
    }

    /**
     * Ends every session of the user but the one named by {@code keepFingerprint} ("log out other
     * devices"; pass {@code Sessions.get().fingerprint()}).
     *
     * @param keepFingerprint the session to keep, or {@code null} to end all
     * @return how many sessions were ended
     * @throws SessionStoreException if Redis cannot answer
     */
    @Override
    public int revokeAllExcept(Object userId, String keepFingerprint) {
        String tag = tagOf(Objects.requireNonNull(userId, "userId"));
        List<String> ids = indexedIds(tag);
        if (ids.isEmpty()) {
            return 0;
        }
        String keep = "";
        for (String id : ids) {
            if (fingerprintOf(id).equals(keepFingerprint)) {
                keep = id;
            }
        }
        String[] args = new String[ids.size() + 1];
        args[0] = keep;
        for (int i = 0; i < ids.size(); i++) {
            args[i + 1] = ids.get(i);
        }
        Long removed = script("DEL", UserIndexScripts.REVOKE, ScriptOutputType.INTEGER, keysFor(tag, ids), args);
        return removed == null ? 0 : removed.intValue();
    }

    private Map<String, Object> saveUserSession(String id, String tag, String json, long ttlMillis) {
        String ttl = Long.toString(ttlMillis);
        if (id != null) {
            // XX, as for anonymous sessions: a session ended meanwhile is not brought back.
            Long ok = script("SET", UserIndexScripts.SAVE, ScriptOutputType.INTEGER,
                    indexKeys(sessionKey(id, tag), tag), json, ttl, id, now(), "XX");
            return ok != null && ok == 1 ? payload(id, tag) : null;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            String newId = newId();
            Long ok = script("SET", UserIndexScripts.SAVE, ScriptOutputType.INTEGER,
                    indexKeys(sessionKey(newId, tag), tag), json, ttl, newId, now(), "NX");
            if (ok != null && ok == 1) {
                return payload(newId, tag);
            }
        }
        throw new SessionStoreException("session store failed: three fresh random session ids were all taken in "
                + link.address + "; the random number generator is broken", null);
    }

    private List<String> indexedIds(String tag) {
        List<String> ids = call("HKEYS", () -> link.hashes.hkeys(indexKey(tag)));
        List<String> valid = new ArrayList<>();
        for (String id : ids == null ? List.<String>of() : ids) {
            if (isSessionId(id)) {
                valid.add(id);
            }
        }
        return valid;
    }

    private String[] keysFor(String tag, List<String> ids) {
        String[] keys = new String[ids.size() + 2];
        keys[0] = indexKey(tag);
        keys[1] = createdKey(tag);
        for (int i = 0; i < ids.size(); i++) {
            keys[i + 2] = sessionKey(ids.get(i), tag);
        }
        return keys;
    }

    /** The keys of the single-session index scripts: the session, then the user's two index hashes. */
    private String[] indexKeys(String sessionKey, String tag) {
        return new String[] {sessionKey, indexKey(tag), createdKey(tag)};
    }

    /**
     * Runs one of the index scripts. Sent as {@code EVAL} every time (a few hundred bytes) rather than
     * {@code EVALSHA}, so that a Redis restart or failover that forgot the script costs nothing special.
     */
    private <T> T script(String command, String lua, ScriptOutputType type, String[] keys, String... args) {
        return call(command + " (script)", () -> link.scripts.<T>eval(lua, type, keys, args));
    }

    /** The session key: a logged-in session's key carries its user's hash tag, next to the user's index. */
    private String sessionKey(String id, String tag) {
        return tag == null ? keyPrefix + id : keyPrefix + "{" + tag + "}" + id;
    }

    /** The user's index: session id to last-seen time. */
    private String indexKey(String tag) {
        return keyPrefix + "user:{" + tag + "}";
    }

    /** Beside the index, in the same slot: session id to creation time. */
    private String createdKey(String tag) {
        return keyPrefix + "user:{" + tag + "}:created";
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    /**
     * The user tag of a user id: hex of the first 16 bytes of SHA-256 of its text. A hash, not the id,
     * so key names neither reveal user ids nor break on ids that contain braces.
     */
    static String tagOf(Object userId) {
        return HEX.formatHex(sha256("user:" + userId), 0, USER_TAG_LENGTH / 2);
    }

    static String fingerprintOf(String id) {
        return HEX.formatHex(sha256("session:" + id), 0, 8);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The payload's user tag if it is one this store could have made, else {@code null}. */
    private static String userTag(Map<String, Object> payload) {
        Object value = payload == null ? null : payload.get(USER_TAG);
        if (!(value instanceof String tag) || tag.length() != USER_TAG_LENGTH) {
            return null;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return tag;
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
        return !closed && !breaker.isOpen();
    }

    /**
     * Closes the connection, client and threads this store created; a client or connection passed to
     * {@code using(...)} stays open. Later calls fail with {@link SessionStoreException}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        breaker.stop();
        link.close();
    }

    /** The Redis address (without credentials) and the key prefix. */
    @Override
    public String toString() {
        return "RedisSessionStore[" + link.address + ", keyPrefix=" + keyPrefix + "]";
    }

    // --- internals ---

    private <T> T call(String command, Supplier<RedisFuture<T>> dispatch) {
        if (closed) {
            throw new SessionStoreException("session store failed: the RedisSessionStore for " + link.address
                    + " is closed; close it only when the application stops", null);
        }
        if (breaker.isOpen()) {
            // Fail fast: a hung Redis would hold this request thread for the whole command timeout.
            throw failure(command, "not sent: Redis stopped answering and has not answered a probe since", null,
                    false);
        }
        RedisFuture<T> future = null;
        try {
            future = dispatch.get();
            T result = future.get(commandTimeoutNanos, TimeUnit.NANOSECONDS);
            outages.success();
            return result;
        } catch (TimeoutException e) {
            // Cancel so that a command still waiting in Lettuce's queue is never sent once the request
            // has failed. (One already on the wire may still be carried out, as with any remote store.)
            future.cancel(true);
            throw failure(command, "no answer within " + commandTimeout.toMillis() + " ms", e, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RedisCommandTimeoutException) { // Lettuce's own timer came first
                throw failure(command, "no answer within " + commandTimeout.toMillis() + " ms", cause, true);
            }
            throw failure(command, RedisFailure.summary(cause), cause, unresponsive(cause));
        } catch (RedisException e) {
            throw failure(command, RedisFailure.summary(e), e, unresponsive(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (future != null) {
                future.cancel(true);
            }
            throw new SessionStoreException("session store failed: interrupted while waiting for " + link.address
                    + " (" + command + ")", e);
        }
    }

    /**
     * Whether a failure shows that Redis does not answer (connection down or refused), as opposed to
     * Redis answering with an error (out of memory, a wrong password), which a probe would not cure.
     */
    private static boolean unresponsive(Throwable failure) {
        return !(failure instanceof RedisCommandExecutionException);
    }

    private SessionStoreException failure(String command, String what, Throwable cause, boolean unresponsive) {
        if (unresponsive) {
            breaker.trip();
        }
        String message = "session store failed: " + link.address + " did not complete " + command + " (" + what
                + "); the request fails closed rather than run with a wrong session, and the store reconnects "
                + "by itself";
        outages.failure(message);
        return new SessionStoreException(message, cause);
    }

    private static Map<String, Object> payload(String id, String tag) {
        Map<String, Object> payload = new LinkedHashMap<>(2);
        payload.put(SESSION_ID, id);
        if (tag != null) {
            payload.put(USER_TAG, tag);
        }
        return payload;
    }

    private static String newId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /** The payload's id if it is one this store could have made, else {@code null}. */
    private static String sessionId(Map<String, Object> payload) {
        Object value = payload == null ? null : payload.get(SESSION_ID);
        if (!(value instanceof String)) {
            return null;
        }
        String id = (String) value;
        return isSessionId(id) ? id : null;
    }

    private static boolean isSessionId(String id) {
        if (id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
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
