package dev.chirp.sessions;

import dev.chirp.sessions.signing.Rejection;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something that happened to one request's session, passed to every {@link SessionListener}: a
 * {@link Type} and, for some types, a {@link Rejection} reason or the size of the cookie. It carries no
 * session data, no session id and no cookie value, so it is safe to log as a whole.
 */
public final class SessionEvent {

    /** What happened. */
    public enum Type {
        /** A new session was stored and its first cookie written; carries the cookie size. */
        CREATED,
        /** An existing session was changed and its cookie re-issued; carries the cookie size. */
        CHANGED,
        /**
         * A session was regenerated (a login, for example) and its fresh cookie written; carries the
         * cookie size. A regenerated session left empty is {@link #ENDED} instead.
         */
        REGENERATED,
        /**
         * An unchanged session's cookie was re-issued: a sliding refresh, or a cookie verified by a
         * fallback secret re-signed with the current one; carries the cookie size.
         */
        REFRESHED,
        /** A session that the browser held was emptied (a logout, for example) and its cookie deleted. */
        ENDED,
        /** The browser's cookie was refused, so the request got an empty session; carries the reason. */
        REJECTED,
        /** The cookie verified, but the session's idle or absolute timeout had passed. */
        TIMED_OUT,
        /** The cookie verified, but the store no longer holds its session (ended elsewhere, or expired). */
        MISSING,
        /** The cookie was verified by a fallback secret; it is re-issued under the current secret. */
        FALLBACK_SECRET,
        /** The cookie would exceed the size limit and was refused; carries the refused size. */
        TOO_LARGE,
        /** A server-side store call failed with a {@link SessionStoreException}; the request fails. */
        STORE_FAILURE,
        /**
         * The session was revoked because the user's session version no longer matches (for example
         * after "log out everywhere" or a password change); the request gets an empty session.
         */
        REVOKED
    }

    private static final SessionEvent[] PLAIN = new SessionEvent[Type.values().length];
    private static final SessionEvent[] REJECTIONS = new SessionEvent[Rejection.values().length];

    static {
        for (Type type : Type.values()) {
            PLAIN[type.ordinal()] = new SessionEvent(type, null, -1);
        }
        for (Rejection rejection : Rejection.values()) {
            REJECTIONS[rejection.ordinal()] = new SessionEvent(Type.REJECTED, rejection, -1);
        }
    }

    private final Type type;
    private final Rejection rejection;
    private final int cookieBytes;

    private SessionEvent(Type type, Rejection rejection, int cookieBytes) {
        this.type = type;
        this.rejection = rejection;
        this.cookieBytes = cookieBytes;
    }

    /**
     * An event of {@code type} without details.
     *
     * @throws NullPointerException if {@code type} is null
     */
    public static SessionEvent of(Type type) {
        return PLAIN[Objects.requireNonNull(type, "type").ordinal()];
    }

    /**
     * A {@link Type#REJECTED} event with its reason.
     *
     * @throws NullPointerException if {@code rejection} is null
     */
    public static SessionEvent rejected(Rejection rejection) {
        return REJECTIONS[Objects.requireNonNull(rejection, "rejection").ordinal()];
    }

    /**
     * An event of {@code type} about a cookie of {@code cookieBytes} bytes (the whole {@code Set-Cookie}
     * header value).
     *
     * @throws IllegalArgumentException if {@code cookieBytes} is negative
     */
    public static SessionEvent withCookieBytes(Type type, int cookieBytes) {
        Objects.requireNonNull(type, "type");
        if (cookieBytes < 0) {
            throw new IllegalArgumentException("cookieBytes must be at least 0: " + cookieBytes
                    + "; pass the size of the Set-Cookie header value");
        }
        return new SessionEvent(type, null, cookieBytes);
    }

    /** What happened. */
    public Type type() {
        return type;
    }

    /** Why the cookie was refused, for {@link Type#REJECTED}; empty for every other type. */
    public Optional<Rejection> rejection() {
        return Optional.ofNullable(rejection);
    }

    /**
     * The size in bytes of the {@code Set-Cookie} header value written (or refused, for
     * {@link Type#TOO_LARGE}); empty when the event is not about a written cookie.
     */
    public OptionalInt cookieBytes() {
        return cookieBytes < 0 ? OptionalInt.empty() : OptionalInt.of(cookieBytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionEvent e && e.type == type && e.rejection == rejection
                && e.cookieBytes == cookieBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, rejection, cookieBytes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SessionEvent[").append(type);
        if (rejection != null) {
            s.append(", rejection=").append(rejection);
        }
        if (cookieBytes >= 0) {
            s.append(", cookieBytes=").append(cookieBytes);
        }
        return s.append(']').toString();
    }
}
