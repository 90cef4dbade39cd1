package dev.chirp.sessions.demo;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** The demo shop's HTML: one page layout, and escaping for everything that came from a user or a cookie. */
final class Html {

    /** The shop's name, in every page title and the header. */
    static final String APP = "chirp shop";
    /** Where {@link StyleServlet} serves the one stylesheet. */
    static final String STYLESHEET = "/static/shop.css";

    private Html() {
    }

    /** Escapes text for an HTML element or a quoted attribute value. */
    static String escape(Object text) {
        String s = String.valueOf(text);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Writes a whole page in the shop's layout, with the visitor's cart count and name in the header (so it
     * reads the session); {@code body} must already be escaped HTML.
     */
    static void send(HttpServletResponse response, int status, String title, String body) throws IOException {
        Session session = Sessions.get();
        int inCart = CartServlet.items(session).size();
        Optional<Object> user = Sessions.userId();
        String nav = "<a href=\"/\">Shop</a>"
                + "<a href=\"/cart\">Cart <span class=\"badge\" id=\"cart-count\">" + inCart + "</span></a>"
                + (user.isPresent()
                        ? "<a href=\"/account\">Account</a><span class=\"who\">" + escape(user.get()) + "</span>"
                        : "<a href=\"/#login\">Log in</a>");
        write(response, status, title, nav, body);
    }

    /**
     * Writes a page in the shop's layout without reading the session (error pages: a request for a missing
     * file must not verify a cookie, nor set one).
     */
    static void sendWithoutSession(HttpServletResponse response, int status, String title, String body)
            throws IOException {
        write(response, status, title, "<a href=\"/\">Shop</a><a href=\"/cart\">Cart</a><a href=\"/account\">Account</a>",
                body);
    }

    private static void write(HttpServletResponse response, int status, String title, String nav, String body)
            throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.getWriter().write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(APP.equals(title) ? APP : title + " · " + APP) + "</title>"
                + "<link rel=\"stylesheet\" href=\"" + STYLESHEET + "\"></head>\n<body>\n"
                + "<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">chirp<span>shop</span></a>"
                + "<nav>" + nav + "</nav></div></header>\n"
                + "<main class=\"wrap\">\n" + (APP.equals(title) ? "" : "<h1>" + escape(title) + "</h1>\n") + body
                + "</main>\n"
                + "<footer><div class=\"wrap\">A demo of chirp-sessions: your cart, login and visit count live in "
                + "the session, the signed cookie <code>chirp_session</code> (signed, not encrypted: never put secrets "
                + "in a session), or Redis when the demo runs with <code>--redis</code>. For developers: "
                + "<a href=\"/session\">the session as JSON</a> · <a href=\"/health\">health</a></div></footer>\n"
                + "</body></html>\n");
    }

    /** Answers a POST with {@code 303 See Other}, so reloading the page does not post the form again. */
    static void seeOther(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }
}
