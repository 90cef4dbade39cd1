package dev.chirp.sessions.springsecurity;

import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.webflux.WebFluxSessions;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A reactive {@link ServerSecurityContextRepository} that keeps the logged-in user in the exchange's chirp
 * session as plain JSON, exactly as the servlet {@link SessionSecurityContextRepository} does: a login
 * regenerates the session (chirp's {@code login()}), stores the principal name under
 * {@value Sessions#USER_ID_KEY} and what Spring Security needs to rebuild the login under
 * {@value SessionSecurityContextRepository#AUTHENTICATION_KEY}; saving an empty or anonymous context
 * (Spring Security's logout) ends the session. A servlet application and a WebFlux application sharing
 * the secret read each other's logins.
 *
 * <p>Needs {@link WebFluxSessions} as the application's {@code WebSessionManager}. The address Spring
 * Security saved before the login page ({@code WebSessionServerRequestCache}'s
 * {@value #SAVED_REQUEST_KEY}) is the one value carried across the login's regeneration. The rebuilt
 * {@link Authentication} carries the principal name, not the {@code UserDetails} the login produced.
 */
public final class SessionServerSecurityContextRepository implements ServerSecurityContextRepository {

    /** Where Spring Security's {@code WebSessionServerRequestCache} keeps the saved address; its value is {@value}. */
    public static final String SAVED_REQUEST_KEY = "SPRING_SECURITY_SAVED_REQUEST";

    /** Creates the repository; it holds no state of its own, one instance serves every exchange. */
    public SessionServerSecurityContextRepository() {
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        Authentication authentication = context == null ? null : context.getAuthentication();
        if (StoredLogin.isLoggedOut(authentication)) {
            return WebFluxSessions.session(exchange)
                    .filter(session -> session.containsKey(Sessions.USER_ID_KEY)
                            || session.containsKey(SessionSecurityContextRepository.AUTHENTICATION_KEY))
                    .flatMap(session -> WebFluxSessions.logout(exchange))
                    .then();
        }
        String name = authentication.getName();
        Map<String, Object> stored = StoredLogin.of(name, authentication);
        return WebFluxSessions.session(exchange).flatMap(session -> {
            if (name.equals(session.get(Sessions.USER_ID_KEY))) {
                session.put(SessionSecurityContextRepository.AUTHENTICATION_KEY, stored);
                return Mono.<Void>empty();
            }
            Object savedRequest = session.get(SAVED_REQUEST_KEY);
            return WebFluxSessions.login(exchange, name).doOnNext(fresh -> {
                if (savedRequest != null) {
                    fresh.put(SAVED_REQUEST_KEY, savedRequest);
                }
                fresh.put(SessionSecurityContextRepository.AUTHENTICATION_KEY, stored);
            }).then();
        });
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return WebFluxSessions.session(exchange)
                .mapNotNull(StoredLogin::restore)
                .map(SecurityContextImpl::new);
    }
}
