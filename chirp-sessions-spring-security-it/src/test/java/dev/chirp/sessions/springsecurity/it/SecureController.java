package dev.chirp.sessions.springsecurity.it;

import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Pages of the secured application: public, for any logged-in user, for admins, and a CSRF-protected POST. */
@RestController
public class SecureController {

    @GetMapping("/")
    String home() {
        return "home";
    }

    /** The logged-in user, what Spring Security and chirp each see, and forms that carry the CSRF token. */
    @GetMapping(value = "/private", produces = "text/html")
    String privatePage(Authentication authentication, HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String hidden = "<input name=\"" + csrf.getParameterName() + "\" type=\"hidden\" value=\"" + csrf.getToken() + "\" />";
        return "<html><body><h1 id=\"greeting\">hello " + authentication.getName() + "</h1>"
                + "<p id=\"authorities\">" + authentication.getAuthorities() + "</p>"
                + "<p id=\"chirp-user\">" + Sessions.userId().orElse("none") + "</p>"
                + "<form id=\"transfer\" method=\"post\" action=\"/transfer\">" + hidden + "<button>transfer</button></form>"
                + "<form id=\"logout\" method=\"post\" action=\"/logout\">" + hidden
                + "<button id=\"logout-button\" type=\"submit\">log out</button></form></body></html>";
    }

    /** chirp's own login, as a chirp service writes it: a user id, no Spring Security authorities. */
    @GetMapping("/chirp-login")
    String chirpLogin() {
        Sessions.login("bob");
        return "chirp login";
    }

    /** Rewrites the user id in place, without a login. */
    @GetMapping("/rename")
    String rename() {
        Sessions.get().put(Sessions.USER_ID_KEY, "eve");
        return "renamed";
    }

    /** An anonymous visitor fills a cart (kept across login by keep-on-login) and a key that is not kept. */
    @GetMapping("/fill-cart")
    String fillCart() {
        Sessions.get().put("cart", java.util.List.of("tea", "mug"));
        Sessions.get().put("scratch", "not kept");
        return "filled";
    }

    @GetMapping("/admin")
    String admin() {
        return "admin";
    }

    @PostMapping("/transfer")
    String transfer(Authentication authentication) {
        return "transferred for " + authentication.getName();
    }
}
