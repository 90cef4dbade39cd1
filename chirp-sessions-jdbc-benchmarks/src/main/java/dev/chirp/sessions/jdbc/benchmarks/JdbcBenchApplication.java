package dev.chirp.sessions.jdbc.benchmarks;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot application the PostgreSQL benchmark measures: Spring MVC on Tomcat serving
 * {@code POST /login}, {@code GET /read} and {@code GET /write} on one DataSource, with sessions in
 * chirp-sessions' {@code JdbcSessionStore} (profile {@code chirp-jdbc}) or in Spring Session JDBC (profile
 * {@code spring-session-jdbc}). Only the session machinery differs.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class JdbcBenchApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's command-line arguments, with {@code --spring.profiles.active}
     */
    public static void main(String[] args) {
        SpringApplication.run(JdbcBenchApplication.class, args);
    }

    /** The endpoints on chirp-sessions. */
    @RestController
    @Profile("chirp-jdbc")
    static class ChirpEndpoints {

        @PostMapping("/login")
        String login(@RequestParam("user") String user) {
            Sessions.login(user).put("counter", 0);
            return "user=" + user;
        }

        @GetMapping("/read")
        String read() {
            return "user=" + Sessions.get().get(Sessions.USER_ID_KEY);
        }

        @GetMapping("/write")
        String write() {
            Session session = Sessions.get();
            int counter = ((Number) session.getOrDefault("counter", 0)).intValue() + 1;
            session.put("counter", counter);
            return "counter=" + counter;
        }
    }

    /** The same endpoints on the {@code HttpSession} of Spring Session's filter. */
    @RestController
    @Profile("spring-session-jdbc")
    static class SpringSessionEndpoints {

        @PostMapping("/login")
        String login(HttpServletRequest request, @RequestParam("user") String user) {
            if (request.getSession(false) != null) {
                request.changeSessionId();
            }
            HttpSession session = request.getSession();
            session.setAttribute("user_id", user);
            session.setAttribute("counter", 0);
            return "user=" + user;
        }

        @GetMapping("/read")
        String read(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            return "user=" + (session == null ? null : session.getAttribute("user_id"));
        }

        @GetMapping("/write")
        String write(HttpServletRequest request) {
            HttpSession session = request.getSession();
            Object stored = session.getAttribute("counter");
            int counter = (stored instanceof Integer n ? n : 0) + 1;
            session.setAttribute("counter", counter);
            return "counter=" + counter;
        }
    }
}
