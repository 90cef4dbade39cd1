package dev.chirp.sessions.spring.benchmarks;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's endpoints on the {@code HttpSession} that Spring Session's filter provides, doing what
 * {@link ChirpSessionsEndpoints} does.
 */
@RestController
@Profile("spring-session")
class SpringSessionEndpoints {

    /** Creates the session; an existing one gets a new id, as Spring Security's fixation protection does. */
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

    /** Reads the user id and changes nothing. */
    @GetMapping("/read")
    String read(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return "user=" + (session == null ? null : session.getAttribute("user_id"));
    }

    /** Increments the counter: the session changes on every request. */
    @RequestMapping(path = "/write", method = {RequestMethod.GET, RequestMethod.POST})
    String write(HttpServletRequest request) {
        HttpSession session = request.getSession();
        Object stored = session.getAttribute("counter");
        int counter = (stored instanceof Integer n ? n : 0) + 1;
        session.setAttribute("counter", counter);
        return "counter=" + counter;
    }
}
