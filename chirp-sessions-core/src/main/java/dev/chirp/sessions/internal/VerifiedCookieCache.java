package dev.chirp.sessions.internal;

import dev.chirp.sessions.json.FlaskTuple;
import dev.chirp.sessions.signing.LoadResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cookie values one middleware already verified, with what verifying them produced, so that a browser
 * sending the same cookie again skips base64, HMAC, inflate and JSON. Keyed by the whole cookie value:
 * any other value, a tampered one included, misses and is verified in full. Holds only results that
 * verified; what depends on the time (age, clock skew) is checked again by the caller on every hit.
 *
 * <p>Bounded by an estimate of the bytes its entries keep alive. Eviction is CLOCK (second chance): a
 * hit marks its entry, and the evictor passes over marked entries once, so cookies of active browsers
 * stay while one-off cookies leave first. The hit path is one {@link ConcurrentHashMap} lookup and at
 * most one volatile write; inserts and eviction happen only after a full verification, which costs far
 * more. Caffeine would evict a little more cleverly but would be a second runtime dependency of the
 * core for a cache whose miss costs a few microseconds.
 *
 * <p>Cached values are shared between requests and never handed to a handler: each request gets its
 * own top-level map ({@link #shallowCopy}), and the session deep-copies the lists and maps in it
 * ({@link #deepCopy}) before the first of them can leave it, so nothing a handler changes reaches the
 * cache, while a request that reads only strings and numbers copies nothing nested.
 */
public final class VerifiedCookieCache {

    /** Entries larger than this share of the capacity are not cached: one cookie must not flush the rest. */
    private static final int LARGEST_SHARE = 8;

    private final long capacityBytes;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> clock = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Object evictionLock = new Object();

    /**
     * A cookie value as a map key, hashed on its last {@value #HASHED_CHARS} characters only. Every format
     * ends a cookie with its MAC or authentication tag, so those characters are as good a hash as the
     * whole value, while {@link String#hashCode()} would walk all of a 4 KB cookie on every request (it is
     * a new string each time, so its hash is never cached). Equality still compares the whole value. An
     * attacker cannot use the short hash to crowd one bucket: only cookies that verified are ever stored,
     * and their last characters are a MAC the attacker cannot choose.
     */
    private static final class Key {
        final String cookie;
        final int hash;

        Key(String cookie) {
            this.cookie = cookie;
            int h = cookie.length();
            for (int i = Math.max(0, cookie.length() - HASHED_CHARS), n = cookie.length(); i < n; i++) {
                h = 31 * h + cookie.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).hash == hash && ((Key) o).cookie.equals(cookie);
        }
    }

    /** The characters of a cookie's tail that go into its hash: 16 base64 characters are 96 bits of MAC. */
    private static final int HASHED_CHARS = 16;

    /** One verified cookie value and its result. */
    private static final class Entry {
        final Key cookie;
        final LoadResult result;
        final long weight;
        volatile boolean referenced;

        Entry(Key cookie, LoadResult result, long weight) {
            this.cookie = cookie;
            this.result = result;
            this.weight = weight;
        }
    }

    /**
     * Creates an empty cache.
     *
     * @param capacityBytes the most bytes (estimated) its entries may keep alive; must be positive
     */
    public VerifiedCookieCache(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * The verified result cached for {@code cookie}, or {@code null}. Its value is shared: {@link #deepCopy}
     * it before anything can change it. The caller must check the signing time against the age limits.
     */
    public LoadResult get(String cookie) {
        Entry entry = entries.get(new Key(cookie));
        if (entry == null) {
            return null;
        }
        if (!entry.referenced) {
            entry.referenced = true; // written only when it changes: no cache-line traffic on every hit
        }
        return entry.result;
    }

    /**
     * Caches {@code result}, a verified result whose value is a JSON object, for {@code cookie}. The cache
     * keeps {@code result}'s value: the caller must not change it afterwards (it hands out a copy).
     */
    public void put(String cookie, LoadResult result) {
        if (!result.isVerified() || !(result.value() instanceof Map)) {
            return;
        }
        long weight = 160 + (40 + cookie.length()) + estimate(result.value());
        if (weight > capacityBytes / LARGEST_SHARE) {
            return;
        }
        Key key = new Key(cookie);
        Entry entry = new Entry(key, result, weight);
        if (entries.putIfAbsent(key, entry) != null) {
            return; // another request verified the same cookie at the same time
        }
        clock.offer(entry);
        if (bytes.addAndGet(weight) > capacityBytes) {
            evict();
        }
    }

    /** The estimated bytes the entries keep alive now. */
    public long estimatedBytes() {
        return bytes.get();
    }

    /** How many cookie values are cached now. */
    public int size() {
        return entries.size();
    }

    /** The capacity in (estimated) bytes. */
    public long capacityBytes() {
        return capacityBytes;
    }

    private void evict() {
        synchronized (evictionLock) {
            // Each marked entry is passed over once per sweep, so two sweeps of the queue always suffice.
            int budget = 2 * clock.size() + 2;
            while (bytes.get() > capacityBytes && budget-- > 0) {
                Entry oldest = clock.poll();
                if (oldest == null) {
                    return;
                }
                if (oldest.referenced) {
                    oldest.referenced = false;
                    clock.offer(oldest);
                } else if (entries.remove(oldest.cookie, oldest)) {
                    bytes.addAndGet(-oldest.weight);
                }
            }
        }
    }

    /** A new top-level map with the same entries: nested lists and maps are still shared. */
    public static Map<String, Object> shallowCopy(Map<String, Object> value) {
        Map<String, Object> copy = new LinkedHashMap<>(value.size() * 4 / 3 + 1);
        copy.putAll(value);
        return copy;
    }

    /**
     * A deep copy of a JSON value, in the types the JSON reader produces ({@link LinkedHashMap},
     * {@link ArrayList}; strings, numbers and booleans are immutable and shared).
     */
    public static Object deepCopy(Object value) {
        return copyValue(value);
    }

    private static Map<String, Object> copyMap(Map<?, ?> map) {
        // Sized so that the copy never rehashes (default load factor 0.75).
        Map<String, Object> copy = new LinkedHashMap<>(map.size() * 4 / 3 + 1);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            copy.put((String) e.getKey(), copyValue(e.getValue()));
        }
        return copy;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map) {
            return copyMap((Map<?, ?>) value);
        }
        if (value instanceof FlaskTuple) {
            // A Flask-format tuple must stay a tuple, or Flask reads a list back.
            List<Object> items = new ArrayList<>(((FlaskTuple) value).size());
            for (Object item : (FlaskTuple) value) {
                items.add(copyValue(item));
            }
            return FlaskTuple.copyOf(items);
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone(); // Flask-format bytes: mutable, so each request gets its own
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(copyValue(item));
            }
            return copy;
        }
        return value;
    }

    /** A rough count of the bytes {@code value} keeps alive on a 64-bit JVM with compressed pointers. */
    private static long estimate(Object value) {
        if (value instanceof String) {
            String s = (String) value;
            return 24 + 16 + (long) s.length() * (isLatin1(s) ? 1 : 2);
        }
        if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            long total = 56 + 16L + 4L * Integer.highestOneBit(map.size() * 2 + 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                total += 40 + estimate(e.getKey()) + estimate(e.getValue());
            }
            return total;
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            long total = 24 + 16 + 4L * list.size();
            for (Object item : list) {
                total += estimate(item);
            }
            return total;
        }
        if (value instanceof BigInteger) {
            return 40 + 16 + ((BigInteger) value).bitLength() / 8;
        }
        if (value == null || value instanceof Boolean) {
            return 0; // shared constants
        }
        return 24; // Integer, Long, Double
    }

    private static boolean isLatin1(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        // Never the cookie values: each is a bearer credential.
        return "VerifiedCookieCache[" + entries.size() + " cookies, ~" + bytes.get() + " of " + capacityBytes
                + " bytes]";
    }
}
