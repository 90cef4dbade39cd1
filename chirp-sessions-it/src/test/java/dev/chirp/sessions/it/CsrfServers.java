package dev.chirp.sessions.it;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.CsrfGuard;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.httpserver.CsrfHttpFilter;
import dev.chirp.sessions.httpserver.SessionHttpFilter;
import dev.chirp.sessions.servlet.CsrfFilter;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One small application on Jetty, Tomcat and the JDK server, each behind its session filter and then its
 * CSRF filter ({@code /webhooks/*} exempt): {@code POST /transfer} echoes the form (the servlet through
 * {@code getParameter}, the JDK handler by reading the body itself), and a few paths read and write the
 * session. For {@link CsrfTest} and {@link HeaderTransportTest}.
 */
final class CsrfServers {

    private static final Logger CATALINA = Logger.getLogger("org.apache");

    private CsrfServers() {
    }

    /** A started server; closing it stops it. */
    interface Running extends AutoCloseable {
        URI base();

        @Override
        void close() throws Exception;
    }

    private static CsrfGuard guard() {
        return CsrfGuard.builder().exemptPaths("/webhooks/*").build();
    }

    /**
     * The session paths both applications share: {@code /form} prints the CSRF token (minting it), {@code
     * /put?v=x} stores {@code x}, {@code /get} prints it, {@code /clear} empties the session, {@code /big}
     * stores more than any cookie or header may carry. Null for any other path.
     */
    private static String sessionPath(String path, String value) {
        Session session = Sessions.get();
        switch (path) {
            case "/form":
                return Csrf.token();
            case "/put":
                session.put("v", value);
                return "ok";
            case "/get":
                return String.valueOf(session.get("v"));
            case "/clear":
                session.clear();
                return "ok";
            case "/big":
                session.put("v", new BigInteger(48_000, new Random(7)).toString(36));
                return "ok";
            default:
                return null;
        }
    }

    /** The servlet application: prints the token, echoes the form through getParameter. */
    private static final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            response.setContentType("text/plain;charset=UTF-8");
            String session = sessionPath(path, request.getParameter("v"));
            if (session != null) {
                response.getWriter().write(session);
            } else if (request.getMethod().equals("POST") && request.getParameter("amount") != null) {
                response.getWriter().write("ok amount=" + request.getParameter("amount") + " to="
                        + request.getParameter("to"));
            } else {
                response.getWriter().write("ok");
            }
        }
    }

    /**
     * Starts {@code kind} with {@code middleware}'s {@code SessionFilter} (or {@code SessionHttpFilter}) and
     * then a CSRF filter exempting {@code /webhooks/*} on every path.
     */
    static Running start(CsrfTest.Kind kind, SessionMiddleware middleware) throws Exception {
        switch (kind) {
            case JETTY: {
                Server server = new Server();
                ServerConnector connector = new ServerConnector(server);
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                server.addConnector(connector);
                ServletContextHandler context = new ServletContextHandler("/");
                context.addFilter(new FilterHolder(new SessionFilter(middleware)), "/*",
                        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
                context.addFilter(new FilterHolder(new CsrfFilter(guard())), "/*", EnumSet.of(DispatcherType.REQUEST));
                context.addServlet(new ServletHolder(new App()), "/*");
                server.setHandler(context);
                server.start();
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
                return new Running() {
                    public URI base() {
                        return base;
                    }

                    public void close() throws Exception {
                        server.stop();
                    }
                };
            }
            case TOMCAT: {
                CATALINA.setLevel(Level.WARNING);
                Path dir = Files.createTempDirectory("chirp-csrf-tomcat");
                Tomcat tomcat = new Tomcat();
                tomcat.setBaseDir(dir.toString());
                Connector connector = new Connector("HTTP/1.1");
                connector.setPort(0);
                connector.setProperty("address", "127.0.0.1");
                tomcat.getService().addConnector(connector);
                tomcat.setConnector(connector);
                Context context = tomcat.addContext("", null);
                // Leak detection needs --add-opens and otherwise prints two warnings per stop: nothing leaks here.
                ((StandardContext) context).setClearReferencesThreadLocals(false);
                ((StandardContext) context).setClearReferencesRmiTargets(false);
                // Both through register(), as the README shows: the CSRF filter after the session filter.
                context.addServletContainerInitializer((classes, servletContext) -> {
                    SessionFilter.register(servletContext, middleware);
                    CsrfFilter.register(servletContext, guard());
                }, null);
                Tomcat.addServlet(context, "app", new App());
                mapAll(context);
                tomcat.start();
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
                return new Running() {
                    public URI base() {
                        return base;
                    }

                    public void close() throws Exception {
                        tomcat.stop();
                        tomcat.destroy();
                        try (var files = Files.walk(dir)) {
                            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                        }
                    }
                };
            }
            default: {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                ExecutorService pool = Executors.newFixedThreadPool(4);
                server.setExecutor(pool);
                HttpContext context = server.createContext("/", CsrfServers::handle);
                context.getFilters().add(new SessionHttpFilter(middleware));
                context.getFilters().add(new CsrfHttpFilter(guard()));
                server.start();
                URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
                return new Running() {
                    public URI base() {
                        return base;
                    }

                    public void close() {
                        server.stop(0);
                        pool.shutdownNow();
                    }
                };
            }
        }
    }

    /** The JDK application: prints the token, and echoes the body it reads itself. */
    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getQuery();
        String session = sessionPath(path, query != null && query.startsWith("v=") ? query.substring(2) : null);
        String answer = session != null ? session
                : exchange.getRequestMethod().equals("POST") && body.startsWith("amount=") ? "ok body=" + body : "ok";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @SuppressWarnings("deprecation")
    private static void mapAll(Context context) {
        context.addServletMappingDecoded("/*", "app");
    }
}
