package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Sessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The JSON form of a Spring Security login in a chirp session, shared by the servlet and the reactive
 * repositories so that both read and write exactly the same values: {@value Sessions#USER_ID_KEY} holds
 * the principal name and {@value SessionSecurityContextRepository#AUTHENTICATION_KEY} holds
 * {@code {"name": ..., "authorities": [...], "type": ...}}.
 */
final class StoredLogin {

    // A rebuilt remember-me token is never authenticated again by a RememberMeAuthenticationProvider (it
    // comes from a verified session, not from a remember-me cookie), so its key only has to be non-empty.
    private static final String REBUILT_REMEMBER_ME_KEY = "chirp-sessions";

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private StoredLogin() {
    }

    /** Whether {@code authentication} is no login at all: absent or anonymous (a logout saves such a context). */
    static boolean isLoggedOut(Authentication authentication) {
        return authentication == null || TRUST.isAnonymous(authentication);
    }

    /** The value stored under {@value SessionSecurityContextRepository#AUTHENTICATION_KEY}. */
    static Map<String, Object> of(String name, Authentication authentication) {
        List<Object> authorities = new ArrayList<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            // An authority without a String form (getAuthority() == null) cannot be decided on later either.
            if (authority.getAuthority() != null) {
                authorities.add(authority.getAuthority());
            }
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("name", name);
        stored.put("authorities", authorities);
        stored.put("type", type(authentication));
        return stored;
    }

    private static String type(Authentication authentication) {
        if (TRUST.isRememberMe(authentication)) {
            return SessionSecurityContextRepository.TYPE_REMEMBER_ME;
        }
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            return SessionSecurityContextRepository.TYPE_PASSWORD;
        }
        return authentication.getClass().getSimpleName();
    }

    /**
     * The stored login of a session's values, or null when they hold none, or hold one that does not fit
     * together.
     */
    static Authentication restore(Map<String, Object> session) {
        Object userId = session.get(Sessions.USER_ID_KEY);
        if (!(userId instanceof String)
                || !(session.get(SessionSecurityContextRepository.AUTHENTICATION_KEY) instanceof Map<?, ?> stored)) {
            return null;
        }
        String name = (String) userId;
        // user_id rewritten without a login (a put instead of Sessions.login) must not inherit the old
        // user's authorities.
        if (!name.equals(stored.get("name")) || !(stored.get("authorities") instanceof List<?> listed)) {
            return null;
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (Object authority : listed) {
            if (!(authority instanceof String text) || text.isEmpty()) {
                return null;
            }
            authorities.add(new SimpleGrantedAuthority(text));
        }
        if (SessionSecurityContextRepository.TYPE_REMEMBER_ME.equals(stored.get("type"))) {
            return new RememberMeAuthenticationToken(REBUILT_REMEMBER_ME_KEY, name, authorities);
        }
        return UsernamePasswordAuthenticationToken.authenticated(name, null, authorities);
    }
}
