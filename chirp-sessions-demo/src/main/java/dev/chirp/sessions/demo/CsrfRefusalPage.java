package dev.chirp.sessions.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Dresses the CSRF filter's refusal as a page: {@code CsrfFilter} answers {@code 403} with a one-line
 * plain-text reason (right for an API client); a person whose form went stale (a login in another tab
 * changed the token) gets "reload the page and try again", with a link back, and the reason below it.
 * Sits right before {@code CsrfFilter} and catches the {@code 403} it writes; every other response passes
 * through untouched.
 */
final class CsrfRefusalPage extends HttpFilter {

    private static final long serialVersionUID = 1L;
    // The reason is one line; anything longer is cut rather than buffered without bound.
    private static final int MAX_REASON_BYTES = 1024;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Capture capture = new Capture(response);
        chain.doFilter(request, capture);
        if (!capture.refused) {
            return;
        }
        capture.flushWriter();
        String reason = capture.reason.toString(StandardCharsets.UTF_8).strip();
        String back = sameSitePath(request.getHeader("Referer"));
        Html.sendWithoutSession(response, HttpServletResponse.SC_FORBIDDEN, "This form has expired",
                "<section class=\"panel problem\"><p class=\"code\">403</p>"
                + "<p>The page you sent this from is out of date (you may have logged in or out in another tab). "
                + "<strong>Reload the page and try again.</strong></p>"
                + "<p><a class=\"button\" href=\"" + Html.escape(back) + "\">Reload and try again</a></p>"
                + "<p class=\"muted\">" + Html.escape(reason) + "</p></section>\n");
    }

    /** The path of a Referer from this site, to send the visitor back to; otherwise the front page. */
    private static String sameSitePath(String referer) {
        if (referer == null) {
            return "/";
        }
        try {
            String path = URI.create(referer).getRawPath();
            // Only a path of our own: never an address another site put in the header.
            return path != null && path.startsWith("/") && !path.startsWith("//") ? path : "/";
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }

    /** Holds back a 403 and its body; everything else goes straight to the real response. */
    private static final class Capture extends HttpServletResponseWrapper {

        private final ByteArrayOutputStream reason = new ByteArrayOutputStream();
        private boolean refused;
        private PrintWriter writer;

        Capture(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            if (sc == SC_FORBIDDEN) {
                refused = true;
            } else {
                super.setStatus(sc);
            }
        }

        @Override
        public void setContentType(String type) {
            if (!refused) {
                super.setContentType(type);
            }
        }

        @Override
        public void setContentLength(int len) {
            if (!refused) {
                super.setContentLength(len);
            }
        }

        @Override
        public void setContentLengthLong(long len) {
            if (!refused) {
                super.setContentLengthLong(len);
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!refused) {
                return super.getOutputStream();
            }
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    if (reason.size() < MAX_REASON_BYTES) {
                        reason.write(b);
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("the refusal is written synchronously");
                }
            };
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!refused) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        void flushWriter() {
            if (writer != null) {
                writer.flush();
            }
        }
    }
}
