package dev.chirp.sessions.spring.benchmarks;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's endpoints on chirp-sessions; {@link SpringSessionEndpoints} is the same on
 * {@code HttpSession}.
 */
@RestController
@Profile({"chirp-cookie", "chirp-redis"})
class ChirpSessionsEndpoints {

    /** Creates the session: regenerates it, stores the user id and a counter at 0. */
    @PostMapping("/login")
    String login(@RequestParam("user") String user) {
        Sessions.login(user).put("counter", 0);
        return "user=" + user;
    }

    /** Reads the user id and changes nothing. */
    @GetMapping("/read")
    String read() {
        return "user=" + Sessions.get().get(Sessions.USER_ID_KEY);
    }

    /** Increments the counter: the session changes on every request. */
    @RequestMapping(path = "/write", method = {RequestMethod.GET, RequestMethod.POST})
    String write() {
        Session session = Sessions.get();
        int counter = ((Number) session.getOrDefault("counter", 0)).intValue() + 1;
        session.put("counter", counter);
        return "counter=" + counter;
    }
}
