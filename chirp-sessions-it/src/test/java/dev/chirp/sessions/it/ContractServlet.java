package dev.chirp.sessions.it;

import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The contract's handler on servlet containers: {@code /<app>/<op>} runs a neutral {@link SessionOps}
 * operation, {@code /<app>/s/<case>} one of the commit and async cases, each written the way an
 * application would, against the public API only.
 */
final class ContractServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Size of the large bodies: above Jetty's 32 KB and Tomcat's 8 KB buffers. */
    static final int LARGE = 100_000;

    /** The request attribute the filter sets only when a later dispatch may need it. */
    static final String STATE_ATTRIBUTE = "dev.chirp.sessions.servlet.SessionFilter.state";

    private final transient ExecutorService async;

    /** Thrown by a handler; the containers map it to {@code /app/s/error-page}. */
    static final class ToErrorPage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ToErrorPage() {
            super("handler failed on purpose, for the error page", null, false, false);
        }
    }

    ContractServlet(ExecutorService async) {
        this.async = async;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        String uri = req.getRequestURI();
        int slash = uri.indexOf('/', 1);
        String op = slash < 0 ? "" : uri.substring(slash + 1);
        Map<String, String> q = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> q.put(k, v[0]));
        if (op.startsWith("s/")) {
            servletCase(op.substring(2), q, req, resp);
            return;
        }
        String body = SessionOps.run(op, q);
        if (body == null) {
            resp.sendError(404, "no such operation: " + op);
            return;
        }
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().write(body);
    }

    private void servletCase(String name, Map<String, String> q, HttpServletRequest req, HttpServletResponse resp)
            throws IOException, ServletException {
        String id = q.get("id");
        resp.setContentType("text/plain;charset=UTF-8");
        switch (name) {
            case "flush-buffer" -> {
                Sessions.get().put("v", "flushed");
                resp.getWriter().write("before;");
                resp.flushBuffer();
                resp.getWriter().write(SessionOps.latePut(id));
            }
            case "writer-flush" -> {
                Sessions.get().put("v", "writer-flushed");
                PrintWriter w = resp.getWriter();
                w.print("before;");
                w.flush();
                w.print(SessionOps.latePut(id));
            }
            case "writer-close" -> {
                Sessions.get().put("v", "writer-closed");
                PrintWriter w = resp.getWriter();
                w.println("closed");
                w.close();
                SessionOps.latePut(id);
            }
            case "stream-flush" -> {
                Sessions.get().put("v", "stream-flushed");
                ServletOutputStream out = resp.getOutputStream();
                out.write("before;".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write(SessionOps.latePut(id).getBytes(StandardCharsets.UTF_8));
            }
            case "stream-close" -> {
                Sessions.get().put("v", "stream-closed");
                ServletOutputStream out = resp.getOutputStream();
                out.write("closed".getBytes(StandardCharsets.UTF_8));
                out.close();
                SessionOps.latePut(id);
            }
            case "large-writer" -> {
                Sessions.get().put("v", "large-writer");
                PrintWriter w = resp.getWriter();
                String chunk = "0123456789".repeat(100);
                for (int i = 0; i < LARGE / chunk.length(); i++) {
                    w.write(chunk);
                }
                SessionOps.latePut(id);
            }
            case "large-stream" -> {
                Sessions.get().put("v", "large-stream");
                ServletOutputStream out = resp.getOutputStream();
                byte[] chunk = new byte[1000];
                java.util.Arrays.fill(chunk, (byte) 'b');
                for (int i = 0; i < LARGE / chunk.length; i++) {
                    out.write(chunk);
                }
                SessionOps.latePut(id);
            }
            case "single-large-write" -> {
                // One write above Jetty's aggregation size (a quarter of its buffer) but below its buffer.
                Sessions.get().put("v", "single-large-write");
                byte[] body = new byte[20_000];
                java.util.Arrays.fill(body, (byte) 's');
                resp.getOutputStream().write(body);
                SessionOps.latePut(id);
            }
            case "multibyte-writer" -> {
                // 12,000 three-byte characters in small writes: 36,000 bytes, more than either buffer,
                // but only 12,000 chars; counting chars as bytes would write the cookie too late.
                Sessions.get().put("v", "multibyte");
                PrintWriter w = resp.getWriter();
                String chunk = "€".repeat(100);
                for (int i = 0; i < 120; i++) {
                    w.write(chunk);
                }
                SessionOps.latePut(id);
            }
            case "content-length" -> {
                Sessions.get().put("v", "content-length");
                resp.setContentLength(11);
                ServletOutputStream out = resp.getOutputStream();
                out.write("hello ".getBytes(StandardCharsets.UTF_8));
                out.write("world".getBytes(StandardCharsets.UTF_8));
                SessionOps.latePut(id);
            }
            case "len-after-stream", "len-long-after-stream", "len-header-after-stream",
                    "len-lowercase-header-after-stream", "len-add-header-after-stream", "len-int-header-after-stream",
                    "len-add-int-header-after-stream", "len-after-writer" -> {
                // The body first, then its length: Tomcat counts the response as complete at once.
                Sessions.get().put("v", name);
                if (name.equals("len-after-writer")) {
                    resp.getWriter().print("hello");
                } else {
                    resp.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
                }
                switch (name) {
                    case "len-long-after-stream" -> resp.setContentLengthLong(5);
                    case "len-header-after-stream" -> resp.setHeader("Content-Length", "5");
                    case "len-lowercase-header-after-stream" -> resp.setHeader("content-length", "5");
                    case "len-add-header-after-stream" -> resp.addHeader("CONTENT-LENGTH", "5");
                    case "len-int-header-after-stream" -> resp.setIntHeader("Content-Length", 5);
                    case "len-add-int-header-after-stream" -> resp.addIntHeader("Content-length", 5);
                    default -> resp.setContentLength(5);
                }
                SessionOps.latePut(id);
            }
            case "len-zero-first" -> {
                // An empty body declared up front commits nothing: the handler may still change the session.
                resp.setContentLength(0);
                Sessions.get().put("v", "len-zero-first");
                SessionOps.latePut(id);
            }
            case "single-write" -> {
                Sessions.get().put("v", "single-write");
                byte[] body = new byte[Integer.parseInt(q.get("n"))];
                java.util.Arrays.fill(body, (byte) 's');
                resp.getOutputStream().write(body);
                SessionOps.latePut(id);
            }
            case "late-inplace", "late-first-touch", "late-control" -> {
                // A commit point (a body larger than the buffer), then an in-place change to the cart.
                if (name.equals("late-inplace")) {
                    Sessions.get().get("other");
                } else if (name.equals("late-control")) {
                    Sessions.get().get("cart");
                }
                byte[] body = new byte[LARGE];
                java.util.Arrays.fill(body, (byte) 'l');
                resp.getOutputStream().write(body);
                SessionOps.addToCartInPlace();
            }
            case "late-inplace-then-throw" -> {
                // The whole declared body is a commit point; the in-place change after it is lost, and the
                // handler then fails: the loss must still be reported.
                Sessions.get().get("cart");
                resp.setContentLength(4);
                resp.getOutputStream().write("sent".getBytes(StandardCharsets.UTF_8));
                SessionOps.addToCartInPlace();
                throw new IllegalStateException("handler failed on purpose after its response was sent");
            }
            case "error-419" -> resp.sendError(419);
            case "error-421" -> {
                Sessions.get().get("missing"); // the handler reads the session (no list handed out)
                resp.sendError(421);
            }
            case "error-page-inplace" -> {
                SessionOps.addToCartInPlace(); // the error page changes the cart in place: lost
                resp.getWriter().write("error page changed cart");
            }
            case "error-page-first-read" -> {
                // The error page of a request that never touched the session: it reads it too late.
                resp.getWriter().write("error page sees cart=" + Sessions.get().get("cart"));
            }
            case "redirect" -> {
                Sessions.get().put("v", "redirect-" + q.get("form"));
                resp.getWriter().write("body before the redirect");
                switch (q.get("form")) {
                    case "1" -> resp.sendRedirect("/app/none");
                    case "2" -> resp.sendRedirect("/app/none", false);
                    case "3" -> resp.sendRedirect("/app/none", 303);
                    case "4" -> resp.sendRedirect("/app/none", 307, true);
                    default -> throw new IllegalArgumentException(q.get("form"));
                }
                SessionOps.latePut(id);
            }
            case "send-error" -> {
                Sessions.get().put("v", "send-error");
                if (q.containsKey("msg")) {
                    resp.sendError(403, q.get("msg"));
                } else {
                    resp.sendError(404);
                }
                SessionOps.latePut(id);
            }
            case "error-418" -> {
                Sessions.get().put("v", "before-error-page");
                resp.sendError(418);
            }
            case "error-422" -> {
                Sessions.get().put("v", "before-flushing-error-page");
                resp.sendError(422);
            }
            case "error-423" -> {
                Sessions.get().put("v", "before-big-error-page");
                resp.sendError(423);
            }
            case "error-424" -> {
                Sessions.get().put("v", "before-fixed-length-error-page");
                resp.sendError(424);
            }
            case "error-page-big" -> {
                // One write over Jetty's aggregation size commits the response at once.
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getOutputStream().write("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
            }
            case "error-page-fixed-length" -> {
                // Reaching the declared Content-Length commits the response (Spring's string converter
                // declares it).
                byte[] body = "fixed length error page".getBytes(StandardCharsets.UTF_8);
                resp.setContentType("text/plain;charset=UTF-8");
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
            case "error-page-flushing" -> {
                // An error page that commits before its dispatch ends, as Spring MVC's JSON error does.
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().write("flushed error page sees v=" + Sessions.get().get("v"));
                resp.flushBuffer();
            }
            case "error-page" -> {
                // Runs on the ERROR dispatch: the filter must have bound the same session again.
                resp.getWriter().write("error page sees v=" + Sessions.get().get("v") + " dispatch="
                        + req.getDispatcherType() + " late=" + SessionOps.latePut(null));
            }
            case "reset" -> {
                Sessions.get().put("v", "a");
                resp.getWriter().write("junk");
                resp.setHeader("X-Junk", "1");
                resp.reset();
                Sessions.get().put("w", "b");
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().write("clean");
            }
            case "reset-after-cookie" -> {
                // A write of a quarter of the buffer makes the filter write the cookie without the
                // container committing; reset() then wipes it and the filter must write it again.
                Sessions.get().put("v", "a");
                ServletOutputStream out = resp.getOutputStream();
                out.write(new byte[resp.getBufferSize() / 4]);
                boolean committed = resp.isCommitted();
                resp.reset();
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().write("clean committed=" + committed + " late=" + SessionOps.latePut(null));
            }
            case "reset-buffer" -> {
                Sessions.get().put("v", "reset-buffer");
                resp.getWriter().write("junk");
                resp.resetBuffer();
                resp.getWriter().write("clean");
            }
            case "other-cookie" -> {
                resp.addHeader("Set-Cookie", "theme=dark; Path=/");
                Sessions.get().put("v", "with-other-cookie");
                resp.getWriter().write("ok");
            }
            case "throw-to-error-page" -> {
                // The container renders the error page for this exception on an ERROR dispatch that
                // brings its bare request: the filter must find the failed request's state there.
                Sessions.get().put("v", "before-exception");
                throw new ToErrorPage();
            }
            case "state-attribute" -> {
                Sessions.get().put("v", "state-attribute");
                resp.getWriter().write("attribute=" + (req.getAttribute(STATE_ATTRIBUTE) != null));
            }
            case "throw-after-write" -> {
                Sessions.get().put("v", "from a failed request");
                resp.getWriter().write("partial");
                throw new IllegalStateException("handler failed on purpose");
            }
            case "too-large" -> {
                Sessions.get().put("blob", SessionOps.incompressible(5000));
                resp.getWriter().write("must not be sent");
            }
            case "too-large-swallowed" -> {
                Sessions.get().put("blob", SessionOps.incompressible(5000));
                resp.getWriter().write("must not be sent");
                try {
                    resp.flushBuffer();
                } catch (SessionTooLargeException e) {
                    resp.getWriter().write("HANDLER WENT ON");
                }
            }
            case "late-in-place" -> {
                List<Object> items = new ArrayList<>(List.of("a"));
                Sessions.get().put("items", items);
                resp.flushBuffer();
                items.add("changed in place after the cookie was written");
            }
            case "forward" -> {
                Sessions.get().put("v", "forwarded");
                req.getRequestDispatcher("forward-target").forward(req, resp);
            }
            case "forward-target" -> {
                Sessions.get().put("target", "changed by the forward target");
                resp.getWriter().write("forward target sees v=" + Sessions.get().get("v"));
            }
            case "async-complete" -> {
                AsyncContext ac = req.startAsync();
                async.execute(() -> {
                    try {
                        long n = SessionOps.count(SessionFilter.session(ac.getRequest()));
                        ac.getResponse().getWriter().write("async count=" + n);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        ac.complete();
                    }
                });
            }
            case "async-flush" -> {
                AsyncContext ac = req.startAsync();
                async.execute(() -> {
                    try {
                        SessionFilter.session(req).put("v", "async-flushed");
                        PrintWriter w = ac.getResponse().getWriter();
                        w.write("before;");
                        ac.getResponse().flushBuffer();
                        String late;
                        try {
                            SessionFilter.session(req).put("late", "x");
                            late = "accepted";
                        } catch (IllegalStateException e) {
                            late = "refused";
                        }
                        w.write(late);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        ac.complete();
                    }
                });
            }
            case "async-dispatch" -> {
                if (req.getDispatcherType() == DispatcherType.ASYNC) {
                    Session session = Sessions.get();
                    session.put("dispatched", true);
                    resp.getWriter().write("dispatched async=" + session.get("async"));
                } else {
                    Sessions.get().put("v", "before-async");
                    AsyncContext ac = req.startAsync();
                    async.execute(() -> {
                        SessionFilter.session(req).put("async", "worked");
                        ac.dispatch();
                    });
                }
            }
            case "async-dispatch-bare" -> {
                if (req.getDispatcherType() == DispatcherType.ASYNC) {
                    Session session = Sessions.get();
                    session.put("dispatched", true);
                    resp.getWriter().write("dispatched v=" + session.get("v"));
                } else {
                    // Async started on the container's own request, around the filter's wrapper: its
                    // ASYNC dispatch brings that bare request, on which the filter must find its state.
                    Sessions.get().put("v", "before-bare-async");
                    ServletRequest bare = req;
                    while (bare instanceof ServletRequestWrapper wrapper) {
                        bare = wrapper.getRequest();
                    }
                    bare.startAsync().dispatch();
                }
            }
            case "async-start" -> {
                AsyncContext ac = req.startAsync();
                ac.start(() -> {
                    try {
                        Sessions.get().put("started", "in AsyncContext.start");
                        ac.getResponse().getWriter().write("started");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        ac.complete();
                    }
                });
            }
            case "async-timeout" -> {
                Sessions.get().put("v", "from a timed-out request");
                AsyncContext ac = req.startAsync();
                ac.setTimeout(200);
            }
            case "accessor" -> {
                String filtered;
                try {
                    filtered = "session keys " + SessionFilter.session(req).keySet();
                } catch (NoActiveSessionException e) {
                    filtered = "no session";
                }
                resp.getWriter().write(filtered + "; Sessions.get(): "
                        + (Sessions.find().isPresent() ? "bound" : "not bound"));
            }
            default -> resp.sendError(404, "no such case: " + name);
        }
    }
}
