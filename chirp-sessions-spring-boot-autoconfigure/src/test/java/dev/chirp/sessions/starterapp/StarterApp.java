package dev.chirp.sessions.starterapp;

import dev.chirp.sessions.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot application that uses chirp sessions through the starter alone: no chirp bean of its own, only
 * {@code chirp.sessions.*} properties.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(StarterApp.Pages.class)
public class StarterApp {

    /** A random 32-byte secret in base64, as {@code openssl rand -base64 32} prints. */
    static final String SECRET = "q3J6m0vV1o8d0g0Z1mN9bX2uT5yR8wE4kL7pQ0sA3cF=";

    /** Starts the application on a free port with these properties (plus quiet logging). */
    static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return start(StarterApp.class, properties);
    }

    /** Starts {@code app} on a free port with these properties (plus quiet logging). */
    static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> properties) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        args.add("--spring.main.banner-mode=off");
        if (!properties.containsKey("logging.level.root")) {
            args.add("--logging.level.root=WARN");
        }
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(app).run(args.toArray(String[]::new));
    }

    /**
     * Starts an application that is expected to fail, without the failure in the build output: the test
     * asserts the failure analysis that Boot reports (captured by {@link CapturedFailureAnalyses}).
     */
    static void startExpectingFailure(Map<String, Object> properties) {
        java.util.Map<String, Object> quiet = new java.util.LinkedHashMap<>(properties);
        quiet.put("logging.level.root", "OFF");
        start(StarterApp.class, quiet).close();
    }

    /** Ordinary handlers on the public API. */
    @RestController
    static class Pages {

        @GetMapping("/count")
        String count() {
            Object n = Sessions.get().getOrDefault("n", 0);
            int next = ((Number) n).intValue() + 1;
            Sessions.get().put("n", next);
            return "n=" + next;
        }

        @GetMapping("/health-probe")
        String probe() {
            return "ok"; // never touches the session
        }

        @PostMapping("/login")
        String login(@RequestParam("username") String username) {
            Sessions.login(username);
            return "user=" + username;
        }

        @PostMapping("/logout")
        String logout() {
            Sessions.logout();
            return "anonymous";
        }

        @GetMapping("/whoami")
        String whoami() {
            return Sessions.userId().map(id -> "user=" + id).orElse("anonymous");
        }
    }
}
