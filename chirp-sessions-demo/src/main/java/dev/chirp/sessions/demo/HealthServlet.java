package dev.chirp.sessions.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health}: answers {@code ok} and never touches the session, so it costs no signature check
 * and never sets a cookie or {@code Vary} — the lazy loading a load balancer's health check relies on.
 */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write("ok\n");
    }
}
