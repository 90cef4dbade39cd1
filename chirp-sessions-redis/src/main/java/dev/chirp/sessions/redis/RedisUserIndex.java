package dev.chirp.sessions.redis;

import dev.chirp.sessions.SessionIds;
import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionPage;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.chirp.sessions.UserSessionRegistry} side of a {@link RedisSessionStore}: pages of a
 * user's sessions and revocation in bounded batches, over the index the store's scripts keep (see
 * {@link UserIndexScripts}), and over 0.1's index for sessions not yet converted.
 */
final class RedisUserIndex {

    // Sessions ended per script when revoking all: small enough that Redis answers others in between.
    static final int REVOKE_BATCH = 100;
    private static final int LEGACY_SCAN = 200;

    private final RedisSessionStore store;
    private final RedisKeys keys;

    RedisUserIndex(RedisSessionStore store) {
        this.store = store;
        this.keys = store.keys;
    }

    UserSessionPage page(Object userId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        int page = Math.min(limit, store.maxSessionsPerUser());
        String tag = SessionIds.userTag(userId);
        List<Object> reply = store.script(UserIndexScripts.LIST, ScriptOutputType.MULTI,
                new String[] {keys.seen(tag), keys.created(tag), keys.legacySeen(tag), keys.legacyCreated(tag)},
                keys.sessionPrefix(tag), keys.legacySessionPrefix(tag), Integer.toString(page),
                Integer.toString(page + RedisSessionStore.PRUNE_PER_LOGIN));
        long total = reply == null || reply.isEmpty() ? 0 : (Long) reply.get(0);
        List<UserSession> sessions = new ArrayList<>();
        for (int i = 1; reply != null && i + 3 < reply.size(); i += 4) {
            String kind = (String) reply.get(i);
            String name = (String) reply.get(i + 1);
            String fingerprint = kind.equals("n") ? name.substring(0, SessionIds.FINGERPRINT_LENGTH)
                    : SessionIds.fingerprint(name);
            sessions.add(new UserSession(fingerprint, millis(reply.get(i + 2)), millis(reply.get(i + 3))));
        }
        sessions.sort(Comparator.comparing(UserSession::lastSeen).reversed());
        List<UserSession> shown = sessions.subList(0, Math.min(page, sessions.size()));
        return new UserSessionPage(shown, (int) Math.max(total, shown.size()));
    }

    boolean revoke(Object userId, String fingerprint) {
        if (!SessionIds.isFingerprint(fingerprint)) {
            return false; // not one we made; and it must never reach a MATCH pattern unchecked
        }
        String tag = SessionIds.userTag(userId);
        Long ended = store.script(UserIndexScripts.REVOKE_ONE, ScriptOutputType.INTEGER,
                new String[] {keys.seen(tag), keys.created(tag)}, keys.sessionPrefix(tag), fingerprint);
        if (ended != null && ended >= 0) {
            return ended > 0;
        }
        boolean[] found = {false};
        eachLegacyBatch(tag, ids -> {
            List<String> match = ids.stream().filter(id -> SessionIds.fingerprint(id).equals(fingerprint)).toList();
            if (!match.isEmpty()) {
                found[0] = legacyRevoke(tag, match) > 0;
                return false;
            }
            return true;
        });
        return found[0];
    }

    int revokeAllExcept(Object userId, String keepFingerprint) {
        String tag = SessionIds.userTag(userId);
        String keep = keepFingerprint == null ? "" : keepFingerprint;
        int[] ended = {0};
        // 0.1's index first: a session converted meanwhile moves to the new index, done next.
        eachLegacyBatch(tag, ids -> {
            List<String> doomed = ids.stream().filter(id -> !SessionIds.fingerprint(id).equals(keep)).toList();
            ended[0] += doomed.isEmpty() ? 0 : legacyRevoke(tag, doomed);
            return true;
        });
        while (true) {
            List<Long> reply = store.script(UserIndexScripts.REVOKE_BATCH, ScriptOutputType.MULTI,
                    new String[] {keys.seen(tag), keys.created(tag)}, keys.sessionPrefix(tag), keep,
                    Integer.toString(REVOKE_BATCH));
            ended[0] += reply.get(0).intValue();
            if (reply.get(1) < REVOKE_BATCH) {
                return ended[0];
            }
        }
    }

    private int legacyRevoke(String tag, List<String> ids) {
        String[] scriptKeys = new String[ids.size() + 2];
        scriptKeys[0] = keys.legacySeen(tag);
        scriptKeys[1] = keys.legacyCreated(tag);
        for (int i = 0; i < ids.size(); i++) {
            scriptKeys[i + 2] = keys.legacySession(ids.get(i), tag);
        }
        Long n = store.script(UserIndexScripts.LEGACY_REVOKE, ScriptOutputType.INTEGER, scriptKeys,
                ids.toArray(new String[0]));
        return n == null ? 0 : n.intValue();
    }

    /** What to do with one batch of 0.1 ids; {@code false} stops the walk. */
    @FunctionalInterface
    private interface Batch {
        boolean accept(List<String> ids);
    }

    /** Walks 0.1's index of the user with {@code HSCAN}, a bounded batch per round trip. */
    private void eachLegacyBatch(String tag, Batch batch) {
        String key = keys.legacySeen(tag);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            MapScanCursor<String, String> page = store.call("HSCAN",
                    () -> store.link.hashes.hscan(key, from, ScanArgs.Builder.limit(LEGACY_SCAN)));
            List<String> ids = new ArrayList<>();
            for (Map.Entry<String, String> entry : page.getMap().entrySet()) {
                if (SessionIds.isId(entry.getKey())) {
                    ids.add(entry.getKey());
                }
            }
            if (!ids.isEmpty() && !batch.accept(ids)) {
                return;
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private static Instant millis(Object text) {
        // Scores come back as Redis formats doubles ("1.7651e+12" is possible for some values).
        return Instant.ofEpochMilli((long) Double.parseDouble((String) text));
    }
}
