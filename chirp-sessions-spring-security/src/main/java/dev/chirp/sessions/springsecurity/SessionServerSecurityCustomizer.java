package dev.chirp.sessions.springsecurity;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * Puts reactive Spring Security's per-visitor state in the chirp session: applies a
 * {@link SessionServerSecurityContextRepository} (which form login, HTTP Basic and logout then use) and a
 * {@link SessionServerCsrfTokenRepository} to a {@link ServerHttpSecurity}. The request cache stays
 * Spring's {@code WebSessionServerRequestCache}, which keeps a plain string in the (chirp) WebSession.
 *
 * <p>Apply it before configuring the rest of the chain, so that a choice of your own still wins:
 * <pre>{@code
 * @Bean SecurityWebFilterChain security(ServerHttpSecurity http) {
 *     new SessionServerSecurityCustomizer().customize(http);
 *     return http.authorizeExchange(a -> a.anyExchange().authenticated())
 *             .formLogin(Customizer.withDefaults())
 *             .build();
 * }
 * }</pre>
 * With the chirp-sessions Spring Boot starter nothing needs writing: its auto-configuration applies this
 * customizer to every {@code ServerHttpSecurity} Spring Boot hands out.
 */
public final class SessionServerSecurityCustomizer implements Customizer<ServerHttpSecurity> {

    private final SessionServerSecurityContextRepository contextRepository = new SessionServerSecurityContextRepository();
    private final SessionServerCsrfTokenRepository csrfTokenRepository = new SessionServerCsrfTokenRepository();

    /** Creates the customizer with a repository and a CSRF token repository of its own. */
    public SessionServerSecurityCustomizer() {
    }

    @Override
    public void customize(ServerHttpSecurity http) {
        http.securityContextRepository(contextRepository);
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokenRepository));
    }
}
