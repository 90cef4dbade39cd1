package dev.chirp.sessions.demo;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.servlet.CsrfFilter;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The demo app running on an embedded Jetty 12 (ee10) server, with chirp's {@link SessionFilter} in front. */
public final class DemoServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final SessionConfig config;

    private DemoServer(Server server, ServerConnector connector, SessionConfig config) {
        this.server = server;
        this.connector = connector;
        this.config = config;
    }

    /**
     * Starts the app on {@code host}:{@code port} ({@code 0} picks a free port).
     *
     * @throws Exception if Jetty cannot start, for example because the port is taken
     */
    public static DemoServer start(SessionConfig config, String host, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration()));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(app(new SessionMiddleware(config)));
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            closeStore(config);
            throw e;
        }
        return new DemoServer(server, connector, config);
    }

    /**
     * Jetty's HTTP settings for the demo. Jetty keeps a per-connection cache of header fields and, by
     * default, matches a repeated value ignoring case: on a keep-alive connection a {@code Cookie} that
     * differs from the previous request's only in case reaches the application as the previous value.
     * Cookie values are case-sensitive (base64 and signatures), so the cache must compare them exactly.
     */
    static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheCaseSensitive(true);
        return http;
    }

    /** The app's routes behind the session filter, as any Servlet 6 application registers it. */
    static ServletContextHandler app(SessionMiddleware middleware) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // Registered first, so it sees what the session filter lets through: a store outage becomes a 503.
        FilterHolder outage = new FilterHolder(new StoreOutageFilter());
        outage.setAsyncSupported(true);
        context.addFilter(outage, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        FilterHolder sessions = new FilterHolder(new SessionFilter(middleware));
        sessions.setAsyncSupported(true);
        context.addFilter(sessions, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        // After the session filter: every POST must carry the session's CSRF token (the forms do). The
        // refusal page before it turns the filter's plain-text 403 into a page a person can act on.
        FilterHolder refusal = new FilterHolder(new CsrfRefusalPage());
        refusal.setAsyncSupported(true);
        context.addFilter(refusal, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder csrf = new FilterHolder(new CsrfFilter());
        csrf.setAsyncSupported(true);
        context.addFilter(csrf, "/*", EnumSet.of(DispatcherType.REQUEST));
        // "" is the context root only; "/" is every path no other servlet claims: the 404 page.
        context.addServlet(new ServletHolder(new HomeServlet()), "");
        context.addServlet(new ServletHolder(new NotFoundServlet()), "/");
        context.addServlet(new ServletHolder(new StyleServlet()), Html.STYLESHEET);
        context.addServlet(new ServletHolder(new LoginServlet()), "/login");
        context.addServlet(new ServletHolder(new LogoutServlet()), "/logout");
        SessionConfig config = middleware.config();
        // The core interface, whatever the store: Redis (and any server-side store) implements it.
        UserSessionRegistry registry = config.store() instanceof UserSessionRegistry r ? r : null;
        UserVersions versions = config.sessionVersions().filter(UserVersions.class::isInstance)
                .map(UserVersions.class::cast).orElse(null);
        ServletHolder account = new ServletHolder(new AccountServlet(registry, versions, Clock.systemUTC()));
        context.addServlet(account, "/account");
        context.addServlet(account, AccountServlet.OTHERS);
        context.addServlet(account, AccountServlet.EVERYWHERE);
        context.addServlet(new ServletHolder(new CartServlet()), "/cart");
        context.addServlet(new ServletHolder(new SessionJsonServlet()), "/session");
        context.addServlet(new ServletHolder(new HealthServlet()), "/health");
        return context;
    }

    /** The port the server listens on (the real one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The app's base address, such as {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /** Waits until the server stops (Ctrl-C stops it). */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the server, then releases the session store (a Redis connection) if it holds one. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        } finally {
            closeStore(config);
        }
    }

    private static void closeStore(SessionConfig config) {
        if (config.store() instanceof AutoCloseable) {
            try {
                ((AutoCloseable) config.store()).close();
            } catch (Exception e) {
                throw new IllegalStateException("the session store did not close cleanly", e);
            }
        }
    }
}
