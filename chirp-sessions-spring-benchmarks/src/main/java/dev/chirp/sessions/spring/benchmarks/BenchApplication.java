package dev.chirp.sessions.spring.benchmarks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application the side-by-side benchmark measures: Spring MVC on Tomcat serving
 * {@code POST /login}, {@code GET /read} and {@code GET|POST /write}, in the form its active profile names
 * (see {@link Form}).
 *
 * <p>All three forms are this one application; only the session machinery differs, so a difference in
 * requests per second is the sessions' and nothing else's.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class BenchApplication {

    /**
     * Starts the application; pass {@code --spring.profiles.active=} one of the {@link Form} profiles.
     *
     * @param args Spring Boot's command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(BenchApplication.class, args);
    }
}
