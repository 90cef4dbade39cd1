package dev.chirp.sessions.demo;

import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /login}: logs the user in the way chirp does — a new session (so a session planted before
 * login is worthless) holding the user id, and here the visitor's cart too — and sends the browser back to
 * {@code /}.
 */
final class LoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final int MAX_USERNAME_CHARS = 64;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // getParameter reads only a form body: a JSON body would look like a missing username and get
        // the length message, which sends the user looking in the wrong place.
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            Html.send(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Cannot log in",
                    "<p class=\"error\">Send a form: the body must be application/x-www-form-urlencoded with a "
                    + "username field (as the login form and curl -d 'username=alice' send it), not "
                    + Html.escape(type == null ? "an untyped body" : type) + ".</p>\n"
                    + "<p><a href=\"/\">Back</a></p>\n");
            return;
        }
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String username = request.getParameter("username");
        username = username == null ? "" : username.strip();
        if (username.isEmpty() || username.length() > MAX_USERNAME_CHARS) {
            Html.send(response, HttpServletResponse.SC_BAD_REQUEST, "Cannot log in",
                    "<p class=\"error\">The username must be 1 to " + MAX_USERNAME_CHARS + " characters.</p>\n"
                    + "<p><a href=\"/\">Back</a></p>\n");
            return;
        }
        // A login starts a new session (chirp's login(), against session fixation); the cart comes along.
        Sessions.loginKeeping(username, CartServlet.CART);
        Sessions.flash("info", "Logged in as " + username + ".");
        Html.seeOther(response, "/");
    }

    // A bookmarked or typed /login is not an error: the form lives on the home page.
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        Html.seeOther(response, "/");
    }
}
