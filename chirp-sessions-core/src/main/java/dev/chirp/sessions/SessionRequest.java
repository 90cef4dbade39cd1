package dev.chirp.sessions;

import dev.chirp.sessions.internal.CookieHeader;
import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import dev.chirp.sessions.internal.VerifiedCookieCache;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.PayloadTooLargeException;
import dev.chirp.sessions.signing.Rejection;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One request's session handling, created by {@link SessionMiddleware#begin} and driven by a server
 * adapter: it loads the session lazily, binds it for {@link Sessions#get()}, and on {@link #commit}
 * decides which response headers to write.
 *
 * <p>Write policy: a {@code Set-Cookie} is written only when the session changed (in-place changes to
 * lists and maps included), was regenerated, was verified by a fallback secret, or is due for a sliding
 * refresh; a deletion cookie when the session is empty but the browser sent a cookie (valid, tampered
 * or expired); nothing for a session that was never touched, or is empty with no cookie.
 * {@code Vary: Cookie} goes with every response whose handler touched the session.
 *
 * <p>Thread-safe: async handlers may use the session from other threads; {@link #commit} runs once.
 */
public final class SessionRequest {

    private static final System.Logger LOG = System.getLogger("dev.chirp.sessions");

    private final SessionMiddleware middleware;
    /** The raw {@code Cookie} headers, or the token header's values when {@link #fromHeader}. */
    private final Collection<String> cookieHeaders;
    /** The session travels in the header transport's header: cookies are neither read nor written. */
    private final boolean fromHeader;
    private final Session session;
    /** Written under the session's lock; volatile so that {@link #isCommitted} needs no lock. */
    private volatile boolean committed;
    /** Whether {@link #finish} has anything to check: set under the lock, read without it. */
    private volatile boolean finishChecks;

    // State below is guarded by the session's lock.
    private boolean hadCookie;
    private boolean loadedSession;
    private Map<String, Object> payload;
    private Instant signedAt;
    private boolean fallbackSecret;
    private Long createdAt;
    private Long lastSeenAt;
    private byte[] baseline;
    private byte[] committedSnapshot;
    private boolean accessedAfterCommit;
    private String versionUser;
    private Optional<String> versionOfUser;

    SessionRequest(SessionMiddleware middleware, Collection<String> cookieHeaders, boolean fromHeader) {
        this.middleware = middleware;
        this.cookieHeaders = cookieHeaders;
        this.fromHeader = fromHeader;
        this.session = new Session(this);
    }

    /** This request's session; cheap, verifies nothing until a method of the session is called. */
    public Session session() {
        return session;
    }

    /**
     * Makes {@link Sessions#get()} return this request's session on the calling thread until the
     * returned binding is closed, which restores whatever was bound before. Use try-with-resources.
     */
    public Binding bind() {
        SessionRequest previous = Sessions.bind(this);
        // Nearly always nothing was bound before: one shared binding instead of a lambda per request.
        return previous == null ? UNBIND : () -> Sessions.restore(previous);
    }

    private static final Binding UNBIND = () -> Sessions.restore(null);

    /** Whether the handler touched the session so far (any method call on it). */
    public boolean isAccessed() {
        synchronized (session) {
            return session.isAccessed();
        }
    }

    /**
     * Whether this request's session travels in the header of the header transport
     * ({@link SessionConfig#headerName()}) rather than a cookie: always with {@link SessionTransport#HEADER},
     * with {@link SessionTransport#COOKIE_OR_HEADER} when the request sent the header. Its cookies are then
     * not read for the session, and {@link #commit} answers in that header instead of {@code Set-Cookie}.
     */
    public boolean carriedByHeader() {
        return fromHeader;
    }

    /** Whether {@link #commit} or {@link #discard} already ran. */
    public boolean isCommitted() {
        return committed;
    }

    /**
     * Writes this request's session headers through {@code addHeader} ({@code Vary: Cookie} and at most
     * one {@code Set-Cookie}; with the header transport {@code Vary} names the token header and the token
     * goes in that header, empty to end the session), once: only the first call writes, later calls do nothing. Call it just
     * before the response can commit. Afterwards the session is frozen: changes throw
     * {@link SessionCommittedException}.
     *
     * @param addHeader adds one response header (for example {@code response::addHeader}); it must add,
     *                  not replace, so that other cookies survive
     * @return whether this call did the commit
     * @throws SessionTooLargeException if the cookie would exceed the size limit; no header was added
     * @throws SessionStoreException    if a server-side store failed
     * @throws IllegalStateException    if a list or map in the session was given a non-JSON value in place
     */
    public boolean commit(BiConsumer<String, String> addHeader) {
        if (committed) {
            return false; // adapters call this at every commit point: later calls take no lock
        }
        synchronized (session) {
            if (committed) {
                return false;
            }
            committed = true;
            session.markCommitted();
            if (!session.isAccessed()) {
                return true;
            }
            String header = decideCookie();
            addHeader.accept("Vary", middleware.vary());
            if (header != null) {
                addHeader.accept(fromHeader ? config().headerName() : "Set-Cookie", header);
            }
            Map<String, Object> data = session.rawData();
            if (data != null && session.isExposed()) {
                committedSnapshot = safeWrite(data);
                finishChecks = true;
            }
            return true;
        }
    }

    /**
     * Ends the request without writing anything: the policy for a handler that threw. The session is
     * frozen as after {@link #commit}.
     */
    public void discard() {
        synchronized (session) {
            if (!committed) {
                committed = true;
                session.markCommitted();
            }
        }
    }

    /**
     * Call when the response is complete (adapters may call it at the end of every dispatch). Logs a
     * warning, once per request, if lists or maps in the session were changed in place after the cookie
     * was written, or if the session was first read only after the response committed: such changes
     * cannot reach the browser, and such a response lacks {@code Vary: Cookie}.
     */
    public void finish() {
        if (!finishChecks) {
            return; // nothing was read late or exposed before the commit: the common request takes no lock
        }
        synchronized (session) {
            // Each condition is reported once per request, however many dispatches call finish().
            if (accessedAfterCommit) {
                accessedAfterCommit = false;
                LOG.log(Level.WARNING, "chirp-sessions: session cookie '" + config().cookieName()
                        + "' was first read after the response committed, so the response lacks "
                        + "'Vary: Cookie' and no change could be saved. Touch the session before the response "
                        + "is flushed, redirected or completed.");
            }
            Map<String, Object> data = session.rawData();
            if (committedSnapshot != null && data != null && !Json.sameAs(data, committedSnapshot)) {
                committedSnapshot = safeWrite(data);
                LOG.log(Level.WARNING, "chirp-sessions: session cookie '" + config().cookieName()
                        + "' was changed in place after it was written; the change is lost. Change the session "
                        + "before the response is flushed, redirected or completed.");
            }
        }
    }

    // --- called by Session under its lock ---

    Map<String, Object> load() {
        SessionConfig config = config();
        List<String> values = fromHeader ? tokenValues() : CookieHeader.values(cookieHeaders, config.cookieName());
        hadCookie = !values.isEmpty();
        String reason = null;
        Rejection rejection = null;
        // One clock read for the cache's age check and the timeouts below.
        long now = values.isEmpty() ? 0 : middleware.nowSeconds();
        boolean shared = false;
        for (int i = 0, n = values.size(); i < n; i++) {
            String value = values.get(i);
            LoadResult result = middleware.verify(value, now);
            if (!result.isVerified()) {
                reason = reason == null ? result.rejection().description() : reason;
                rejection = rejection == null ? result.rejection() : rejection;
                continue;
            }
            if (!(result.value() instanceof Map)) {
                reason = reason == null ? "payload is not a JSON object" : reason;
                rejection = rejection == null ? Rejection.BAD_PAYLOAD : rejection;
                continue;
            }
            // With the cache on, the map may be the cache's own (the default store), and its lists and
            // maps are: the session copies before any change or before any of them can leave it.
            payload = middleware.payloadOf(result);
            shared = middleware.sharesPayload();
            if (middleware.sharesContainers()) {
                session.containersShared();
            }
            signedAt = result.signedAt();
            fallbackSecret = result.signedWithFallbackSecret();
            break;
        }
        if (payload == null) {
            if (hadCookie) {
                debug(reason);
                emit(SessionEvent.rejected(rejection));
            }
            return new LinkedHashMap<>();
        }
        if (fallbackSecret) {
            emit(SessionEvent.of(SessionEvent.Type.FALLBACK_SECRET));
        }
        Map<String, Object> stored = storeLoad(payload);
        if (stored == null) {
            debug("session no longer in the store");
            emit(SessionEvent.of(SessionEvent.Type.MISSING));
            payload = null;
            return new LinkedHashMap<>();
        }
        Map<String, Object> data;
        if (stored instanceof LinkedHashMap) {
            data = stored;
            shared = shared && stored == payload;
        } else {
            data = new LinkedHashMap<>(stored);
            shared = false;
        }
        if (data.containsKey(Session.CREATED_AT) || data.containsKey(Session.LAST_SEEN_AT)) {
            if (shared) {
                data = VerifiedCookieCache.shallowCopy(data);
                shared = false;
            }
            createdAt = epochSeconds(data.remove(Session.CREATED_AT));
            lastSeenAt = epochSeconds(data.remove(Session.LAST_SEEN_AT));
        }
        long lastActivity = lastActivity();
        long absolute = middleware.absoluteTimeoutSeconds();
        long idle = middleware.idleTimeoutSeconds();
        boolean expired = (absolute >= 0 && createdAt != null && now - createdAt > absolute)
                || (idle >= 0 && now - lastActivity > idle);
        if (expired) {
            debug("session timed out");
            emit(SessionEvent.of(SessionEvent.Type.TIMED_OUT));
            storeDelete(payload);
            payload = null;
            createdAt = null;
            lastSeenAt = null;
            return new LinkedHashMap<>();
        }
        if (isRevoked(data)) {
            debug("session revoked: its user's session version changed");
            emit(SessionEvent.of(SessionEvent.Type.REVOKED));
            // Deleted from a server-side store too, so the revoked id is gone for good, not just hidden.
            storeDelete(payload);
            payload = null;
            createdAt = null;
            lastSeenAt = null;
            return new LinkedHashMap<>();
        }
        loadedSession = true;
        if (shared) {
            session.dataShared();
        }
        return data;
    }

    /**
     * The token the client sent in the header transport's header: its first non-blank value, trimmed (an
     * empty value is a client that holds no token yet). One value, so a request cannot make the server
     * verify many.
     */
    private List<String> tokenValues() {
        for (String value : cookieHeaders) {
            String token = value == null ? "" : value.strip();
            if (!token.isEmpty()) {
                return List.of(token);
            }
        }
        return List.of();
    }

    /**
     * Whether a loaded session belongs to a user whose session version moved on, compared as text as
     * chirp does ({@code str(expected) != str(stored)}): a session without a version is revoked as soon as
     * the user has one.
     */
    private boolean isRevoked(Map<String, Object> data) {
        Object user = data.get(Sessions.USER_ID_KEY);
        if (user == null || config().sessionVersions().isEmpty()) {
            return false;
        }
        Optional<String> current = currentVersion(String.valueOf(user));
        if (current.isEmpty()) {
            return false;
        }
        Object held = data.get(Sessions.SESSION_VERSION_KEY);
        return held == null || !current.get().equals(String.valueOf(held));
    }

    /**
     * The user's current session version from the configured lookup, asked at most once per request and
     * user; empty when no lookup is configured or it has no version for the user.
     *
     * @throws SessionStoreException if the lookup fails: the request fails closed
     */
    Optional<String> currentVersion(String userId) {
        SessionVersionLookup lookup = config().sessionVersions().orElse(null);
        if (lookup == null) {
            return Optional.empty();
        }
        synchronized (session) {
            if (!userId.equals(versionUser)) {
                Optional<String> version;
                try {
                    version = lookup.currentVersion(userId);
                } catch (SessionStoreException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Fail closed: a session that may be revoked must not be served because the user
                    // table is unreachable, and must not be ended either because of an outage.
                    throw new SessionStoreException("session version lookup failed; the request fails rather "
                            + "than serve a session that may have been revoked", e);
                }
                versionUser = userId;
                versionOfUser = version == null ? Optional.empty() : version;
            }
            return versionOfUser;
        }
    }

    void onRegenerate() {
        if (payload != null) {
            storeDelete(payload);
            payload = null;
        }
        createdAt = null;
        lastSeenAt = null;
        signedAt = null;
        fallbackSecret = false;
    }

    /**
     * A list or map under a key the request had not set is about to leave the session: remember the JSON
     * of the whole session, once, to find in-place changes key by key at the commit. One snapshot serves
     * every key: a key present now that the request had not set still holds what was loaded, since
     * nothing of it could leave before; a key set or removed afterwards is written or deleted anyway.
     * Kept here rather than in the session so that the session object of a read-only request stays as
     * small as it was.
     */
    void takeBaseline() {
        if (baseline == null && session.rawData() != null) {
            baseline = safeWrite(session.rawData());
        }
    }

    /** The snapshot {@link #takeBaseline()} took, or {@code null} if nothing left the session. */
    byte[] baseline() {
        return baseline;
    }

    /** A list or map is about to leave the session after the commit: remember its JSON, to report late changes. */
    void onExposeAfterCommit() {
        if (session.rawData() != null && committedSnapshot == null) {
            committedSnapshot = safeWrite(session.rawData());
            finishChecks = true;
        }
    }

    /** The session was touched for the first time after the commit: too late for headers. */
    void onFirstAccessAfterCommit() {
        accessedAfterCommit = true;
        finishChecks = true;
    }

    Optional<String> fingerprint() {
        return payload == null ? Optional.empty() : config().store().fingerprint(payload);
    }

    /** Whether the session may also hold Flask's types (bytes, UUIDs, datetimes), for put's checks. */
    boolean flaskTypes() {
        return config().format() == SessionFormat.FLASK;
    }

    Long createdAt() {
        return createdAt;
    }

    // --- the write policy ---

    private String decideCookie() {
        SessionConfig config = config();
        Map<String, Object> data = session.rawData();
        if (data == null) {
            return null; // touched only through methods that do not load (none today): nothing known
        }
        if (data.isEmpty()) {
            if (payload != null && !storeDelete(payload)) {
                // Ended meanwhile (a login or logout in another tab): the browser may already hold the
                // newer cookie, which a deletion cookie would destroy.
                return null;
            }
            if (!hadCookie) {
                return null;
            }
            if (loadedSession) {
                emit(SessionEvent.of(SessionEvent.Type.ENDED));
            }
            return fromHeader ? "" : middleware.setCookie().deletion();
        }
        // Top-level values were checked by put() and loaded ones are JSON by construction; only a list or
        // map that left the session can have been given something else in place.
        JsonValues.Invalid bad = session.isExposed() ? JsonValues.firstInvalid(data, 0, true, flaskTypes()) : null;
        if (bad != null && bad.text()) {
            throw new IllegalStateException(bad.textMessage("a session value changed in place",
                    bad.path().substring(1)));
        }
        if (bad != null) {
            throw new IllegalStateException("session value at " + bad.path().substring(1) + " must be a JSON value: "
                    + bad.type() + " was put into a list or map of the session in place; "
                    + "convert it before storing it");
        }
        long nowSeconds = middleware.nowSeconds();
        boolean changed = session.isModified() || session.isRegenerated() || session.changedInPlace();
        boolean isNew = payload == null;
        boolean write = changed || isNew || fallbackSecret || cookieRefreshDue(nowSeconds)
                || idleRefreshDue(nowSeconds);
        if (!write) {
            return null;
        }
        Instant now = now();
        nowSeconds = now.getEpochSecond();
        boolean timeouts = config.idleTimeout().isPresent() || config.absoluteTimeout().isPresent();
        Long createdBefore = createdAt;
        Long lastSeenBefore = lastSeenAt;
        if (timeouts && createdAt == null) {
            createdAt = nowSeconds;
        }
        if (config.idleTimeout().isPresent() || (timeouts && lastSeenAt == null)) {
            lastSeenAt = nowSeconds;
        }
        Map<String, Object> full = data;
        if (createdAt != null || lastSeenAt != null) {
            full = new LinkedHashMap<>(data);
            if (createdAt != null) {
                full.put(Session.CREATED_AT, createdAt);
            }
            if (lastSeenAt != null) {
                full.put(Session.LAST_SEEN_AT, lastSeenAt);
            }
        }
        long lifetime = lifetimeSeconds(nowSeconds);
        Duration ttl = Duration.ofSeconds(lifetime);
        // A changed session saves only the keys it changed and an unchanged one is only touched: a
        // server-side store must not write back data loaded at the start of this request over a change
        // another request made meanwhile.
        Map<String, Object> newPayload;
        if (isNew || (changed && middleware.cookieStore())) {
            newPayload = storeSave(full, SessionChanges.whole(), ttl);
        } else if (changed) {
            newPayload = storeSave(full, session.changeSet(newStamps(createdBefore, lastSeenBefore)), ttl);
        } else {
            newPayload = storeTouch(full, ttl);
        }
        if (newPayload == null) {
            LOG.log(Level.INFO, "chirp-sessions: the session behind cookie '" + config.cookieName()
                    + "' ended while this request ran (logged out or regenerated elsewhere, or expired); "
                    + (changed ? "its change was not saved and " : "") + "no cookie is sent, so the browser "
                    + "keeps the one it has");
            return null;
        }
        String value;
        try {
            value = middleware.serializer().dumps(newPayload, now);
        } catch (PayloadTooLargeException e) {
            // It would compress into the cookie, but inflate past what any reader accepts.
            LOG.log(Level.WARNING, "chirp-sessions: session cookie '" + config.cookieName() + "' holds "
                    + e.size() + " bytes of JSON, over the limit of " + e.limit() + "; refusing to send a "
                    + "cookie no server would read back");
            throw new SessionTooLargeException(config.cookieName(), e);
        }
        String header = fromHeader ? value : middleware.setCookie().session(value, lifetime, now);
        int size = header.length(); // ASCII only: base64 value, attributes checked at startup
        if (size > config.maxCookieBytes()) {
            LOG.log(Level.WARNING, "chirp-sessions: session cookie '" + config.cookieName() + "' is " + size
                    + " bytes, over the limit of " + config.maxCookieBytes() + "; refusing to send a cookie "
                    + "the browser would drop");
            emitCookie(SessionEvent.Type.TOO_LARGE, size);
            throw new SessionTooLargeException(config.cookieName(), size, config.maxCookieBytes());
        }
        emitCookie(session.isRegenerated() ? SessionEvent.Type.REGENERATED
                : isNew ? SessionEvent.Type.CREATED
                : changed ? SessionEvent.Type.CHANGED
                : SessionEvent.Type.REFRESHED, size);
        return header;
    }

    // --- store calls and events ---

    private Map<String, Object> storeLoad(Map<String, Object> cookiePayload) {
        try {
            return config().store().load(cookiePayload);
        } catch (SessionStoreException e) {
            throw storeFailed(e);
        }
    }

    private boolean storeDelete(Map<String, Object> cookiePayload) {
        try {
            return config().store().delete(cookiePayload);
        } catch (SessionStoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Saves the session: whole when new or regenerated ({@link #payload} is then {@code null}) or in the
     * cookie (which has nowhere to merge: the browser keeps the last cookie), else with the keys this
     * request changed, so that a merging store keeps what concurrent requests changed.
     */
    private Map<String, Object> storeSave(Map<String, Object> data, SessionChanges changes, Duration ttl) {
        try {
            return config().store().save(payload, data, changes, ttl);
        } catch (SessionStoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Extends an unchanged session: never a save, since a server-side store must not write back data
     * loaded at the start of this request over a change another request made meanwhile.
     */
    private Map<String, Object> storeTouch(Map<String, Object> data, Duration ttl) {
        try {
            return config().store().touch(payload, data, ttl);
        } catch (SessionStoreException e) {
            throw storeFailed(e);
        }
    }

    /** The timeout stamps this save writes with a new value: the changed keys a merging store must write. */
    private List<String> newStamps(Long createdBefore, Long lastSeenBefore) {
        boolean created = createdAt != null && !createdAt.equals(createdBefore);
        boolean lastSeen = lastSeenAt != null && !lastSeenAt.equals(lastSeenBefore);
        if (created && lastSeen) {
            return List.of(Session.CREATED_AT, Session.LAST_SEEN_AT);
        }
        return created ? List.of(Session.CREATED_AT) : lastSeen ? List.of(Session.LAST_SEEN_AT) : List.of();
    }

    private SessionStoreException storeFailed(SessionStoreException e) {
        emit(SessionEvent.of(SessionEvent.Type.STORE_FAILURE));
        return e;
    }

    /**
     * Tells the listeners about {@code event}; a listener that throws is logged, never propagated. Also
     * for core features that decide about the session elsewhere (a revoked session version, for example).
     */
    void emit(SessionEvent event) {
        SessionEvents events = middleware.events();
        if (events.enabled()) {
            events.emit(event);
        }
    }

    private void emitCookie(SessionEvent.Type type, int size) {
        SessionEvents events = middleware.events();
        if (events.enabled()) {
            events.emit(SessionEvent.withCookieBytes(type, size));
        }
    }

    /** Whether a read-only request should re-issue the cookie to slide its {@code maxAge}. */
    private boolean cookieRefreshDue(long nowSeconds) {
        double threshold = config().refreshThreshold();
        if (signedAt == null || threshold >= 1.0) {
            return false;
        }
        long age = nowSeconds - signedAt.getEpochSecond();
        return age >= threshold * config().maxAge().getSeconds();
    }

    /**
     * Whether a read-only request should record activity for the idle timeout. Activity is recorded at
     * most every {@code min(60 s, idle / 10)}, so a session ends after between 90% of the idle timeout
     * (at most 60 s less) and the whole of it without requests, while an active user costs one
     * {@code Set-Cookie} a minute at most.
     */
    private boolean idleRefreshDue(long nowSeconds) {
        Optional<Duration> idle = config().idleTimeout();
        if (idle.isEmpty() || signedAt == null) {
            return false;
        }
        long step = Math.max(1, Math.min(60, idle.get().getSeconds() / 10));
        return nowSeconds - lastActivity() >= step;
    }

    /** The last recorded activity: the idle stamp, or the cookie's signing time if that is later. */
    private long lastActivity() {
        long signed = signedAt == null ? Long.MIN_VALUE : signedAt.getEpochSecond();
        return lastSeenAt == null ? signed : Math.max(lastSeenAt, signed);
    }

    /** Seconds the cookie (and server-side data) should live from now: the smallest of all limits. */
    private long lifetimeSeconds(long nowSeconds) {
        SessionConfig config = config();
        long lifetime = config.maxAge().getSeconds();
        if (config.idleTimeout().isPresent()) {
            lifetime = Math.min(lifetime, config.idleTimeout().get().getSeconds());
        }
        if (config.absoluteTimeout().isPresent() && createdAt != null) {
            long remaining = createdAt + config.absoluteTimeout().get().getSeconds() - nowSeconds;
            lifetime = Math.min(lifetime, Math.max(1, remaining));
        }
        return lifetime;
    }

    private SessionConfig config() {
        return middleware.config();
    }

    private Instant now() {
        return config().clock().instant();
    }

    private void debug(String reason) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "chirp-sessions: cookie '" + config().cookieName() + "' gives an empty session: "
                    + reason);
        }
    }

    /** The JSON of {@code value}, or an empty array (equal to no real snapshot) if it cannot be written. */
    static byte[] safeWrite(Object value) {
        try {
            return Json.write(value);
        } catch (RuntimeException e) {
            // A non-JSON value put in place, or a list changed by another thread while being written
            // (ConcurrentModificationException): either way not equal to any real snapshot.
            return new byte[0];
        }
    }

    private static Long epochSeconds(Object stamp) {
        if (stamp instanceof Number) {
            double seconds = ((Number) stamp).doubleValue();
            return Double.isFinite(seconds) ? (long) Math.floor(seconds) : null;
        }
        return null;
    }

    /** Restores the previous {@link Sessions#get()} binding when closed. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        /** Restores the binding that was in place before {@link SessionRequest#bind()}. */
        @Override
        void close();
    }
}
