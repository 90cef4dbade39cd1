package dev.chirp.sessions.redis;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When this store last set each session's expiry to, so that a write moves the expiry only when it is
 * due, without asking Redis ({@code PTTL}) first: a write of one key is then one {@code HSET} in Redis.
 *
 * <p>Safe with any number of application nodes: each node remembers only what it set itself, and every
 * node sets an expiry of at least what its own saves need (other nodes only ever set it later, or, under
 * an absolute timeout, no shorter than that timeout's end, which bounds every node's lifetime too). A
 * node that remembers nothing moves the expiry. Bounded: past {@link #MAX_ENTRIES} sessions it forgets
 * everything, which only costs some extra {@code PEXPIRE}s.
 */
final class ExpiryMemory {

    static final int MAX_ENTRIES = 50_000;

    private final ConcurrentHashMap<String, Long> deadlines = new ConcurrentHashMap<>();

    /**
     * Whether a save now must move the expiry: this store set none it remembers, or it would end before
     * the requested lifetime, or later than the lifetime and its slack.
     */
    boolean due(String sessionHash, long now, long ttlMillis, long ttlPlusMillis) {
        Long deadline = deadlines.get(sessionHash);
        return deadline == null || deadline < now + ttlMillis || deadline > now + ttlPlusMillis;
    }

    /** Remembers that the session's expiry was just set to {@code deadline} (epoch milliseconds). */
    void moved(String sessionHash, long deadline) {
        if (deadlines.size() >= MAX_ENTRIES) {
            deadlines.clear();
        }
        deadlines.put(sessionHash, deadline);
    }

    void forget(String sessionHash) {
        deadlines.remove(sessionHash);
    }
}
