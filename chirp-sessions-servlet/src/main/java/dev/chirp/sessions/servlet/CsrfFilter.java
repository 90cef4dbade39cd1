package dev.chirp.sessions.servlet;

import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.CsrfGuard;
import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;

/**
 * A servlet filter that refuses cross-site request forgeries as chirp's {@code CSRFMiddleware} does: a
 * POST, PUT, PATCH or DELETE must carry the session's token ({@link Csrf#token()}) in the
 * {@value Csrf#HEADER_NAME} header or the {@value Csrf#FIELD_NAME} field of a URL-encoded form, or it
 * gets a {@code 403} with a plain-text reason and the handler never runs. Register it after
 * {@link SessionFilter}, for the REQUEST dispatch:
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new SessionFilter(middleware)), "/*", dispatches);
 * context.addFilter(new FilterHolder(new CsrfFilter(CsrfGuard.builder().exemptPaths("/webhooks/*").build())),
 *         "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>The form field is read from the URL-encoded body only, never from the query string: a token in a URL
 * leaks into access logs and {@code Referer} headers, so {@code POST /cart?_csrf_token=...} with an empty
 * body is refused. It is read with {@code getParameterValues}, which leaves the parameters readable by the
 * handler; a handler that reads a URL-encoded body as a stream itself should have the page send the
 * header instead. Multipart forms are not parsed here: they send the header (or exempt their path).
 */
public final class CsrfFilter implements Filter {

    private final CsrfGuard guard;

    /** A filter with {@link CsrfGuard#standard()}: every unsafe request is checked. */
    public CsrfFilter() {
        this(CsrfGuard.standard());
    }

    /**
     * Creates the filter.
     *
     * @throws NullPointerException if {@code guard} is null
     */
    public CsrfFilter(CsrfGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * Registers a filter for {@code guard} on {@code context}, mapped to {@code urlPatterns} (default
     * {@code /*}) for the REQUEST dispatch, with async support (so that it does not stop the handlers
     * behind it from going async), ahead of filters declared in {@code web.xml}. Call it right after
     * {@link SessionFilter#register}, while the context starts: filters registered from code run in the
     * order they were registered, and this one needs the session.
     *
     * @param context     the servlet context being started
     * @param guard       the CSRF rules, for example {@link CsrfGuard#standard()}
     * @param urlPatterns the paths to protect; none means {@code /*}
     * @return the registration, named {@code chirp-sessions-csrf} followed by the URL patterns
     * @throws NullPointerException  if {@code guard} is null
     * @throws IllegalStateException if a filter of that name is already registered
     */
    public static FilterRegistration.Dynamic register(ServletContext context, CsrfGuard guard, String... urlPatterns) {
        String[] patterns = urlPatterns.length == 0 ? new String[] {"/*"} : urlPatterns.clone();
        String name = "chirp-sessions-csrf " + String.join(" ", patterns);
        FilterRegistration.Dynamic registration = context.addFilter(name, new CsrfFilter(guard));
        if (registration == null) {
            throw new IllegalStateException("filter name must be unique in the servlet context: \"" + name
                    + "\" is already registered; register one CsrfFilter per set of URL patterns");
        }
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, patterns);
        return registration;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response); // forwards and error pages were checked as the request came in
            return;
        }
        String path = path(http);
        if (!guard.isChecked(http.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        Session session;
        try {
            session = SessionFilter.session(http);
        } catch (NoActiveSessionException e) {
            throw new ServletException("CsrfFilter must run after SessionFilter: the request to " + path
                    + " has no chirp session; register SessionFilter first, for the same paths", e);
        }
        CsrfGuard.Result result = guard.check(http.getMethod(), path, session, http.getContentType(),
                http.getHeader(Csrf.HEADER_NAME), () -> formField(http));
        if (result.isRefused()) {
            out.setStatus(HttpServletResponse.SC_FORBIDDEN);
            out.setContentType("text/plain;charset=UTF-8");
            byte[] body = (result.reason() + "\n").getBytes(StandardCharsets.UTF_8);
            out.setContentLength(body.length);
            out.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The first {@value Csrf#FIELD_NAME} of the body. The container merges query and body parameters, the
     * query's first (Servlet 6.0, 3.1.1), so the body's values are those past the query's own count.
     * Reading the body ourselves instead would leave the handler's {@code getParameter} without the form on
     * Tomcat and Jetty, which parse the body only if nobody read the stream first.
     */
    static String formField(HttpServletRequest request) {
        String[] values = request.getParameterValues(Csrf.FIELD_NAME);
        int inQuery = countInQuery(request.getQueryString(), Csrf.FIELD_NAME);
        return values == null || values.length <= inQuery ? null : values[inQuery];
    }

    /**
     * How many times {@code name} is a parameter of the query. A name that does not decode counts too: a
     * doubt drops a body value (the request is then refused as missing its token) rather than taking a
     * query value for the body's.
     */
    static int countInQuery(String query, String name) {
        if (query == null || query.isEmpty()) {
            return 0;
        }
        int count = 0;
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            int eq = start;
            while (eq < end && query.charAt(eq) != '=') {
                eq++; // within this pair only: the whole query is scanned once
            }
            // Each character of the (ASCII) name is at most one %XX escape: a longer name cannot be it.
            String raw = eq - start <= 3 * name.length() ? query.substring(start, eq) : "";
            if (!raw.isEmpty()) {
                try {
                    if (URLDecoder.decode(raw, StandardCharsets.UTF_8).equals(name)) {
                        count++;
                    }
                } catch (IllegalArgumentException malformed) {
                    count++;
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return count;
    }

    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String toString() {
        return "CsrfFilter[" + guard + "]";
    }
}
