package dev.chirp.sessions.demo;

import dev.chirp.sessions.SessionStoreException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a session store outage (Redis unreachable) into a short {@code 503} page with
 * {@code Retry-After}, instead of the container's 500 page and a stack trace per request: the store has
 * already logged the outage once, and it reconnects by itself. Sits in front of the session filter.
 */
final class StoreOutageFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | IOException | ServletException e) {
            // Frameworks wrap what a handler throws (Spring MVC in a ServletException): look at the causes.
            if (!causedByStoreOutage(e) || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setContentType("text/html;charset=utf-8");
            byte[] body = ("<!doctype html><title>Sessions unavailable</title>"
                    + "<h1>Sessions are unavailable</h1><p>The session store does not answer; this page works "
                    + "again as soon as it does. Try again in a few seconds.</p>\n").getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    private static boolean causedByStoreOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SessionStoreException) {
                return true;
            }
        }
        return false;
    }
}
