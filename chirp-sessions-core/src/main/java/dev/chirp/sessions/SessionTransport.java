package dev.chirp.sessions;

/**
 * Where the signed session token travels between client and server: a cookie (chirp's way, for
 * browsers), a request and response header (for API and mobile clients, as Spring Session's
 * {@code X-Auth-Token}), or either.
 *
 * <p>With a header, the client keeps the token itself: it sends it in
 * {@link SessionConfig#headerName()} on every request and replaces it whenever a response carries that
 * header; an empty value tells it to forget the token (the session ended). The rules are the cookie's:
 * the token is verified only when the handler touches the session, a response carries it only when the
 * session changed, was regenerated, is due for a refresh or was read with a fallback secret, and it is
 * refused over {@link SessionConfig#maxCookieBytes()}. The cookie attributes (path, domain,
 * {@code Secure}, {@code SameSite}) do not apply to a header.
 *
 * <p>A request whose session comes from the header carries no ambient credential: a browser attaches
 * cookies to a forged cross-site request, but never a custom header. {@link CsrfGuard} therefore lets
 * such requests through without a CSRF token ({@link Session#carriedByHeader()}).
 */
public enum SessionTransport {

    /** A cookie, as chirp does: the default. */
    COOKIE(true, false),

    /** The header only: cookies are never read or written. */
    HEADER(false, true),

    /**
     * Either: a request that sends the header (even empty, before the client holds a token) is a header
     * client, answered in the header, and its cookies are not read for the session; any other request
     * is a cookie client. One server then serves a browser front end and API clients alike.
     */
    COOKIE_OR_HEADER(true, true);

    private final boolean cookie;
    private final boolean header;

    SessionTransport(boolean cookie, boolean header) {
        this.cookie = cookie;
        this.header = header;
    }

    /** Whether a request may carry the session in a cookie. */
    public boolean acceptsCookie() {
        return cookie;
    }

    /** Whether a request may carry the session in the header: adapters read it only then. */
    public boolean acceptsHeader() {
        return header;
    }
}
