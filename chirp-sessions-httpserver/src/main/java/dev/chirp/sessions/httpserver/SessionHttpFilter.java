package dev.chirp.sessions.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.chirp.sessions.NoActiveSessionException;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionCommittedException;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.SessionTooLargeException;
import dev.chirp.sessions.Sessions;
import java.io.IOException;
import java.util.Objects;

/**
 * A filter for the JDK's built-in {@code com.sun.net.httpserver} (HTTP and HTTPS) that gives every
 * exchange chirp's session.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.setExecutor(Executors.newFixedThreadPool(16));   // without one, every request shares one thread
 * HttpContext context = server.createContext("/", handler);
 * context.getFilters().add(new SessionHttpFilter(new SessionMiddleware(config)));
 * }</pre>
 *
 * <p>The handler receives a wrapped exchange (an {@link HttpsExchange} on HTTPS, so
 * {@code getSSLSession()} still works) whose {@code sendResponseHeaders} adds {@code Vary: Cookie} and
 * at most one {@code Set-Cookie} before the headers go out: the JDK sends them at once, so anything added
 * later, {@code Filter.afterHandler} included, would be lost. With the header transport
 * ({@code SessionConfig.transport}) the token is read from and written to the token header instead of
 * the cookie. The write policy is the core's (see
 * {@link SessionRequest}); after the headers are sent the session is frozen and a change throws
 * {@link SessionCommittedException}. A change inside a list or map after that point, and a session
 * first read after it (its response lacks {@code Vary: Cookie}), are logged as warnings when the
 * exchange ends: when the handler returns after sending the headers, closes the exchange or its
 * response body, or throws.
 *
 * <p>{@link Sessions#get()} works on the thread that runs the handler; a handler that answers from
 * another thread uses {@link #session(HttpExchange)}.
 *
 * <p>A handler that throws saves nothing: the session is discarded and, if no response headers were
 * sent yet, the client gets an empty 500 (the JDK server alone would close the connection without a
 * response); the exception then goes on to the server. A {@link SessionTooLargeException} or store
 * failure thrown from {@code sendResponseHeaders} sends that 500 instead of the handler's response.
 */
public final class SessionHttpFilter extends Filter {

    static final String ATTRIBUTE = SessionHttpFilter.class.getName() + ".session";

    private final SessionMiddleware middleware;

    /**
     * Creates the filter.
     *
     * @param middleware the session middleware, built once at startup
     * @throws NullPointerException if {@code middleware} is null
     */
    public SessionHttpFilter(SessionMiddleware middleware) {
        this.middleware = Objects.requireNonNull(middleware, "middleware");
    }

    /**
     * The session of {@code exchange}, for handler code on another thread, where {@link Sessions#get()}
     * does not work. Pass the exchange the handler received. Thread-safe.
     *
     * @param exchange the exchange the handler received
     * @return the exchange's session
     * @throws NoActiveSessionException if {@code exchange} did not pass through a {@code SessionHttpFilter}
     */
    public static Session session(HttpExchange exchange) {
        Object request = exchange.getAttribute(ATTRIBUTE);
        if (!(request instanceof SessionRequest)) {
            throw new NoActiveSessionException();
        }
        return ((SessionRequest) request).session();
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Headers requestHeaders = exchange.getRequestHeaders();
        SessionConfig config = middleware.config();
        ExchangeState state = new ExchangeState(config.transport().acceptsHeader()
                ? middleware.begin(requestHeaders.get("Cookie"), requestHeaders.get(config.headerName()))
                : middleware.begin(requestHeaders.get("Cookie")));
        HttpExchange wrapped = exchange instanceof HttpsExchange
                ? new SessionHttpsExchange((HttpsExchange) exchange, state)
                : new SessionExchange(exchange, state);
        try (SessionRequest.Binding ignored = state.session().bind()) {
            chain.doFilter(wrapped);
        } catch (Throwable failure) {
            state.fail(exchange);
            throw failure;
        }
        if (state.headersSent()) {
            state.finish();
        }
    }

    @Override
    public String description() {
        return "chirp sessions (cookie '" + middleware.config().cookieName() + "')";
    }
}
