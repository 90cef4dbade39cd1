package dev.chirp.sessions;

import dev.chirp.sessions.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An in-memory server-side store that merges change sets as the conflict policy says (the reference a
 * real store is measured against), and records every change set it was given. Values are stored as
 * JSON copies, as a real store keeps them: a handler changing a list after the commit cannot reach them.
 */
final class MergingMemoryStore implements SessionStore {

    final Map<String, Map<String, Object>> data = new LinkedHashMap<>();
    final List<SessionChanges> saves = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized Map<String, Object> load(Map<String, Object> cookiePayload) {
        calls.add("load");
        Map<String, Object> stored = data.get(id(cookiePayload));
        return stored == null ? null : copy(stored);
    }

    @Override
    public Map<String, Object> save(Map<String, Object> current, Map<String, Object> values, Duration timeToLive) {
        return save(current, values, SessionChanges.whole(), timeToLive);
    }

    @Override
    public synchronized Map<String, Object> save(Map<String, Object> current, Map<String, Object> values,
            SessionChanges changes, Duration timeToLive) {
        calls.add(current == null ? "save-new" : "save");
        saves.add(changes);
        if (current == null) {
            String id = UUID.randomUUID().toString();
            data.put(id, copy(values));
            return Map.of("sid", id);
        }
        Map<String, Object> stored = data.get(id(current));
        if (stored == null) {
            return null; // ended meanwhile: never brought back
        }
        if (changes.isWhole()) {
            stored.clear();
            stored.putAll(copy(values));
            return current;
        }
        Map<String, Object> written = copy(values);
        for (String key : changes.removed()) {
            stored.remove(key);
        }
        for (String key : changes.changed()) {
            Object value = written.get(key);
            if (key.equals(SessionChanges.CREATED_AT_KEY) && stored.containsKey(key)) {
                continue; // the creation stamp never moves
            }
            if (key.equals(SessionChanges.LAST_SEEN_AT_KEY) && stored.get(key) instanceof Number held
                    && held.longValue() > ((Number) value).longValue()) {
                continue; // nor does last seen go backwards
            }
            stored.put(key, value);
        }
        return current;
    }

    @Override
    public synchronized boolean delete(Map<String, Object> cookiePayload) {
        calls.add("delete");
        return data.remove(id(cookiePayload)) != null;
    }

    @Override
    public synchronized Map<String, Object> touch(Map<String, Object> cookiePayload, Map<String, Object> values,
            Duration timeToLive) {
        calls.add("touch");
        return data.containsKey(id(cookiePayload)) ? cookiePayload : null;
    }

    /** The only session held, without its timeout stamps. */
    synchronized Map<String, Object> only() {
        if (data.size() != 1) {
            throw new AssertionError("expected one stored session, found " + data.size());
        }
        Map<String, Object> stored = copy(data.values().iterator().next());
        stored.remove(SessionChanges.CREATED_AT_KEY);
        stored.remove(SessionChanges.LAST_SEEN_AT_KEY);
        return stored;
    }

    synchronized SessionChanges lastSave() {
        return saves.get(saves.size() - 1);
    }

    private static String id(Map<String, Object> payload) {
        return (String) payload.get("sid");
    }

    /** A deep copy through JSON: what any real store does to the values it keeps. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> values) {
        try {
            return (Map<String, Object>) Json.read(Json.write(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
