package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.UserSession;
import dev.chirp.sessions.UserSessionRegistry;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Spring Security's {@link SessionRegistry} on a server-side chirp store's {@link UserSessionRegistry}, so
 * that concurrent session control ({@code sessionManagement().maximumSessions(n)}) counts and ends chirp
 * sessions: the (n+1)th login ends the user's least recently seen session, or is refused with
 * {@code maxSessionsPreventsLogin(true)}. The chirp-sessions Spring Boot starter registers it as the
 * {@code SessionRegistry} bean whenever the store is a {@code UserSessionRegistry} (Redis, PostgreSQL).
 *
 * <ul>
 *   <li>A principal is the user id a login stored ({@code user_id}, the principal's name: a
 *       {@link UserDetails}' username, a {@link Principal}'s or {@link AuthenticatedPrincipal}'s name, else
 *       {@code toString()}); a session id is the session's fingerprint ({@link UserSession#fingerprint()}),
 *       never the session id itself.</li>
 *   <li>{@link #getAllSessions} lists the user's live sessions, most recently seen first, with the last
 *       request time the store recorded (precise to the sliding refresh); at most
 *       {@value #MAX_LISTED} of them, so that a call is bounded whatever one user did (the store's own
 *       cap ends the oldest beyond it).</li>
 *   <li>{@link SessionInformation#expireNow()} on a listed session, and {@link #removeSessionInformation}
 *       with a fingerprint this registry listed, end that session in the store at once: its next request
 *       finds no session, on every server. So Spring Security's {@code ConcurrentSessionFilter}, which
 *       only looks at {@code HttpSession}s, has nothing left to do.</li>
 *   <li>The store registers a session when a login stores its user, and records its last request
 *       itself: {@link #registerNewSession} and {@link #refreshLastRequest} do nothing, and
 *       {@link #getSessionInformation} (asked with {@code HttpSession} ids, which chirp never creates)
 *       answers {@code null}. {@link #getAllPrincipals} answers an empty list: the store does not
 *       enumerate its users.</li>
 * </ul>
 */
public final class StoreSessionRegistry implements SessionRegistry {

    /** The most sessions of one user that {@link #getAllSessions} lists: {@value}. */
    public static final int MAX_LISTED = 1000;

    /** How many listed fingerprints {@link #removeSessionInformation} can still map to their user. */
    private static final int REMEMBERED = 10_000;

    private final UserSessionRegistry registry;
    private final Map<String, String> ownerByFingerprint = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /**
     * Creates the registry on {@code registry} (usually the configured store itself).
     *
     * @throws NullPointerException if {@code registry} is null
     */
    public StoreSessionRegistry(UserSessionRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** An empty list: the store lists one user's sessions, never all its users. */
    @Override
    public List<Object> getAllPrincipals() {
        return new ArrayList<>();
    }

    /**
     * The user's live sessions, most recently seen first (expired ones are gone from the store, so
     * {@code includeExpiredSessions} changes nothing). The list may be changed by the caller, as
     * {@code ConcurrentSessionControlAuthenticationStrategy} sorts it.
     *
     * @throws dev.chirp.sessions.SessionStoreException if the store cannot answer: the login fails
     *                                                  rather than exceed the limit
     */
    @Override
    public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
        String user = userId(principal);
        int limit = Math.max(1, Math.min(MAX_LISTED, registry.maxSessionsPerUser()));
        List<SessionInformation> sessions = new ArrayList<>();
        for (UserSession session : registry.sessionsOf(user, limit).sessions()) {
            ownerByFingerprint.put(session.fingerprint(), user);
            sessions.add(new StoreSessionInformation(principal, session, user, registry));
        }
        return sessions;
    }

    /** {@code null}: asked with {@code HttpSession} ids, and chirp sessions are not {@code HttpSession}s. */
    @Override
    public SessionInformation getSessionInformation(String sessionId) {
        return null;
    }

    /** Does nothing: the store records a session's last request when it saves or refreshes it. */
    @Override
    public void refreshLastRequest(String sessionId) {
    }

    /** Does nothing: the store registers a session when the login stores its user. */
    @Override
    public void registerNewSession(String sessionId, Object principal) {
    }

    /**
     * Ends the session with this fingerprint if this registry listed it recently (the store needs its
     * user to find it); otherwise does nothing.
     */
    @Override
    public void removeSessionInformation(String sessionId) {
        String user = sessionId == null ? null : ownerByFingerprint.remove(sessionId);
        if (user != null) {
            registry.revoke(user, sessionId);
        }
    }

    /** The user id a login stored for {@code principal}: its name, as {@code Authentication.getName()} gives it. */
    static String userId(Object principal) {
        Objects.requireNonNull(principal, "principal");
        if (principal instanceof UserDetails details) {
            return details.getUsername();
        }
        if (principal instanceof AuthenticatedPrincipal authenticated) {
            return authenticated.getName();
        }
        if (principal instanceof Principal named) {
            return named.getName();
        }
        return principal.toString();
    }

    /** A listed session; expiring it ends it in the store. */
    private static final class StoreSessionInformation extends SessionInformation {
        private static final long serialVersionUID = 1L;

        private final transient UserSessionRegistry registry;
        private final String user;

        StoreSessionInformation(Object principal, UserSession session, String user, UserSessionRegistry registry) {
            super(principal, session.fingerprint(), Date.from(session.lastSeen()));
            this.user = user;
            this.registry = registry;
        }

        @Override
        public void expireNow() {
            super.expireNow();
            if (registry != null) {
                registry.revoke(user, getSessionId());
            }
        }
    }
}
