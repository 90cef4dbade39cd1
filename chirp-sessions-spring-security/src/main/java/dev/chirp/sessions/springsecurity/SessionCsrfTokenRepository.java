package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * A {@link CsrfTokenRepository} that keeps Spring Security's CSRF token in the request's chirp session,
 * where chirp keeps its own ({@link Csrf#SESSION_KEY}), so CSRF protection needs no {@code HttpSession}.
 *
 * <p>The token has chirp's form, 32 random bytes as 64 hex characters, and it is the same token: a page
 * rendered with {@link Csrf#token()} and one rendered by Spring Security carry one session token. Forms send
 * it as the parameter {@value #PARAMETER_NAME} (Spring Security's name, which its form tags and default
 * pages fill in) and scripts as the header {@link Csrf#HEADER_NAME} (header names are case-insensitive, so
 * Spring's {@code X-CSRF-TOKEN} is the same header). Spring Security masks the token differently on every
 * page and expects it masked back; the session holds the unmasked value. A new session (after a login or a
 * logout) starts without a token, and the first page that needs one creates it.
 */
public final class SessionCsrfTokenRepository implements CsrfTokenRepository {

    /** The form parameter that carries the token; its value is {@value}. */
    public static final String PARAMETER_NAME = "_csrf";

    /** Creates the repository; it holds no state of its own, one instance serves every request. */
    public SessionCsrfTokenRepository() {
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return new DefaultCsrfToken(Csrf.HEADER_NAME, PARAMETER_NAME, CsrfTokenValue.next());
    }


    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        Session session = SessionFilter.session(request);
        if (token == null) {
            session.remove(Csrf.SESSION_KEY);
        } else {
            session.put(Csrf.SESSION_KEY, token.getToken());
        }
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        Object token = SessionFilter.session(request).get(Csrf.SESSION_KEY);
        // Anything but a non-empty string is not a token this repository (or chirp) wrote: treat it as
        // absent, so a fresh token replaces it instead of a request failing on it.
        return token instanceof String text && !text.isEmpty()
                ? new DefaultCsrfToken(Csrf.HEADER_NAME, PARAMETER_NAME, text)
                : null;
    }
}
