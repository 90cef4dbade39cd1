package dev.chirp.sessions.demo;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** {@code GET /}: counts visits in the session, greets a logged-in user, offers login and logout. */
final class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String VISITS = "visits";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Session session = Sessions.get();
        // A cookie written by another app sharing the secret may hold anything under "visits".
        Object previous = session.get(VISITS);
        long visits = previous instanceof Number ? ((Number) previous).longValue() + 1 : 1;
        session.put(VISITS, visits);

        StringBuilder body = new StringBuilder(Flashes.html());
        Optional<Object> user = Sessions.userId();
        if (user.isPresent()) {
            body.append("<p>Hello, <strong>").append(Html.escape(user.get())).append("</strong>! ")
                    .append("<a href=\"/account\">Your account and sessions</a></p>\n");
        }
        body.append("<p>Visits: ").append(visits).append("</p>\n");
        body.append("<p>Items in cart: ").append(CartServlet.items(session).size()).append("</p>\n");
        if (user.isPresent()) {
            body.append("<form method=\"post\" action=\"/logout\">").append(Csrf.formField())
                    .append("<button>Log out</button></form>\n");
        } else {
            body.append("<form method=\"post\" action=\"/login\">").append(Csrf.formField()).append("<label>Username <input name=\"username\" required "
                    + "maxlength=\"" + LoginServlet.MAX_USERNAME_CHARS + "\" autocomplete=\"username\"></label> "
                    + "<button>Log in</button></form>\n");
        }
        Html.send(response, HttpServletResponse.SC_OK, Html.APP, body.toString());
    }
}
