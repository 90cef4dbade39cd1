package dev.chirp.sessions.springsecurity.it;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An ordinary Spring Boot application secured by Spring Security with form login, logout and CSRF
 * protection, written as if chirp-sessions were not there: the auto-configuration of
 * chirp-sessions-spring-security moves Spring Security's state into the chirp session. Only the chirp filter
 * is registered by hand (the README's two beans).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SecureApplication {

    /** Every HttpSession the container creates, counted: the tests expect none. */
    static final AtomicInteger HTTP_SESSIONS_CREATED = new AtomicInteger();

    static final String USER = "ada";
    static final String PASSWORD = "lovelace";

    @Bean SessionMiddleware sessionMiddleware(@Value("${CHIRP_SESSION_SECRET}") String secret) {
        return new SessionMiddleware(SessionConfig.builder(secret).build());
    }

    @Bean FilterRegistrationBean<SessionFilter> chirpSessions(SessionMiddleware middleware) {
        FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(middleware));
        bean.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC, DispatcherType.ERROR);
        bean.setAsyncSupported(true);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);  // ahead of Spring Security and other filters
        return bean;
    }

    @Bean SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/", "/error").permitAll()
                        .requestMatchers("/admin").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .logout(Customizer.withDefaults())
                .build();
    }

    @Bean UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
    }

    @Bean HttpSessionListener httpSessionCounter() {
        return new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent event) {
                HTTP_SESSIONS_CREATED.incrementAndGet();
            }
        };
    }
}
