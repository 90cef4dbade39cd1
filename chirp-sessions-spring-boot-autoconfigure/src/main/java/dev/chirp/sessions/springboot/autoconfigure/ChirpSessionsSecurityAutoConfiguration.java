package dev.chirp.sessions.springboot.autoconfigure;

import dev.chirp.sessions.ConfigurationException;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.springsecurity.SessionSecurityCustomizer;
import dev.chirp.sessions.springsecurity.StoreSessionRegistry;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;

/**
 * Spring Security on chirp sessions, with nothing to write: every {@link HttpSecurity} Spring Boot hands to
 * a {@code SecurityFilterChain} bean (Boot's own default chain included) arrives with a
 * {@link SessionSecurityCustomizer} applied, so the login, the CSRF token and the saved request live in the
 * chirp session and Spring Security creates no {@code HttpSession}. The application's chain is configured
 * after, so its own choices (another CSRF token repository, CSRF off) still win.
 *
 * <p>When the store is a {@link UserSessionRegistry} (Redis, PostgreSQL: the store bean itself is then the
 * application's {@code UserSessionRegistry} bean), a {@link StoreSessionRegistry} becomes Spring Security's
 * {@link SessionRegistry} bean, so {@code sessionManagement(s -> s.maximumSessions(n))} counts and ends
 * chirp sessions on every server.
 *
 * <p>On in a servlet application that has Spring Security's configuration on its class path;
 * {@code chirp.sessions.spring-security.enabled=false} turns it off. A login empties the session, as chirp's
 * does; {@code chirp.sessions.spring-security.keep-on-login=cart} carries the listed keys across it.
 */
@AutoConfiguration(after = ChirpSessionsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpSecurity.class, SessionSecurityCustomizer.class})
@ConditionalOnProperty(prefix = "chirp.sessions.spring-security", name = "enabled", matchIfMissing = true)
public class ChirpSessionsSecurityAutoConfiguration {

    /** The property listing the session keys whose values survive a login; none by default. */
    public static final String KEEP_ON_LOGIN_PROPERTY = "chirp.sessions.spring-security.keep-on-login";

    /** Creates the auto-configuration; Spring Boot does. */
    public ChirpSessionsSecurityAutoConfiguration() {
    }

    /**
     * Spring Security's session registry on the store's user-session registry, which
     * {@code maximumSessions(n)} finds by type. Only with exactly one {@link UserSessionRegistry} bean
     * (the Redis or PostgreSQL store), and backs off when the application defines its own.
     *
     * @param registry the store
     * @return the session registry
     */
    @Bean
    @ConditionalOnSingleCandidate(UserSessionRegistry.class)
    @ConditionalOnMissingBean(SessionRegistry.class)
    public StoreSessionRegistry chirpSessionRegistry(UserSessionRegistry registry) {
        return new StoreSessionRegistry(registry);
    }

    /**
     * Applies the customizer to each {@link HttpSecurity} as it is created, before the application's chain
     * method receives it. A post-processor rather than a {@code Customizer<HttpSecurity>} bean because
     * Spring Security 6.5 (Spring Boot 3.5) does not apply such beans; static, as post-processors must be.
     *
     * @return the post-processor
     */
    @Bean
    static BeanPostProcessor chirpSessionsHttpSecurityPostProcessor(Environment environment) {
        // Bound here, not through ChirpSessionsProperties: a post-processor is created before property beans.
        String[] keepOnLogin = Binder.get(environment).bind(KEEP_ON_LOGIN_PROPERTY, Bindable.listOf(String.class))
                .orElse(List.of()).toArray(String[]::new);
        SessionSecurityCustomizer check = new SessionSecurityCustomizer();
        try {
            check.keepOnLogin(keepOnLogin);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEEP_ON_LOGIN_PROPERTY + " must list the application's own session "
                    + "keys: " + List.of(keepOnLogin) + "; " + e.getMessage().replaceFirst("^[^;]*; ", ""));
        }
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HttpSecurity http) {
                    new SessionSecurityCustomizer().keepOnLogin(keepOnLogin).customize(http);
                }
                return bean;
            }
        };
    }
}
