package dev.chirp.sessions.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /static/shop.css}: the shop's one stylesheet, from the demo's own jar (no CDN). Never touches
 * the session, so it never verifies a cookie nor sets one, like any static file should.
 */
final class StyleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final byte[] css;

    StyleServlet() {
        try (InputStream in = StyleServlet.class.getResourceAsStream("shop.css")) {
            if (in == null) {
                throw new IllegalStateException("shop.css is missing from the demo's jar");
            }
            css = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/css;charset=utf-8");
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(css.length);
        response.getOutputStream().write(css);
    }
}
