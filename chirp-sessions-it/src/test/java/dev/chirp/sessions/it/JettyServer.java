package dev.chirp.sessions.it;

import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12.1 (ee10) with the filter registered through Jetty's own API, as an embedding application would. */
final class JettyServer implements TestServer {

    private static final EnumSet<DispatcherType> DISPATCHES =
            EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

    private final Server server;
    private final ExecutorService async;
    private final URI base;

    private JettyServer(Apps apps, Consumer<HttpConfiguration> http) throws Exception {
        async = Executors.newCachedThreadPool();
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        // As docs/servers.md says every Jetty must: Jetty's header cache otherwise matches a repeated
        // Cookie value ignoring case on a keep-alive connection.
        config.setHeaderCacheCaseSensitive(true);
        http.accept(config);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        apps.byPrefix.forEach((prefix, middleware) -> {
            FilterHolder filter = new FilterHolder(new SessionFilter(middleware));
            filter.setAsyncSupported(true);
            context.addFilter(filter, prefix + "/*", DISPATCHES);
        });
        FilterHolder fromInitParam = new FilterHolder(SessionFilter.class);
        fromInitParam.setInitParameter(SessionFilter.CONFIG_SUPPLIER_PARAM, InitParamConfig.class.getName());
        fromInitParam.setAsyncSupported(true);
        context.addFilter(fromInitParam, "/initparam/*", DISPATCHES);

        ServletHolder servlet = new ServletHolder(new ContractServlet(async));
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.addErrorPage(418, "/app/s/error-page");
        errors.addErrorPage(ContractServlet.ToErrorPage.class, "/app/s/error-page");
        errors.addErrorPage(419, "/app/s/error-page-first-read");
        errors.addErrorPage(421, "/app/s/error-page-inplace");
        errors.addErrorPage(422, "/app/s/error-page-flushing");
        errors.addErrorPage(423, "/app/s/error-page-big");
        errors.addErrorPage(424, "/app/s/error-page-fixed-length");
        context.setErrorHandler(errors);

        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    static JettyServer start(Apps apps) throws Exception {
        return new JettyServer(apps, http -> { });
    }

    /** Starts Jetty with its HTTP configuration (buffer and aggregation sizes, ...) changed by {@code http}. */
    static JettyServer start(Apps apps, Consumer<HttpConfiguration> http) throws Exception {
        return new JettyServer(apps, http);
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        async.shutdownNow();
    }
}
