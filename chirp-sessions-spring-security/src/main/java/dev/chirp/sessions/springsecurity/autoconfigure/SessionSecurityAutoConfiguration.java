package dev.chirp.sessions.springsecurity.autoconfigure;

import dev.chirp.sessions.servlet.SessionFilter;
import dev.chirp.sessions.springsecurity.SessionSecurityCustomizer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * Spring Boot auto-configuration that keeps Spring Security's login, CSRF token and saved request in the
 * chirp session: every {@link HttpSecurity} that Spring Boot hands to a {@code SecurityFilterChain} bean
 * (its own default chain included) arrives with a {@link SessionSecurityCustomizer} already applied, so the
 * application writes nothing and may still override any part in its chain.
 *
 * <p>On when Spring Security's configuration and the chirp servlet filter are on the class path in a
 * servlet web application; {@code chirp.sessions.spring-security.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpSecurity.class, SessionFilter.class})
@ConditionalOnProperty(prefix = "chirp.sessions.spring-security", name = "enabled", matchIfMissing = true)
public class SessionSecurityAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public SessionSecurityAutoConfiguration() {
    }

    /**
     * Applies the customizer to each {@link HttpSecurity} as it is created. A post-processor rather than a
     * {@code Customizer<HttpSecurity>} bean because Spring Security 6.5 (Spring Boot 3.5) does not apply such
     * beans; it runs before the application's own chain configuration on both lines.
     *
     * @return the post-processor
     */
    @Bean
    static BeanPostProcessor chirpSessionsHttpSecurityPostProcessor() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HttpSecurity http) {
                    new SessionSecurityCustomizer().customize(http);
                }
                return bean;
            }
        };
    }
}
