package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SessionStore} that times every call of the store it wraps, for {@link SessionMetrics}. It
 * forwards every method, defaults included: a default left to the interface would silently replace the
 * wrapped store's own (a merging save would write whole sessions, the fingerprint would be empty).
 */
final class TimedSessionStore implements SessionStore {

    private final SessionStore store;
    private final SessionMetrics metrics;

    TimedSessionStore(SessionStore store, SessionMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** The store being timed. */
    SessionStore delegate() {
        return store;
    }

    @Override
    public Map<String, Object> load(Map<String, Object> cookiePayload) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            Map<String, Object> result = store.load(cookiePayload);
            success = true;
            return result;
        } finally {
            metrics.recordStoreCall("load", success, System.nanoTime() - start);
        }
    }

    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, Duration timeToLive) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            Map<String, Object> result = store.save(current, data, timeToLive);
            success = true;
            return result;
        } finally {
            metrics.recordStoreCall("save", success, System.nanoTime() - start);
        }
    }

    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> data, SessionChanges changes,
            Duration timeToLive) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            Map<String, Object> result = store.save(current, data, changes, timeToLive);
            success = true;
            return result;
        } finally {
            metrics.recordStoreCall("save", success, System.nanoTime() - start);
        }
    }

    @Override
    public Optional<String> fingerprint(Map<String, Object> cookiePayload) {
        return store.fingerprint(cookiePayload);
    }

    @Override
    public boolean delete(Map<String, Object> cookiePayload) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            boolean result = store.delete(cookiePayload);
            success = true;
            return result;
        } finally {
            metrics.recordStoreCall("delete", success, System.nanoTime() - start);
        }
    }

    @Override
    public Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> data,
            Duration timeToLive) {
        long start = System.nanoTime();
        boolean success = false;
        try {
            Map<String, Object> result = store.touch(cookiePayload, data, timeToLive);
            success = true;
            return result;
        } finally {
            metrics.recordStoreCall("touch", success, System.nanoTime() - start);
        }
    }

    @Override
    public String toString() {
        return "Timed" + store;
    }
}
