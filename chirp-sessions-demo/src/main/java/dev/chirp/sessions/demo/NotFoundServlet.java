package dev.chirp.sessions.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every path no other page claims: a {@code 404} page in the shop's layout. It never touches the session,
 * so a browser's {@code /favicon.ico} neither counts as a visit nor gets a cookie.
 */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Html.sendWithoutSession(response, HttpServletResponse.SC_NOT_FOUND, "Page not found",
                "<section class=\"panel problem\"><p class=\"code\">404</p><p>There is no page at <code>"
                + Html.escape(request.getRequestURI()) + "</code>.</p>"
                + "<p><a class=\"button\" href=\"/\">Back to the shop</a></p></section>\n");
    }
}
