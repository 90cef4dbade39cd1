package example.consumer;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A visit counter in a chirp session: the smallest Spring Boot application that uses the starter. */
@SpringBootApplication
@RestController
public class ConsumerApp {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerApp.class, args);
    }

    @GetMapping("/")
    public String visit() {
        Session session = Sessions.get();
        int visits = ((Number) session.getOrDefault("visits", 0)).intValue() + 1;
        session.put("visits", visits);
        return "visits=" + visits + "\n";
    }
}
