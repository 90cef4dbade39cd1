package dev.chirp.sessions.webflux.it;

import java.security.Principal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * An ordinary Spring Boot WebFlux application with Spring Security's defaults (every page needs a login,
 * form login, logout, CSRF protection; the user from {@code spring.security.user.*}) that uses only Spring's
 * own {@link WebSession} API, written as if chirp-sessions were not there. With the chirp-sessions starter
 * and {@code chirp.sessions.secret}, its sessions are chirp cookies.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ReactiveApplication {

    static final String USER = "ada";
    static final String PASSWORD = "lovelace";

    @RestController
    static class Pages {

        /** The protected page: who Spring Security says is logged in, what the session holds, a logout form. */
        @GetMapping(value = "/private", produces = "text/html")
        Mono<String> page(Principal principal, WebSession session, ServerWebExchange exchange,
                @SessionAttribute(name = "user_id", required = false) String userId) {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            return token.map(csrf -> "<html><body><p id=\"greeting\">hello " + principal.getName() + "</p>"
                    + "<p id=\"chirp-user\">" + userId + "</p>"
                    + "<p id=\"keys\">" + session.getAttributes().keySet() + "</p>"
                    + "<form method=\"post\" action=\"/logout\"><input name=\"" + csrf.getParameterName()
                    + "\" type=\"hidden\" value=\"" + csrf.getToken() + "\" />"
                    + "<button id=\"logout-button\" type=\"submit\">Log out</button></form></body></html>");
        }

        /** A value kept through Spring's WebSession API. */
        @GetMapping("/visits")
        String visits(WebSession session) {
            Object before = session.getAttributes().get("visits");
            int visits = before instanceof Number n ? n.intValue() + 1 : 1;
            session.getAttributes().put("visits", visits);
            return "visits=" + visits;
        }

        @PostMapping("/transfer")
        String transfer(Principal principal) {
            return "transferred for " + principal.getName();
        }
    }
}
