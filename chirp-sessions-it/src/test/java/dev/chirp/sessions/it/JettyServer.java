package dev.chirp.sessions.it;

import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty 12.1 (ee10) with the filter registered through Jetty's own API, as an embedding application would. */
final class JettyServer implements TestServer {

    private static final EnumSet<DispatcherType> DISPATCHES =
            EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

    private final Server server;
    private final ExecutorService async;
    private final URI base;

    private JettyServer(Apps apps) throws Exception {
        async = Executors.newCachedThreadPool();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
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
        context.setErrorHandler(errors);

        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    static JettyServer start(Apps apps) throws Exception {
        return new JettyServer(apps);
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
