package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * A {@link CsrfTokenRepository} that keeps Spring Security's CSRF token in the request's chirp session,
 * under chirp's own key {@value #TOKEN_KEY}, so CSRF protection needs no {@code HttpSession}.
 *
 * <p>The token is 32 random bytes in unpadded URL-safe base64, the form of Python's
 * {@code secrets.token_urlsafe(32)}; forms send it as the parameter {@value #PARAMETER_NAME} (Spring
 * Security's name, which its form tags and default pages fill in) and scripts as the header
 * {@value #HEADER_NAME} (chirp's spelling; header names are case-insensitive, so Spring's
 * {@code X-CSRF-TOKEN} is the same header). Spring Security masks the token differently on every page; the
 * session holds the unmasked value. A new session (after a login or a logout) starts without a token, and
 * the first page that needs one creates it.
 */
public final class SessionCsrfTokenRepository implements CsrfTokenRepository {

    /** The session key of the token, the one chirp's CSRF protection uses; its value is {@value}. */
    public static final String TOKEN_KEY = "_csrf_token";

    /** The request header that carries the token; its value is {@value}. */
    public static final String HEADER_NAME = "X-CSRF-Token";

    /** The form parameter that carries the token; its value is {@value}. */
    public static final String PARAMETER_NAME = "_csrf";

    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates the repository; it holds no state of its own, one instance serves every request. */
    public SessionCsrfTokenRepository() {
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return new DefaultCsrfToken(HEADER_NAME, PARAMETER_NAME,
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        Session session = SessionFilter.session(request);
        if (token == null) {
            session.remove(TOKEN_KEY);
        } else {
            session.put(TOKEN_KEY, token.getToken());
        }
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        Object token = SessionFilter.session(request).get(TOKEN_KEY);
        // Anything but a non-empty string is not a token this repository (or chirp) wrote: treat it as
        // absent, so a fresh token replaces it instead of a request failing on it.
        return token instanceof String text && !text.isEmpty()
                ? new DefaultCsrfToken(HEADER_NAME, PARAMETER_NAME, text)
                : null;
    }
}
