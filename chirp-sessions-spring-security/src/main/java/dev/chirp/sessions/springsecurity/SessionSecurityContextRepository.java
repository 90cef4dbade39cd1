package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * A {@link SecurityContextRepository} that keeps the logged-in user in the request's chirp session as plain
 * JSON, never in an {@code HttpSession} and never through Java serialization.
 *
 * <p>A login is stored the way chirp's {@code login()} stores one: the session is regenerated (so a cookie
 * captured or planted before the login is worth nothing after it) and {@value Sessions#USER_ID_KEY} holds
 * the principal name, which a chirp (Python) service sharing the secret reads as its user id. Beside it,
 * {@value #AUTHENTICATION_KEY} holds what Spring Security needs to rebuild the login:
 * <pre>{"name": "ada", "authorities": ["ROLE_USER"], "type": "password"}</pre>
 * {@code type} is {@code "remember-me"} for a remember-me login, {@code "password"} for a username and
 * password login, and the simple class name of the {@link Authentication} otherwise. Saving an empty or
 * anonymous context (Spring Security's {@code logout()}) regenerates the session, ending it.
 *
 * <p>The rebuilt {@link Authentication} carries the principal <em>name</em> as its principal, not the
 * {@code UserDetails} object the login produced: code should read {@link Authentication#getName()}. A
 * remember-me login is rebuilt as a {@link RememberMeAuthenticationToken}, every other one as an
 * authenticated {@link UsernamePasswordAuthenticationToken}. A session whose {@value Sessions#USER_ID_KEY}
 * was set without this repository (by {@code Sessions.login}, or by a chirp service) is not a Spring
 * Security login: its authorities are unknown, so it stays anonymous to Spring Security.
 *
 * <p>The chirp {@code SessionFilter} must handle the request before Spring Security does (the
 * chirp-sessions Spring Boot starter registers it so). The session is only read when Spring Security first
 * asks for the context, so requests that never need it do not verify the cookie.
 */
public final class SessionSecurityContextRepository implements SecurityContextRepository {

    /** The session key of the stored login, beside {@value Sessions#USER_ID_KEY}; its value is {@value}. */
    public static final String AUTHENTICATION_KEY = "_authentication";

    /** The {@code type} stored for a username and password login; its value is {@value}. */
    public static final String TYPE_PASSWORD = "password";

    /** The {@code type} stored for a remember-me login; its value is {@value}. */
    public static final String TYPE_REMEMBER_ME = "remember-me";

    private static final Set<String> MANAGED_KEYS = Set.of(Sessions.USER_ID_KEY, Sessions.SESSION_VERSION_KEY,
            AUTHENTICATION_KEY, SessionRequestCache.SAVED_REQUEST_KEY, Csrf.SESSION_KEY,
            SessionChanges.CREATED_AT_KEY, SessionChanges.LAST_SEEN_AT_KEY);

    private static final String RESTORED = SessionSecurityContextRepository.class.getName() + ".restored";

    private SecurityContextHolderStrategy contextHolderStrategy = SecurityContextHolder.getContextHolderStrategy();
    private String[] keepOnLogin = {};

    /** Creates the repository; it holds no state of its own, one instance serves every request. */
    public SessionSecurityContextRepository() {
    }

    /**
     * Sets the strategy that creates empty contexts; the default is the one {@link SecurityContextHolder}
     * uses.
     *
     * @param strategy the strategy
     * @throws NullPointerException if {@code strategy} is null
     */
    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.contextHolderStrategy = Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * Names the session keys whose values survive a login; the default is none, as chirp's {@code login()}
     * (which empties the session). A shop keeps the visitor's cart with {@code setKeepOnLogin(List.of("cart"))}:
     * the login still regenerates the session, and only copies of these keys' values (and the page to
     * return to) are carried into the new one.
     *
     * @param keys the application's own top-level session keys
     * @throws NullPointerException     if {@code keys} or one of them is null
     * @throws IllegalArgumentException if a key is blank or one that chirp or this repository manages
     *                                  ({@value Sessions#USER_ID_KEY}, {@value #AUTHENTICATION_KEY}, the CSRF
     *                                  token, the session version, the timeouts)
     */
    public void setKeepOnLogin(Collection<String> keys) {
        for (String key : List.copyOf(keys)) {
            if (key.isBlank() || MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("keep-on-login keys must be the application's own session keys: \""
                        + key + "\"; " + (key.isBlank() ? "remove the blank key" : "chirp and Spring Security manage "
                        + key + " at login, remove it from the list"));
            }
        }
        this.keepOnLogin = keys.toArray(String[]::new);
    }

    /** The keys whose values survive a login (see {@link #setKeepOnLogin}); empty by default. */
    public List<String> getKeepOnLogin() {
        return List.of(keepOnLogin);
    }

    /**
     * Loads the context eagerly; Spring Security's filters call {@link #loadDeferredContext} instead.
     *
     * @deprecated deprecated in {@link SecurityContextRepository}; use {@link #loadDeferredContext}
     */
    @Deprecated
    @Override
    public SecurityContext loadContext(HttpRequestResponseHolder requestResponseHolder) {
        return load(requestResponseHolder.getRequest());
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return new LazyContext(() -> load(request));
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        Session session = SessionFilter.session(request);
        Authentication authentication = context.getAuthentication();
        if (StoredLogin.isLoggedOut(authentication)) {
            if (session.containsKey(Sessions.USER_ID_KEY) || session.containsKey(AUTHENTICATION_KEY)) {
                session.regenerate();
            }
            return;
        }
        if (authentication == request.getAttribute(RESTORED)) {
            return;
        }
        String name = authentication.getName();
        Map<String, Object> stored = StoredLogin.of(name, authentication);
        if (!name.equals(session.get(Sessions.USER_ID_KEY))) {
            login(session, name);
        }
        session.put(AUTHENTICATION_KEY, stored);
        request.setAttribute(RESTORED, authentication);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return StoredLogin.restore(SessionFilter.session(request)) != null;
    }

    /**
     * chirp's login(): regenerate, then user_id. The session is regenerated even when the same user was
     * stored before under another name, and the request Spring Security saved before the login page (the
     * page to return to) is the one value carried across.
     */
    private void login(Session session, String name) {
        Object savedRequest = session.get(SessionRequestCache.SAVED_REQUEST_KEY);
        if (Sessions.find().orElse(null) == session) {
            // The thread's own session: whatever login() adds, this login gets too.
            Sessions.loginKeeping(name, keepOnLogin);
        } else {
            session.regenerateKeeping(keepOnLogin);
            session.put(Sessions.USER_ID_KEY, name);
        }
        if (savedRequest != null) {
            session.put(SessionRequestCache.SAVED_REQUEST_KEY, savedRequest);
        }
    }

    private SecurityContext load(HttpServletRequest request) {
        SecurityContext context = contextHolderStrategy.createEmptyContext();
        Authentication authentication = StoredLogin.restore(SessionFilter.session(request));
        if (authentication != null) {
            context.setAuthentication(authentication);
            request.setAttribute(RESTORED, authentication);
        }
        return context;
    }

    /** Reads the session only when Spring Security first asks, once per request. */
    private static final class LazyContext implements DeferredSecurityContext {
        private final Supplier<SecurityContext> loader;
        private SecurityContext context;
        private boolean generated;

        LazyContext(Supplier<SecurityContext> loader) {
            this.loader = loader;
        }

        @Override
        public SecurityContext get() {
            if (context == null) {
                context = loader.get();
                generated = context.getAuthentication() == null;
            }
            return context;
        }

        @Override
        public boolean isGenerated() {
            get();
            return generated;
        }
    }
}
