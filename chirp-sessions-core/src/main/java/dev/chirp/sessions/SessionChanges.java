package dev.chirp.sessions;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which top-level keys of a session one request changed, handed to {@link SessionStore#save(java.util.Map, java.util.Map,
 * SessionChanges, java.time.Duration)} so that a server-side store can apply only those changes and keep
 * what concurrent requests of the same session changed meanwhile.
 *
 * <ul>
 *   <li>{@link #isWhole()}: the stored session is replaced by the data as it is (a new or regenerated
 *       session, where there is nothing to merge with).</li>
 *   <li>{@link #changed()}: keys whose value in the data must be written: set, replaced, or a list or map
 *       under them changed in place (a key only read is not in it, so a request that read {@code cart} and
 *       set {@code x} never writes back a {@code cart} another request changed meanwhile). Includes the
 *       timeout stamps {@value #CREATED_AT_KEY} and {@value #LAST_SEEN_AT_KEY} when this save gives them a
 *       new value (the first save after timeouts were turned on; {@value #LAST_SEEN_AT_KEY} on every save
 *       with an idle timeout); a merging store never moves either
 *       backwards (it keeps the larger {@value #LAST_SEEN_AT_KEY} and the stored
 *       {@value #CREATED_AT_KEY}).</li>
 *   <li>{@link #removed()}: keys to delete. A key is never in both sets.</li>
 * </ul>
 *
 * <p>The conflict policy that follows, for a merging store: changes to different keys from concurrent
 * requests are all kept; for the same key the last save wins; a removal is a change like any other. The
 * cookie store cannot merge: the browser keeps the last cookie it was sent.
 */
public final class SessionChanges {

    /** The key of the creation stamp, chirp's {@code __created_at}. */
    public static final String CREATED_AT_KEY = "__created_at";
    /** The key of the last-seen stamp, chirp's {@code __last_seen_at}. */
    public static final String LAST_SEEN_AT_KEY = "__last_seen_at";

    private static final SessionChanges WHOLE = new SessionChanges(true, Set.of(), Set.of());

    private final boolean whole;
    private final Set<String> changed;
    private final Set<String> removed;

    private SessionChanges(boolean whole, Set<String> changed, Set<String> removed) {
        this.whole = whole;
        this.changed = changed;
        this.removed = removed;
    }

    /** The whole session replaces what the store holds: nothing to merge with. */
    public static SessionChanges whole() {
        return WHOLE;
    }

    /**
     * The given keys were written or removed; everything else is as the request loaded it.
     *
     * @throws NullPointerException     if a set or a key is null
     * @throws IllegalArgumentException if a key is in both sets
     */
    public static SessionChanges of(Set<String> changed, Set<String> removed) {
        Set<String> c = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(changed, "changed")));
        Set<String> r = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(removed, "removed")));
        for (String key : c) {
            Objects.requireNonNull(key, "changed key");
            if (r.contains(key)) {
                throw new IllegalArgumentException("a key must not be both changed and removed: \"" + key + "\"");
            }
        }
        for (String key : r) {
            Objects.requireNonNull(key, "removed key");
        }
        return new SessionChanges(false, c, r);
    }

    /** {@link #of} for sets the caller built, checked and hands over: the session's save path copies nothing. */
    static SessionChanges owning(Set<String> changed, Set<String> removed) {
        return new SessionChanges(false, Collections.unmodifiableSet(changed), Collections.unmodifiableSet(removed));
    }

    /** Whether the store must replace the whole session (then {@link #changed()} and {@link #removed()} are empty). */
    public boolean isWhole() {
        return whole;
    }

    /** The keys whose value in the saved data must be written, in the order they were first changed. */
    public Set<String> changed() {
        return changed;
    }

    /** The keys to delete. */
    public Set<String> removed() {
        return removed;
    }

    /** Whether nothing is to be written (not whole, and no key changed or removed). */
    public boolean isEmpty() {
        return !whole && changed.isEmpty() && removed.isEmpty();
    }

    /** The key names only; never the values. */
    @Override
    public String toString() {
        return whole ? "SessionChanges[whole]" : "SessionChanges[changed=" + changed + ", removed=" + removed + "]";
    }
}
