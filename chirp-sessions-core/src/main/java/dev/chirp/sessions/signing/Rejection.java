package dev.chirp.sessions.signing;

/**
 * Why {@link SessionCodec#loads} refused a value. Every rejection means the same thing to a web
 * request — "no session" — but each has its own reason for logs and metrics.
 */
public enum Rejection {
    /** No signature or timestamp separator, or a part that is not URL-safe base64. */
    MALFORMED("malformed value"),
    /** The signature does not match, or a sealed value does not open, under the current secret or any fallback. */
    BAD_SIGNATURE("signature does not match"),
    /** Signed longer ago than the maximum age allows. */
    EXPIRED("signature expired"),
    /** Signed further in the future than the clock-skew tolerance allows. */
    SIGNED_IN_FUTURE("signed in the future beyond the clock-skew tolerance"),
    /** The signature (or seal) verified but the payload is not base64, not inflatable or not JSON. */
    BAD_PAYLOAD("payload is not valid JSON"),
    /** The signature verified but the payload inflates beyond the configured cap. */
    PAYLOAD_TOO_LARGE("payload inflates beyond the size cap");

    private final String description;

    Rejection(String description) {
        this.description = description;
    }

    /** A short lower-case phrase for a log line, such as {@code "signature expired"}. */
    public String description() {
        return description;
    }
}
