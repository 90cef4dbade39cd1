package dev.chirp.sessions.springsecurity.limited;

import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application that limits each user to {@value #MAX_SESSIONS} sessions with Spring Security's
 * own {@code sessionManagement().maximumSessions(n)}, written as if chirp-sessions were not there; with
 * {@code limited.refuse=true} a login past the limit is refused ({@code maxSessionsPreventsLogin}) instead
 * of ending the least recently seen session. A package of its own, so that the other test application's
 * component scan does not find it.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class LimitedSessionsApplication {

    public static final int MAX_SESSIONS = 2;
    public static final String PASSWORD = "analytical-engine";

    /** Every HttpSession the container creates, counted: the tests expect none. */
    public static final AtomicInteger HTTP_SESSIONS_CREATED = new AtomicInteger();

    @Bean
    SecurityFilterChain security(HttpSecurity http, Environment environment) throws Exception {
        boolean refuse = environment.getProperty("limited.refuse", Boolean.class, false);
        return http
                .authorizeHttpRequests(requests -> requests.requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .sessionManagement(sessions -> sessions.maximumSessions(MAX_SESSIONS).maxSessionsPreventsLogin(refuse))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ada").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("grace").password("{noop}" + PASSWORD).roles("USER").build());
    }

    @Bean
    HttpSessionListener httpSessionCounter() {
        return new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent event) {
                HTTP_SESSIONS_CREATED.incrementAndGet();
            }
        };
    }

    /** Who is logged in, and a change to the session (which the store records as the session's last request). */
    @RestController
    static class Pages {

        @GetMapping("/whoami")
        String whoami(Authentication authentication) {
            return authentication.getName();
        }

        /** The store's name for this session, as a "your devices" page shows it. */
        @GetMapping("/fingerprint")
        String fingerprint() {
            return Sessions.get().fingerprint().orElse("none");
        }

        @GetMapping("/work")
        String work(Authentication authentication) {
            Sessions.get().merge("work", 1, (a, b) -> ((Number) a).intValue() + 1);
            return authentication.getName() + " worked";
        }
    }
}
