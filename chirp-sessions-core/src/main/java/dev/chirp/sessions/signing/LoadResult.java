package dev.chirp.sessions.signing;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of {@link SessionCodec#loads}: either a verified value with its signing time, or a
 * {@link Rejection}. Untrusted input is an ordinary result here, never an exception.
 */
public final class LoadResult {

    private final Object value;
    private final Instant signedAt;
    private final Rejection rejection;
    private final int secretIndex;
    private final boolean compressed;

    private LoadResult(Object value, Instant signedAt, Rejection rejection, int secretIndex, boolean compressed) {
        this.value = value;
        this.signedAt = signedAt;
        this.rejection = rejection;
        this.secretIndex = secretIndex;
        this.compressed = compressed;
    }

    static LoadResult verified(Object value, Instant signedAt, int secretIndex, boolean compressed) {
        return new LoadResult(value, signedAt, null, secretIndex, compressed);
    }

    static LoadResult rejected(Rejection rejection) {
        return new LoadResult(null, null, Objects.requireNonNull(rejection), -1, false);
    }

    /** Whether the value verified and is within its age limits. */
    public boolean isVerified() {
        return rejection == null;
    }

    /** Why the value was refused, or {@code null} if it verified. */
    public Rejection rejection() {
        return rejection;
    }

    /**
     * The decoded JSON value ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}
     * or {@code null}).
     *
     * @throws IllegalStateException if the value was rejected
     */
    public Object value() {
        requireVerified();
        return value;
    }

    /**
     * When the value was signed, to the second.
     *
     * @throws IllegalStateException if the value was rejected
     */
    public Instant signedAt() {
        requireVerified();
        return signedAt;
    }

    /**
     * Whether a fallback secret, not the current one, verified the signature: such a value should be
     * re-signed with the current secret.
     *
     * @throws IllegalStateException if the value was rejected
     */
    public boolean signedWithFallbackSecret() {
        requireVerified();
        return secretIndex > 0;
    }

    /** Whether the payload was zlib-compressed (the {@code .} form). */
    public boolean compressed() {
        return compressed;
    }

    private void requireVerified() {
        if (rejection != null) {
            throw new IllegalStateException("value was rejected: " + rejection.description());
        }
    }

    @Override
    public String toString() {
        return rejection == null
                ? "LoadResult[verified, signedAt=" + signedAt + ", fallbackSecret=" + (secretIndex > 0) + "]"
                : "LoadResult[rejected: " + rejection.description() + "]";
    }
}
