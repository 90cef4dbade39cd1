package dev.chirp.sessions.demo;

import dev.chirp.sessions.SessionVersionLookup;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's stand-in for a user table's session-version column, in memory: every user starts at version
 * 1, and "log out everywhere" bumps it, which ends every cookie session carrying an older one. A real
 * application keeps this in its database (and caches the lookup briefly).
 */
final class UserVersions implements SessionVersionLookup {

    private final ConcurrentHashMap<String, Long> versions = new ConcurrentHashMap<>();

    @Override
    public Optional<String> currentVersion(String userId) {
        return Optional.of(Long.toString(versions.getOrDefault(userId, 1L)));
    }

    /** Moves the user to a new version and returns it: every session with the old one is revoked. */
    String bump(String userId) {
        return Long.toString(versions.merge(userId, 2L, (old, ignored) -> old + 1));
    }
}
