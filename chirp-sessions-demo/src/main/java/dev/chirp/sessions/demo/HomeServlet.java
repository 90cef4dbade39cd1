package dev.chirp.sessions.demo;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /}: the shop's front page: the products (each with an "Add to cart" form), a greeting and
 * logout for a logged-in user or the login form, and the visit count kept in the session.
 */
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
        body.append("<div class=\"columns\">\n<section>\n<h1>Tea, and things for tea</h1>\n<div class=\"products\">\n");
        for (Catalog.Product product : Catalog.PRODUCTS) {
            body.append("<article class=\"product\"><div class=\"art\" style=\"color:").append(product.colour())
                    .append("\">&#9679;</div><h3>").append(Html.escape(product.name())).append("</h3><p>")
                    .append(Html.escape(product.description())).append("</p><span class=\"price\">")
                    .append(Html.escape(product.price())).append("</span>")
                    .append("<form method=\"post\" action=\"/cart\">").append(Csrf.formField())
                    .append("<input type=\"hidden\" name=\"item\" value=\"").append(Html.escape(product.name()))
                    .append("\"><button name=\"action\" value=\"add\">Add to cart</button></form></article>\n");
        }
        body.append("</div>\n</section>\n<aside>\n");
        Optional<Object> user = Sessions.userId();
        if (user.isPresent()) {
            body.append("<div class=\"panel\">\n<p>Hello, <strong>").append(Html.escape(user.get())).append("</strong>! ")
                    .append("<a href=\"/account\">Your account and devices</a></p>\n")
                    .append("<form method=\"post\" action=\"/logout\">").append(Csrf.formField())
                    .append("<button class=\"quiet\">Log out</button></form></div>\n");
        } else {
            body.append("<div class=\"panel\" id=\"login\"><h2>Log in</h2>")
                    .append("<form method=\"post\" action=\"/login\">").append(Csrf.formField())
                    .append("<label>Username <input name=\"username\" required maxlength=\"")
                    .append(LoginServlet.MAX_USERNAME_CHARS).append("\" autocomplete=\"username\"></label> ")
                    .append("<button>Log in</button></form>\n<p class=\"muted\">Any name will do: this is a demo. "
                    + "Your cart comes with you when you log in.</p></div>\n");
        }
        body.append("<div class=\"panel\"><h2>Your visit</h2>\n<p>Visits: ").append(visits).append("</p>\n")
                .append("<p>Items in cart: ").append(CartServlet.items(session).size()).append("</p>\n")
                .append("<p class=\"muted\">Counted in your session. Logging in starts a new session (so a "
                        + "session someone planted is worth nothing); your cart comes along.</p></div>\n</aside>\n</div>\n");
        Html.send(response, HttpServletResponse.SC_OK, Html.APP, body.toString());
    }
}
