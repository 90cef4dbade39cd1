package dev.chirp.sessions;

/** The cookie's {@code SameSite} attribute. */
public enum SameSite {
    /** Sent only with same-site requests. */
    STRICT("Strict"),
    /** Sent with same-site requests and top-level cross-site navigations (chirp's default). */
    LAX("Lax"),
    /** Sent with every request; browsers require {@code Secure} with it. */
    NONE("None");

    private final String attribute;

    SameSite(String attribute) {
        this.attribute = attribute;
    }

    /** The attribute value as written in {@code Set-Cookie}, such as {@code Lax}. */
    public String attributeValue() {
        return attribute;
    }
}
