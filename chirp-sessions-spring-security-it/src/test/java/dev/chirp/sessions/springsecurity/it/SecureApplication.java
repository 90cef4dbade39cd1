package dev.chirp.sessions.springsecurity.it;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An ordinary Spring Boot application secured by Spring Security with form login, logout and CSRF
 * protection, written as if chirp-sessions were not there: with the chirp-sessions starter on the class path
 * and {@code chirp.sessions.secret} set, Spring Security's state moves into the chirp session.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SecureApplication {

    /** Every HttpSession the container creates, counted: the tests expect none. */
    static final AtomicInteger HTTP_SESSIONS_CREATED = new AtomicInteger();

    static final String USER = "ada";
    static final String PASSWORD = "lovelace";
    static final String REMEMBER_ME_KEY = "spring-security-it-remember-me-key";

    @Bean SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/", "/error", "/chirp-login", "/rename", "/fill-cart").permitAll()
                        .requestMatchers("/admin").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .logout(Customizer.withDefaults())
                .rememberMe(rememberMe -> rememberMe.key(REMEMBER_ME_KEY))
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
