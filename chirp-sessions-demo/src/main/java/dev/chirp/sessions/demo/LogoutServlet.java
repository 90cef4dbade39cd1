package dev.chirp.sessions.demo;

import dev.chirp.sessions.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code POST /logout}: a new, empty session (chirp's logout), then back to {@code /}. */
final class LogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        Sessions.logout();
        Sessions.flash("info", "Logged out.");
        Html.seeOther(response, "/");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        Html.seeOther(response, "/");
    }
}
