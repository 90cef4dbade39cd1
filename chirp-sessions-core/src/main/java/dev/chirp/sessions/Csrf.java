package dev.chirp.sessions;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The session's CSRF token, as chirp's {@code csrf} middleware keeps it: 32 random bytes as 64 lower-case
 * hex characters (Python's {@code secrets.token_hex(32)}) under the session key {@value #SESSION_KEY},
 * sent back by forms in the field {@value #FIELD_NAME} or by scripts in the header {@value #HEADER_NAME}.
 * A Java service and a chirp service that share the session cookie accept each other's tokens.
 *
 * <p>Templates call {@link #token()} or {@link #formField()}; a {@link CsrfGuard} adapter (the servlet
 * {@code CsrfFilter}, the JDK server's {@code CsrfHttpFilter}) checks the token on unsafe requests. The
 * token is created the first time a page asks for it, so requests that render no form store nothing.
 * A login or logout regenerates the session and with it the token.
 */
public final class Csrf {

    /** The session key that holds the token, as in chirp. */
    public static final String SESSION_KEY = "_csrf_token";

    /** The form field that carries the token, as in chirp. */
    public static final String FIELD_NAME = "_csrf_token";

    /** The request header that carries the token (htmx, fetch), as in chirp. */
    public static final String HEADER_NAME = "X-CSRF-Token";

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    /**
     * The current request's CSRF token, created and stored in the session if it has none.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     * @throws SessionCommittedException if a token must be created after the response committed
     */
    public static String token() {
        return token(Sessions.get());
    }

    /**
     * The CSRF token of {@code session}, created and stored in it if it has none; for code on another
     * thread than the request's.
     *
     * @throws SessionCommittedException if a token must be created after the response committed
     */
    public static String token(Session session) {
        synchronized (session) {
            if (session.get(SESSION_KEY) instanceof String token && !token.isEmpty()) {
                return token;
            }
            byte[] bytes = new byte[TOKEN_BYTES];
            RANDOM.nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            session.put(SESSION_KEY, token);
            return token;
        }
    }

    /**
     * A hidden form field carrying the current request's token, chirp's {@code csrf_field()}:
     * {@code <input type="hidden" name="_csrf_token" value="...">}. The token is hex, so nothing needs
     * escaping.
     *
     * @throws NoActiveSessionException if no session middleware handles a request on this thread
     */
    public static String formField() {
        return "<input type=\"hidden\" name=\"" + FIELD_NAME + "\" value=\"" + token() + "\">";
    }
}
