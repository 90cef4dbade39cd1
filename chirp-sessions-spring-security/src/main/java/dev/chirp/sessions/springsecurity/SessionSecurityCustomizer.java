package dev.chirp.sessions.springsecurity;

import java.util.List;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * Puts Spring Security's per-visitor state in the chirp session: applies a
 * {@link SessionSecurityContextRepository}, a {@link SessionCsrfTokenRepository} and a
 * {@link SessionRequestCache} to an {@link HttpSecurity}, and keeps a failed form login from creating an
 * {@code HttpSession} (Spring Security's failure handler would, to pass the error to the login page; the
 * login page shows its generic error instead).
 *
 * <p>Apply it before configuring the rest of the chain, so that a choice of your own (another CSRF token
 * repository, CSRF switched off) still wins:
 * <pre>{@code
 * @Bean SecurityFilterChain security(HttpSecurity http) throws Exception {
 *     new SessionSecurityCustomizer().customize(http);
 *     return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
 *             .formLogin(Customizer.withDefaults())
 *             .build();
 * }
 * }</pre>
 * With the chirp-sessions Spring Boot starter nothing needs writing: its auto-configuration applies this
 * customizer to every {@code HttpSecurity} Spring Boot hands out.
 */
public final class SessionSecurityCustomizer implements Customizer<HttpSecurity> {

    private final SessionSecurityContextRepository contextRepository = new SessionSecurityContextRepository();
    private final SessionCsrfTokenRepository csrfTokenRepository = new SessionCsrfTokenRepository();
    private final SessionRequestCache requestCache = new SessionRequestCache();

    /** Creates the customizer with a repository, a CSRF token repository and a request cache of its own. */
    public SessionSecurityCustomizer() {
    }

    /**
     * Names the session keys whose values survive a login (see
     * {@link SessionSecurityContextRepository#setKeepOnLogin}); the default is none: a login empties the
     * session, as chirp's {@code login()} does.
     *
     * @param keys the application's own top-level session keys, for example {@code "cart"}
     * @return this customizer
     * @throws IllegalArgumentException if a key is blank or one that chirp or Spring Security manages
     */
    public SessionSecurityCustomizer keepOnLogin(String... keys) {
        contextRepository.setKeepOnLogin(List.of(keys));
        return this;
    }

    @Override
    public void customize(HttpSecurity http) {
        // Form login, logout and remember-me all find the repository and the cache through these
        // configurers' shared objects, so one call each reaches every filter that needs them.
        http.securityContext(context -> context.securityContextRepository(contextRepository));
        http.requestCache(cache -> cache.requestCache(requestCache));
        http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokenRepository));
        http.addFilterBefore(new LoginWithoutHttpSessionFilter(true), UsernamePasswordAuthenticationFilter.class);
        http.addFilterAfter(new LoginWithoutHttpSessionFilter(false), UsernamePasswordAuthenticationFilter.class);
        http.addFilterAfter(new ContextBeforeHandlerFilter(), AuthorizationFilter.class);
    }
}
