package dev.chirp.sessions;

import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import dev.chirp.sessions.internal.VerifiedCookieCache;
import java.io.IOException;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One request's session: a {@code Map<String, Object>} of JSON values (String, Number including
 * {@code BigInteger}, Boolean, {@code null}, List, Map with String keys) that survives between
 * requests, as chirp's {@code get_session()} dict does.
 *
 * <ul>
 *   <li>The cookie is verified the first time any method is called, not before: requests that never
 *       touch the session pay nothing.</li>
 *   <li>A value that is not JSON is refused by {@code put} with an {@link IllegalArgumentException}
 *       that names the key, the path and the type.</li>
 *   <li>Changes are tracked per top-level key, including lists and maps changed in place, so the cookie
 *       is written only when needed and a server-side store is told exactly which keys to write or
 *       delete (see {@link SessionChanges}): a request that only reads {@code cart} never writes it back
 *       over a concurrent request's change.</li>
 *   <li>All methods are thread-safe; compound methods ({@code merge}, {@code compute}, ...) are atomic.
 *       {@link #keySet()}, {@link #values()} and {@link #entrySet()} return read-only snapshots. Lists
 *       and maps stored in the session are ordinary collections: change them from one thread at a
 *       time, or replace them through {@code put}/{@code compute} from several.</li>
 *   <li>Once the cookie is written, changes throw {@link SessionCommittedException} instead of being
 *       lost.</li>
 * </ul>
 *
 * <p>{@link #toString()} lists the keys only: session contents stay out of logs.
 */
public final class Session implements Map<String, Object> {

    static final String CREATED_AT = "__created_at";
    static final String LAST_SEEN_AT = "__last_seen_at";

    private final SessionRequest owner;
    private Map<String, Object> data;
    private boolean accessed;
    /**
     * The keys this request set ({@code true}) or removed ({@code false}), in the order first changed; a
     * key's latest write decides. {@code null} until the first change: a read-only request allocates none.
     */
    private LinkedHashMap<String, Boolean> keyChanges;
    private boolean regenerated;
    private boolean committed;
    private boolean exposed;
    private boolean exposedAfterCommit;
    /** Lists and maps in {@link #data} belong to the verified-cookie cache until {@link #ownContainers}. */
    private boolean containersShared;
    /** {@link #data} itself is the verified-cookie cache's map until {@link #ownData}: copied on first change. */
    private boolean dataShared;

    Session(SessionRequest owner) {
        this.owner = owner;
    }

    // --- lifecycle, called by SessionRequest under this object's lock ---

    private Map<String, Object> data() {
        if (!accessed && committed) {
            owner.onFirstAccessAfterCommit();
        }
        accessed = true;
        if (data == null) {
            // Stays null when the store fails: the failure propagates, and the next call retries.
            data = owner.load();
        }
        return data;
    }

    private Map<String, Object> dataForWrite(String operation, String key) {
        if (committed) {
            throw new SessionCommittedException(key == null ? operation : operation + "(\"" + key + "\")");
        }
        data();
        ownData();
        return data;
    }

    private void recordSet(String key) {
        changes().put(key, Boolean.TRUE);
    }

    private void recordRemoved(String key) {
        changes().put(key, Boolean.FALSE);
    }

    private LinkedHashMap<String, Boolean> changes() {
        if (keyChanges == null) {
            keyChanges = new LinkedHashMap<>();
        }
        return keyChanges;
    }

    private boolean isSet(Object key) {
        return keyChanges != null && Boolean.TRUE.equals(keyChanges.get(key));
    }

    /**
     * Called before a list or map of the session leaves it (returned, or put by the caller who keeps a
     * reference): from then on it can change in place, so the request must compare before writing.
     *
     * @param compared whether it is under a key whose in-place changes must be found by comparing (not
     *                 one this request set, which is written anyway)
     */
    private Object exposing(Object value, boolean compared) {
        if (JsonValues.isContainer(value)) {
            expose(compared);
        }
        return value;
    }

    private void exposeAll(Map<String, Object> d) {
        if (JsonValues.hasContainers(d)) {
            expose(true);
        }
    }

    /** The loaded data's lists and maps are shared with the verified-cookie cache (set while loading). */
    void containersShared() {
        containersShared = true;
    }

    /** The loaded data's top-level map is the verified-cookie cache's own (set while loading). */
    void dataShared() {
        dataShared = true;
    }

    /**
     * Gives this request its own top-level map before the first change: a request that only reads shares
     * the cache's map and copies nothing.
     */
    private void ownData() {
        if (dataShared && data != null) {
            dataShared = false;
            data = VerifiedCookieCache.shallowCopy(data);
        }
    }

    /**
     * Replaces shared lists and maps with deep copies, once, before any can leave the session or be
     * changed: the cache's copy must never be reachable from a handler.
     */
    private void ownContainers() {
        if (containersShared && data != null) {
            ownData();
            containersShared = false;
            data.replaceAll((k, v) -> JsonValues.isContainer(v) ? VerifiedCookieCache.deepCopy(v) : v);
        }
    }

    private void expose(boolean compared) {
        ownContainers();
        if (committed) {
            // Once after the commit, to report changes that came too late.
            if (!exposedAfterCommit) {
                exposed = true;
                exposedAfterCommit = true;
                owner.onExposeAfterCommit();
            }
            return;
        }
        exposed = true;
        if (compared) {
            owner.takeBaseline();
        }
    }

    boolean isExposed() {
        return exposed;
    }

    boolean isAccessed() {
        return accessed;
    }

    /** Whether a key was set or removed (in-place changes not included). */
    boolean isModified() {
        return keyChanges != null;
    }

    /**
     * Whether a list or map changed in place since it left the session, compared as a whole: no
     * allocation when nothing changed, the common read-only request.
     */
    boolean changedInPlace() {
        byte[] baseline = owner.baseline();
        return baseline != null && data != null && !Json.sameAs(data, baseline);
    }

    /**
     * The keys this request changed, for a store that merges: set or removed as {@link #keyChanges}
     * says, and the keys not set whose list or map differs from the request's baseline (see
     * {@link SessionRequest#takeBaseline()}), compared key by key. Only lists and maps are compared: a
     * scalar under a key not set is as it was loaded.
     *
     * @param stamps timeout stamps this save writes anew, added to the changed keys
     */
    SessionChanges changeSet(List<String> stamps) {
        Set<String> changed = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        if (keyChanges != null) {
            for (Map.Entry<String, Boolean> e : keyChanges.entrySet()) {
                (e.getValue() ? changed : removed).add(e.getKey());
            }
        }
        byte[] baseline = owner.baseline();
        if (baseline != null) {
            Map<?, ?> before = readBaseline(baseline);
            for (Map.Entry<String, Object> e : data.entrySet()) {
                String key = e.getKey();
                Object value = e.getValue();
                if (JsonValues.isContainer(value) && (keyChanges == null || !keyChanges.containsKey(key))
                        && (before == null || !before.containsKey(key)
                                || !Json.sameAs(value, SessionRequest.safeWrite(before.get(key))))) {
                    changed.add(key);
                }
            }
        }
        changed.addAll(stamps);
        return SessionChanges.owning(changed, removed);
    }

    /** The baseline as a map, or {@code null} if it could not be written (then every list and map counts as changed). */
    private static Map<?, ?> readBaseline(byte[] baseline) {
        try {
            return Json.read(baseline) instanceof Map<?, ?> m ? m : null;
        } catch (IOException e) {
            return null;
        }
    }

    boolean isRegenerated() {
        return regenerated;
    }

    Map<String, Object> rawData() {
        return data;
    }

    void markCommitted() {
        committed = true;
    }

    boolean isCommittedState() {
        return committed;
    }

    // --- session-specific API ---

    /**
     * Clears the session and makes the response carry a fresh cookie (or a deletion cookie if nothing
     * is stored afterwards), as chirp's {@code regenerate_session()}. A server-side store forgets the
     * old session at once. Call it on login and logout to prevent session fixation.
     *
     * @return this session, now empty
     * @throws SessionCommittedException if the cookie was already written
     */
    public synchronized Session regenerate() {
        Map<String, Object> d = dataForWrite("regenerate()", null);
        d.clear();
        if (!regenerated) {
            regenerated = true;
            owner.onRegenerate();
        }
        return this;
    }

    /**
     * Regenerates the session as {@link #regenerate()} does, then puts back a copy of the value it held
     * under each of {@code keys}: a login that must not lose the visitor's cart calls
     * {@code regenerateKeeping("cart")}. Nothing else survives, and a key the session did not hold stays
     * absent. The carried values are deep copies, so a list or map a handler still holds from before the
     * regeneration is no longer the session's. The keys the session manages itself ({@value Sessions#USER_ID_KEY},
     * {@value Sessions#SESSION_VERSION_KEY}, {@value Csrf#SESSION_KEY}, {@code __created_at},
     * {@code __last_seen_at}) cannot be carried: keeping them would undo what the regeneration is for.
     *
     * @param keys the top-level keys to carry over; none is the same as {@link #regenerate()}
     * @return this session, holding only the carried keys
     * @throws IllegalArgumentException if a key is null or one the session manages itself (the session is
     *                                  untouched)
     * @throws SessionCommittedException if the cookie was already written
     */
    public synchronized Session regenerateKeeping(String... keys) {
        List<String> carried = checkCarried(keys);
        Map<String, Object> d = data();
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String key : carried) {
            if (d.containsKey(key)) {
                kept.put(key, JsonValues.isContainer(d.get(key)) ? VerifiedCookieCache.deepCopy(d.get(key)) : d.get(key));
            }
        }
        regenerate();
        data.putAll(kept); // values this session already held: checked when they were put or loaded
        return this;
    }

    private static List<String> checkCarried(String... keys) {
        List<String> carried = List.of(keys); // throws NullPointerException for a null key
        for (String key : carried) {
            if (key.equals(Sessions.USER_ID_KEY) || key.equals(Sessions.SESSION_VERSION_KEY)
                    || key.equals(Csrf.SESSION_KEY) || key.equals(CREATED_AT) || key.equals(LAST_SEEN_AT)) {
                throw new IllegalArgumentException("keys kept across a regeneration must not include " + key
                        + ": the session manages it, and carrying it would undo the regeneration; keep only "
                        + "your application's own keys");
            }
        }
        return carried;
    }

    /**
     * Whether this session travels in the request and response header of the header transport rather
     * than a cookie ({@link SessionTransport}): then the request's cookies were not read for it, so it
     * carries no ambient credential a cross-site request could borrow. Does not load the session.
     */
    public boolean carriedByHeader() {
        return owner.carriedByHeader();
    }

    /** When this session was created, if timeouts are configured and it has been saved before. */
    public synchronized Optional<Instant> createdAt() {
        data();
        return Optional.ofNullable(owner.createdAt()).map(Instant::ofEpochSecond);
    }

    /**
     * The store's short, non-secret name for the session this request arrived with (see
     * {@link SessionStore#fingerprint}), for example to mark "this device" in a list of a user's
     * sessions. Empty for the cookie store, for a new session, and after {@link #regenerate()}.
     */
    public synchronized Optional<String> fingerprint() {
        data();
        return owner.fingerprint();
    }

    /** Whether the session was changed during this request (including in-place changes seen so far). */
    public synchronized boolean isChanged() {
        data();
        return isModified() || regenerated || changedInPlace();
    }

    // --- Map ---

    @Override
    public synchronized int size() {
        return data().size();
    }

    @Override
    public synchronized boolean isEmpty() {
        return data().isEmpty();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return data().containsKey(key);
    }

    @Override
    public synchronized boolean containsValue(Object value) {
        // equals() of a caller's object may keep a reference to the values it is compared with.
        exposeAll(data());
        return data().containsValue(value);
    }

    @Override
    public synchronized Object get(Object key) {
        Object value = data().get(key);
        if (containersShared && JsonValues.isContainer(value)) {
            ownContainers();
            value = data.get(key);
        }
        return exposing(value, !isSet(key));
    }

    @Override
    public synchronized Object getOrDefault(Object key, Object defaultValue) {
        Object value = data().getOrDefault(key, defaultValue);
        if (containersShared && JsonValues.isContainer(value)) {
            ownContainers();
            value = data.getOrDefault(key, defaultValue);
        }
        return exposing(value, !isSet(key));
    }

    /**
     * Stores a JSON value under {@code key}.
     *
     * @throws IllegalArgumentException if the key is null or reserved, or the value is not JSON
     * @throws SessionCommittedException if the cookie was already written
     */
    @Override
    public synchronized Object put(String key, Object value) {
        checkEntry(key, value, owner.flaskTypes());
        Map<String, Object> d = dataForWrite("put", key);
        if (containersShared && JsonValues.isContainer(d.get(key))) {
            ownContainers(); // the replaced list or map goes back to the caller
        }
        recordSet(key);
        exposing(value, false);
        return d.put(key, value);
    }

    @Override
    public synchronized Object remove(Object key) {
        if (committed) {
            throw new SessionCommittedException("remove(\"" + key + "\")");
        }
        Map<String, Object> d = data();
        if (!d.containsKey(key)) {
            return null;
        }
        recordRemoved((String) key); // every key in the data is a String
        ownData();
        d = data;
        if (containersShared && JsonValues.isContainer(d.get(key))) {
            ownContainers(); // the removed list or map goes to the caller
        }
        return d.remove(key);
    }

    @Override
    public synchronized void putAll(Map<? extends String, ? extends Object> m) {
        for (Map.Entry<? extends String, ? extends Object> e : m.entrySet()) {
            checkEntry(e.getKey(), e.getValue(), owner.flaskTypes());
        }
        Map<String, Object> d = dataForWrite("putAll(...)", null);
        for (Map.Entry<? extends String, ? extends Object> e : m.entrySet()) {
            recordSet(e.getKey());
            exposing(e.getValue(), false);
        }
        d.putAll(m);
    }

    @Override
    public synchronized void clear() {
        if (committed) {
            throw new SessionCommittedException("clear()");
        }
        if (!data().isEmpty()) {
            ownData();
            for (String key : data.keySet()) {
                recordRemoved(key);
            }
            data.clear();
        }
    }

    /** A read-only snapshot of the keys, in insertion order. */
    @Override
    public synchronized Set<String> keySet() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(data().keySet()));
    }

    /** A read-only snapshot of the values, in insertion order. Lists and maps in it are the live ones. */
    @Override
    public synchronized Collection<Object> values() {
        exposeAll(data());
        return Collections.unmodifiableList(new ArrayList<>(data().values()));
    }

    /** A read-only snapshot of the entries, in insertion order; change the session through {@link #put}. */
    @Override
    public synchronized Set<Map.Entry<String, Object>> entrySet() {
        exposeAll(data());
        Set<Map.Entry<String, Object>> copy = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : data().entrySet()) {
            copy.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        return Collections.unmodifiableSet(copy);
    }

    @Override
    public synchronized Object putIfAbsent(String key, Object value) {
        Object current = get(key);
        return current != null ? current : put(key, value);
    }

    @Override
    public synchronized boolean remove(Object key, Object value) {
        return Map.super.remove(key, value);
    }

    @Override
    public synchronized boolean replace(String key, Object oldValue, Object newValue) {
        return Map.super.replace(key, oldValue, newValue);
    }

    @Override
    public synchronized Object replace(String key, Object value) {
        return Map.super.replace(key, value);
    }

    @Override
    public synchronized Object computeIfAbsent(String key, Function<? super String, ? extends Object> fn) {
        return Map.super.computeIfAbsent(key, fn);
    }

    @Override
    public synchronized Object computeIfPresent(String key,
            BiFunction<? super String, ? super Object, ? extends Object> fn) {
        return Map.super.computeIfPresent(key, fn);
    }

    @Override
    public synchronized Object compute(String key, BiFunction<? super String, ? super Object, ? extends Object> fn) {
        return Map.super.compute(key, fn);
    }

    @Override
    public synchronized Object merge(String key, Object value,
            BiFunction<? super Object, ? super Object, ? extends Object> fn) {
        return Map.super.merge(key, value, fn);
    }

    @Override
    public synchronized void replaceAll(BiFunction<? super String, ? super Object, ? extends Object> fn) {
        exposeAll(data());
        for (Map.Entry<String, Object> e : new LinkedHashMap<>(data()).entrySet()) {
            put(e.getKey(), fn.apply(e.getKey(), e.getValue()));
        }
    }

    @Override
    public synchronized boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        exposeAll(data());
        return o instanceof Map && data().equals(o);
    }

    @Override
    public synchronized int hashCode() {
        return data().hashCode();
    }

    /** Lists the keys, never the values, so that session contents stay out of logs. */
    @Override
    public synchronized String toString() {
        return "Session" + List.copyOf(data().keySet());
    }

    private static void checkEntry(String key, Object value, boolean flaskTypes) {
        Objects.requireNonNull(key, "session key must not be null");
        if (key.length() > JsonValues.MAX_STRING_CHARS) {
            throw new IllegalArgumentException("session key must be at most " + JsonValues.MAX_STRING_CHARS
                    + " chars: " + key.length() + " chars; use a short key");
        }
        int surrogate = JsonValues.unpairedSurrogate(key);
        if (surrogate >= 0) {
            throw new IllegalArgumentException("session key must be valid Unicode text: it has "
                    + JsonValues.describeUnpairedSurrogate(key, surrogate) + ", which UTF-8 cannot encode; remove "
                    + "the lone surrogate (it usually comes from cutting a string inside an emoji)");
        }
        if (key.equals(CREATED_AT) || key.equals(LAST_SEEN_AT)) {
            throw new IllegalArgumentException("session key must not be " + key
                    + ": it is reserved for the session's timeouts; choose another key");
        }
        JsonValues.Invalid bad = JsonValues.firstInvalid(value, 1, false, flaskTypes);
        String where = bad == null ? null : key + ("(root)".equals(bad.path()) ? "" : bad.path());
        if (bad != null && bad.text()) {
            throw new IllegalArgumentException(bad.textMessage("session value for \"" + key + "\"", where));
        }
        if (bad != null) {
            throw new IllegalArgumentException("session value for \"" + key + "\" must be a JSON value "
                    + "(String, Number, Boolean, null, List, Map with String keys"
                    + (flaskTypes ? "; in the Flask format also byte[], UUID, Instant, OffsetDateTime, ZonedDateTime" : "")
                    + "; finite numbers of at most "
                    + JsonValues.MAX_NUMBER_DIGITS + " digits; nested at most " + JsonValues.MAX_DEPTH
                    + " levels with the session): "
                    + bad.type() + " at " + where
                    + "; convert it first, for example instant.toString() or List.copyOf(set)");
        }
    }
}
