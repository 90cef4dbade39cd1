package dev.chirp.sessions.signing;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns a session payload into a cookie value and back: the one seam between the middleware and a cookie
 * format. {@link TimedSerializer} (chirp's signed format), {@link FlaskSerializer} (Flask's signed
 * session cookie) and {@link SealedSerializer} (encrypted, sealed format v1) implement it.
 *
 * <p>Implementations are immutable and thread-safe. {@link #loads} is a pure function of the cookie
 * value, the clock and the age limit, so a cache of verified values may wrap it.
 */
public interface SessionCodec {

    /**
     * Writes {@code value} as a cookie value under the current secret, stamped {@code signedAt}.
     *
     * @throws IllegalArgumentException if the value holds something this format cannot carry
     */
    String dumps(Object value, Instant signedAt);

    /**
     * Verifies {@code cookieValue} and decodes its value, refusing values older than {@code maxAge}.
     * Untrusted input is never an exception: every failure is a rejected {@link LoadResult}.
     *
     * @param maxAge the age limit, or {@code null} for none
     */
    LoadResult loads(String cookieValue, Duration maxAge);
}
