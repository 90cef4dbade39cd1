package dev.chirp.sessions.servlet;

import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionCommittedException;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.Sessions;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Jakarta Servlet 6 filter that gives every request chirp's session: the Java form of the seed's
 * {@code app.add_middleware(SessionMiddleware(config))} for Jetty 12, Tomcat 11, Spring Boot and any
 * other Servlet 6 container.
 *
 * <h2>Registering</h2>
 * Map it to every path that uses sessions, for the {@code REQUEST}, {@code ASYNC} and {@code ERROR}
 * dispatcher types, with async support on, ahead of other filters that use the session; add
 * {@code FORWARD} if the application forwards with a {@code RequestDispatcher} (Tomcat completes a
 * forwarded response before the filter's {@code REQUEST} dispatch ends, so without it the cookie of a
 * forwarded request is lost — and logged):
 * <ul>
 *   <li>from code: {@link #register(ServletContext, SessionMiddleware, String...)} (for example in a
 *       {@code ServletContainerInitializer} or {@code ServletContextListener}), or the container's own
 *       API with {@link #SessionFilter(SessionMiddleware)};</li>
 *   <li>from {@code web.xml}: the no-argument constructor and the init-param
 *       {@value #CONFIG_SUPPLIER_PARAM}, naming a public class with a public no-argument constructor that
 *       implements {@code Supplier<SessionConfig>}:
 * <pre>{@code
 * <filter>
 *   <filter-name>chirp-sessions</filter-name>
 *   <filter-class>dev.chirp.sessions.servlet.SessionFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param>
 *     <param-name>configSupplier</param-name>
 *     <param-value>com.example.MySessionConfig</param-value>
 *   </init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>chirp-sessions</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 *   <dispatcher>FORWARD</dispatcher>
 *   <dispatcher>ASYNC</dispatcher>
 *   <dispatcher>ERROR</dispatcher>
 * </filter-mapping>
 * }</pre></li>
 * </ul>
 * Register one {@code SessionFilter} per request: a second one on the same request shares the first
 * one's session.
 *
 * <h2>Using the session</h2>
 * {@link Sessions#get()} works on the thread that runs the filter chain, on every dispatch, and inside
 * {@link AsyncContext#start(Runnable)}. Code on other threads uses {@link #session(ServletRequest)}.
 *
 * <h2>When the cookie is written (write policy)</h2>
 * The filter passes on a response wrapper that writes {@code Vary: Cookie} and at most one
 * {@code Set-Cookie} (with {@code addHeader}, so other cookies survive) once, just before the first
 * call that can commit the response (with the header transport, {@code SessionConfig.transport}, the
 * token header instead of {@code Set-Cookie}, read from the request's header instead of its cookie):
 * <ul>
 *   <li>{@code flushBuffer()}, and flushing or closing the writer or the output stream;</li>
 *   <li>a write that may fill the buffer (characters counted at their largest UTF-8 size; any single
 *       write of {@code min(bufferSize / 4, 8192)} bytes or more, which Jetty may send at once: see
 *       below) or reach the declared {@code Content-Length};</li>
 *   <li>declaring a {@code Content-Length} ({@code setContentLength}, {@code setContentLengthLong}, or
 *       the header by any setter, in any case) that the body written so far already reaches: Tomcat
 *       then counts the response as complete and drops every later header;</li>
 *   <li>every {@code sendRedirect} overload (Servlet 6.1's two new ones are emulated on Servlet 6.0
 *       containers such as Jetty ee10, which lack them), and {@code sendError};</li>
 *   <li>the end of a {@code RequestDispatcher} forward;</li>
 *   <li>otherwise when the handler returns; for async requests on {@link AsyncContext#complete()} or at
 *       the end of the last dispatch, never on a dispatch that started async processing, so that the
 *       cookie carries what the async work stored.</li>
 * </ul>
 * {@code reset()} wipes headers: the same headers are written again before the response commits.
 * What is written follows the core's policy (see {@link SessionRequest}): an untouched session writes
 * nothing, not even {@code Vary}; a session that was read gets {@code Vary: Cookie}; a {@code Set-Cookie}
 * goes out only when the session changed, was regenerated, came from a fallback secret, is due for a
 * sliding refresh, or must be deleted. (Jetty strips {@code Vary} from the error pages it renders itself
 * after {@code sendError}; it marks them {@code no-store}. The filter adds it back on error pages that
 * run as an ERROR dispatch, as the dispatch begins and again at its commit points.)
 *
 * <p>After the cookie was written the session is frozen: a change throws
 * {@link SessionCommittedException}; a change inside a list or map, and a session first read only after
 * that point (its response lacks {@code Vary: Cookie}), are logged as warnings when the request ends,
 * whether it ended normally, after async processing, after a forward, on an error page or by throwing.
 * A response that the container committed behind the filter's back (a forward the filter is not mapped
 * for, a response written around the wrapper, a write the container sent at once) is logged with
 * advice for that cause, and the session is frozen as soon as the filter notices. Nothing is dropped in
 * silence.
 *
 * <p>Jetty sends a single write larger than its output aggregation size
 * ({@code HttpConfiguration.outputAggregationSize}) at once, which commits the response. The Servlet API
 * does not expose that size, so the filter assumes it is at least {@code min(bufferSize / 4, 8192)}
 * bytes: Jetty's default is a quarter of the output buffer, and its distribution's {@code jetty.xml}
 * sets 8192. A deployment that configures it lower should call {@code flushBuffer()} before its first
 * large write, or the cookie of such a response is lost (and logged).
 *
 * <h2>A handler that throws (failure policy)</h2>
 * A request whose handler throws saves nothing: its session changes are discarded, no
 * {@code Set-Cookie} is written, and the browser keeps the cookie it had. The same holds for an async
 * request that times out or fails. The exception goes on to the container (a 500 response). If the
 * response had already reached a commit point before the exception, the cookie written then stays.
 *
 * <h2>A session too large for a cookie</h2>
 * A {@link SessionTooLargeException} (or a store failure) is thrown from the call that was about to
 * commit the response, after the response was reset, so the request fails with a 500 and no
 * {@code Set-Cookie}; every later commit point throws it again, so a handler that catches it cannot
 * send a success without the session. On {@link AsyncContext#complete()} it is logged and the response
 * completes as a 500.
 */
public final class SessionFilter implements Filter {

    /**
     * The init-param naming a {@code Supplier<SessionConfig>} class, for the no-argument constructor
     * ({@code web.xml}); its value is {@value}.
     */
    public static final String CONFIG_SUPPLIER_PARAM = "configSupplier";

    private volatile SessionMiddleware middleware;

    /**
     * Creates the filter for registration from code.
     *
     * @param middleware the session middleware, built once at startup
     * @throws NullPointerException if {@code middleware} is null
     */
    public SessionFilter(SessionMiddleware middleware) {
        this.middleware = Objects.requireNonNull(middleware, "middleware");
    }

    /**
     * Creates the filter for {@code web.xml}; {@link #init(FilterConfig)} builds the middleware from the
     * init-param {@value #CONFIG_SUPPLIER_PARAM}.
     */
    public SessionFilter() {
    }

    /**
     * Registers a filter for {@code middleware} on {@code context}, mapped to {@code urlPatterns}
     * (default {@code /*}) for the REQUEST, FORWARD, ASYNC and ERROR dispatcher types, with async support, ahead
     * of filters declared in {@code web.xml}. Call it while the context starts, for example from a
     * {@code ServletContainerInitializer}.
     *
     * @param context     the servlet context being started
     * @param middleware  the session middleware, built once at startup
     * @param urlPatterns the paths that use sessions; none means {@code /*}
     * @return the registration, named {@code chirp-sessions} followed by the URL patterns
     * @throws IllegalStateException if a filter of that name is already registered
     */
    public static FilterRegistration.Dynamic register(ServletContext context, SessionMiddleware middleware,
            String... urlPatterns) {
        String[] patterns = urlPatterns.length == 0 ? new String[] {"/*"} : urlPatterns.clone();
        String name = "chirp-sessions " + String.join(" ", patterns);
        FilterRegistration.Dynamic registration = context.addFilter(name, new SessionFilter(middleware));
        if (registration == null) {
            throw new IllegalStateException("filter name must be unique in the servlet context: \"" + name
                    + "\" is already registered; register one SessionFilter per set of URL patterns");
        }
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ASYNC, DispatcherType.ERROR),
                false, patterns);
        return registration;
    }

    /**
     * The session of {@code request}, for code that runs on another thread (async processing), where
     * {@link Sessions#get()} does not work. Thread-safe.
     *
     * @param request the request the filter passed on, or the one an {@code AsyncContext} returns
     * @return the request's session
     * @throws NoActiveSessionException if no {@code SessionFilter} handled {@code request}
     */
    public static Session session(ServletRequest request) {
        RequestState state = state(request);
        if (state == null) {
            throw new NoActiveSessionException();
        }
        return state.session().session();
    }

    /**
     * The state of the request: through the filter's request wrapper when {@code request} is or wraps
     * it (the common case, no attribute lookup), else the attribute {@link RequestState#publish()} set
     * for a dispatch that brings the container's bare request.
     */
    private static RequestState state(ServletRequest request) {
        SessionServletRequest wrapper = find(request, SessionServletRequest.class);
        return wrapper != null ? wrapper.state() : RequestState.published(request);
    }

    /**
     * Builds the middleware from the init-param {@value #CONFIG_SUPPLIER_PARAM} if this filter was
     * created with the no-argument constructor; does nothing otherwise.
     *
     * @throws ServletException if the init-param is missing or does not name a usable
     *                          {@code Supplier<SessionConfig>}, or the configuration is invalid
     */
    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (middleware != null) {
            return;
        }
        String className = filterConfig.getInitParameter(CONFIG_SUPPLIER_PARAM);
        if (className == null || className.isBlank()) {
            throw new ServletException("init-param " + CONFIG_SUPPLIER_PARAM + " must name a class that "
                    + "implements Supplier<SessionConfig>: missing for filter '" + filterConfig.getFilterName()
                    + "'; add it to the filter's <init-param>, or register new SessionFilter(middleware) from code");
        }
        Object supplier;
        try {
            ClassLoader loader = filterConfig.getServletContext().getClassLoader();
            if (loader == null) {
                loader = Thread.currentThread().getContextClassLoader();
            }
            if (loader == null) {
                loader = SessionFilter.class.getClassLoader();
            }
            Class<?> type = Class.forName(className.trim(), true, loader);
            supplier = type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ServletException("init-param " + CONFIG_SUPPLIER_PARAM + " must name a public class with "
                    + "a public no-argument constructor: " + className + " (" + e + "); check the class name and "
                    + "that the class is in the web application", e);
        }
        if (!(supplier instanceof Supplier)) {
            throw new ServletException("init-param " + CONFIG_SUPPLIER_PARAM + " must name a class that "
                    + "implements Supplier<SessionConfig>: " + className + " does not; implement "
                    + "java.util.function.Supplier<SessionConfig>");
        }
        Object config = ((Supplier<?>) supplier).get();
        if (!(config instanceof SessionConfig)) {
            throw new ServletException("init-param " + CONFIG_SUPPLIER_PARAM + " must name a supplier of a "
                    + "SessionConfig: " + className + ".get() returned "
                    + (config == null ? "null" : config.getClass().getName())
                    + "; return SessionConfig.builder(secret)...build()");
        }
        middleware = new SessionMiddleware((SessionConfig) config);
    }

    /**
     * Runs the rest of the chain with the request's session bound and the response wrapped; see the
     * class description for when the cookie is written and what happens when the handler throws.
     */
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)
                || request.getDispatcherType() == DispatcherType.INCLUDE) {
            // An include runs inside a dispatch this filter already handles.
            chain.doFilter(request, response);
            return;
        }
        if (request.getDispatcherType() == DispatcherType.FORWARD) {
            forward(request, response, chain);
            return;
        }
        SessionMiddleware sessions = middleware;
        if (sessions == null) {
            throw new ServletException("SessionFilter must be initialized before use: init(FilterConfig) did not "
                    + "run; let the container create it, or use new SessionFilter(middleware)");
        }
        // An ASYNC dispatch may bring back the wrappers of an earlier dispatch (and their state); so does
        // a second SessionFilter on the same request. Only a dispatch that may bring the bare request
        // looks for the published attribute: a REQUEST dispatch is the first the request sees.
        SessionServletRequest sessionRequest = find(request, SessionServletRequest.class);
        RequestState state = sessionRequest != null ? sessionRequest.state()
                : request.getDispatcherType() == DispatcherType.REQUEST ? null : RequestState.published(request);
        if (state == null) {
            state = new RequestState(begin(sessions, (HttpServletRequest) request), request);
            if (response.isCommitted()) {
                state.committedOnArrival();
            }
        }
        ServletResponse passedResponse = response;
        SessionResponse sessionResponse = find(response, SessionResponse.class);
        if (sessionResponse == null || sessionResponse.state() != state) {
            sessionResponse = new SessionResponse((HttpServletResponse) response, state);
            passedResponse = sessionResponse;
        }
        ServletRequest passedRequest = request;
        if (sessionRequest == null || sessionRequest.state() != state) {
            sessionRequest = new SessionServletRequest((HttpServletRequest) request, state, sessionResponse);
            passedRequest = sessionRequest;
        }
        sessionRequest.beginDispatch();

        boolean error = request.getDispatcherType() == DispatcherType.ERROR;
        if (error) {
            state.errorDispatchBegins();
            // Jetty stripped Vary before this dispatch: put it back before the error page writes anything
            // (a write can commit the response without passing a flush or close).
            sessionResponse.restoreRemovedHeaders();
        }
        boolean async;
        try (SessionRequest.Binding ignored = state.session().bind()) {
            chain.doFilter(passedRequest, passedResponse);
            async = sessionRequest.asyncStartedHere() || request.isAsyncStarted();
            if (!async) {
                sessionResponse.beforeCommit();
                if (error) {
                    sessionResponse.restoreRemovedHeaders();
                }
            }
        } catch (Throwable failure) {
            // The container renders its error page on an ERROR dispatch that brings the bare request.
            state.publish();
            // Nothing more is written for a failed request: report now what it lost after a commit point.
            state.fail();
            state.finish();
            throw failure;
        }
        if (!async) {
            if (error) {
                state.finishErrorDispatch();
            } else {
                state.finish();
            }
        } else if (!sessionRequest.asyncStartedHere()) {
            // Started on an unwrapped request, whose ASYNC dispatch brings no wrapper of ours: publish the
            // state, and still learn when it ends (to report lost changes).
            state.publish();
            request.getAsyncContext().addListener(state);
        }
    }

    /**
     * A forward runs inside a dispatch this filter already handles, but the container completes the
     * response when it returns (Tomcat closes it before the outer filter runs again): write the
     * session headers at its end.
     */
    private static void forward(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        RequestState state = state(request);
        if (state != null) {
            state.forwardDispatch();
        }
        chain.doFilter(request, response);
        if (state != null && !request.isAsyncStarted()) {
            SessionResponse sessionResponse = find(response, SessionResponse.class);
            if (sessionResponse != null) {
                sessionResponse.beforeCommit();
            } else {
                state.beforeCommit((HttpServletResponse) response);
            }
        }
    }

    private static SessionRequest begin(SessionMiddleware sessions, HttpServletRequest request) {
        SessionConfig config = sessions.config();
        if (!config.transport().acceptsHeader()) {
            return sessions.begin(cookieHeaders(request));
        }
        Enumeration<String> tokens = request.getHeaders(config.headerName());
        return sessions.begin(cookieHeaders(request),
                tokens == null || !tokens.hasMoreElements() ? null : Collections.list(tokens));
    }

    private static List<String> cookieHeaders(HttpServletRequest request) {
        // The raw headers, not getCookies(): containers disagree on quotes, spaces and UTF-8.
        Enumeration<String> values = request.getHeaders("Cookie");
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        // One Cookie header is the rule (HTTP/1.1 clients join cookies into it); list more only when sent.
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return List.of(first);
        }
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(Collections.list(values));
        return all;
    }

    private static <T> T find(ServletRequest request, Class<T> type) {
        for (ServletRequest r = request; r != null; ) {
            if (type.isInstance(r)) {
                return type.cast(r);
            }
            r = r instanceof ServletRequestWrapper ? ((ServletRequestWrapper) r).getRequest() : null;
        }
        return null;
    }

    private static <T> T find(ServletResponse response, Class<T> type) {
        for (ServletResponse r = response; r != null; ) {
            if (type.isInstance(r)) {
                return type.cast(r);
            }
            r = r instanceof ServletResponseWrapper ? ((ServletResponseWrapper) r).getResponse() : null;
        }
        return null;
    }

    @Override
    public String toString() {
        SessionMiddleware sessions = middleware;
        return "SessionFilter[" + (sessions == null ? "not initialized" : sessions.config().cookieName()) + "]";
    }
}
