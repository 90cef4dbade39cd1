package dev.chirp.sessions;

/**
 * The cookie format of a {@link SessionConfig}: how the session payload becomes a cookie value. Every
 * format works with every store, timeout, size limit and key rotation; they differ in who can read the
 * cookie.
 */
public enum SessionFormat {
    /**
     * chirp's signed format, itsdangerous' {@code URLSafeTimedSerializer} (the default): chirp and other
     * itsdangerous services sharing the secret read it; anyone holding the cookie can read (not change)
     * the session. See {@link dev.chirp.sessions.signing.TimedSerializer}.
     */
    CHIRP,
    /**
     * Flask's session cookie: cookie name {@code session} and salt {@code cookie-session} unless set,
     * HMAC key derivation and Flask's tagged JSON, so a Flask app sharing {@code SECRET_KEY} shares the
     * session. Values may also be {@code byte[]}, {@code UUID}, {@code Instant}, {@code OffsetDateTime},
     * {@code ZonedDateTime} and {@link dev.chirp.sessions.json.FlaskTuple}. See
     * {@link dev.chirp.sessions.signing.FlaskSerializer}.
     */
    FLASK,
    /**
     * Sealed format v1: AES-256-GCM, so nobody without the secret can read or change the session, bound
     * to the cookie name. The salt option does not apply. See
     * {@link dev.chirp.sessions.signing.SealedSerializer}.
     */
    SEALED
}
