package dev.chirp.sessions.demo;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The demo's HTML: one page layout, and escaping for everything that came from a user or a cookie. */
final class Html {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
            + "padding:0 1rem;line-height:1.5}form{margin:.5rem 0}nav a{margin-right:1rem}"
            + ".note{color:#555;font-size:.9rem}.error{color:#a00}.flash{background:#eef6ee;padding:.3rem .6rem}"
            + "td,th{padding:.2rem .6rem;text-align:left}";

    static final String APP = "chirp-sessions demo";

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

    /** Writes a whole page; {@code body} must already be escaped HTML. */
    static void send(HttpServletResponse response, int status, String title, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.getWriter().write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(APP.equals(title) ? APP : title + " · " + APP) + "</title><style>" + STYLE + "</style></head>\n"
                + "<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "<nav><a href=\"/\">Home</a><a href=\"/cart\">Cart</a><a href=\"/account\">Account</a><a href=\"/session\">Session as JSON</a>"
                + "<a href=\"/health\">Health</a></nav>\n"
                + "<p class=\"note\">Everything here lives in the session: the signed cookie "
                + "<code>chirp_session</code> (signed, not encrypted, so never put secrets in a session), or "
                + "Redis when the demo runs with <code>--redis</code>.</p>\n</body></html>\n");
    }

    /** Answers a POST with {@code 303 See Other}, so reloading the page does not post the form again. */
    static void seeOther(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
    }
}
