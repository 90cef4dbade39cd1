package dev.chirp.sessions;

import java.time.Instant;
import java.util.Objects;

/**
 * One of a user's sessions in a {@link UserSessionRegistry}: what a "your devices" page shows, without
 * the session's data or its id.
 *
 * @param fingerprint a short, non-secret name of the session (16 hex characters), the same that
 *                    {@link Session#fingerprint()} gives for the current request's session; pass it to
 *                    {@link UserSessionRegistry#revoke} to end that session
 * @param created     when the session was stored for the first time (its login)
 * @param lastSeen    when it was last saved or refreshed: precise to the sliding refresh, since unchanged
 *                    requests in between only read it
 */
public record UserSession(String fingerprint, Instant created, Instant lastSeen) {

    /**
     * Creates the record.
     *
     * @throws NullPointerException if an argument is null
     */
    public UserSession {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
