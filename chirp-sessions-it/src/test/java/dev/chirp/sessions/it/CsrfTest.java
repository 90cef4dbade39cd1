package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chirp.sessions.Csrf;
import dev.chirp.sessions.CsrfGuard;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CSRF adapters on real servers through real HTTP: {@link CsrfFilter} on Jetty and Tomcat,
 * {@link CsrfHttpFilter} on the JDK server, each after its session filter, with one small application:
 * {@code GET /form} prints the token, {@code POST /transfer} echoes the form (the servlet through
 * {@code getParameter}, the JDK handler by reading the body itself), {@code /webhooks/*} is exempt.
 */
class CsrfTest {

    private static final String SECRET = "csrf-it-secret-0123456789-0123456789-0123";
    private static final Logger CATALINA = Logger.getLogger("org.apache");

    enum Kind { JETTY, TOMCAT, JDK }

    private final HttpClient http = Browser.newClient(HttpClient.newBuilder());

    /** A client with its own cookie jar: one browser. */
    private final class Client {
        final URI base;
        final Map<String, String> jar = new LinkedHashMap<>();

        Client(URI base) {
            this.base = base;
        }

        HttpResponse<String> send(String method, String path, String contentType, String body,
                Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            headers.forEach(request::header);
            if (!jar.isEmpty()) {
                StringBuilder cookie = new StringBuilder();
                jar.forEach((k, v) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                request.header("Cookie", cookie.toString());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("set-cookie")) {
                Browser.SetCookie cookie = Browser.SetCookie.parse(header);
                if (cookie.isDeletion()) {
                    jar.remove(cookie.name());
                } else {
                    jar.put(cookie.name(), cookie.value());
                }
            }
            return response;
        }

        String token() throws Exception {
            HttpResponse<String> page = send("GET", "form", null, null, Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            return page.body();
        }

        HttpResponse<String> postForm(String path, String form) throws Exception {
            return send("POST", path, "application/x-www-form-urlencoded", form, Map.of());
        }

        HttpResponse<String> postWithHeader(String method, String path, String token) throws Exception {
            return send(method, path, "application/json", "{\"amount\":5}", Map.of("X-CSRF-Token", token));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theTokenIsAcceptedFromTheHeaderAndFromTheFormWhoseFieldsTheHandlerStillReads(Kind kind) throws Exception {
        try (Running server = start(kind)) {
            Client alice = new Client(server.base());
            String token = alice.token();
            assertThat(token).matches("[0-9a-f]{64}");

            HttpResponse<String> form = alice.postForm("transfer", "amount=10&_csrf_token=" + token + "&to=b%26c");
            assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
            assertThat(form.body()).isEqualTo(kind == Kind.JDK
                    ? "ok body=amount=10&_csrf_token=" + token + "&to=b%26c"
                    : "ok amount=10 to=b&c");
            for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
                HttpResponse<String> header = alice.postWithHeader(method, "transfer", token);
                assertThat(header.statusCode()).as(method + " " + header.body()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void missingWrongAndForeignTokensGetA403WithTheReason(Kind kind) throws Exception {
        try (Running server = start(kind)) {
            Client alice = new Client(server.base());
            String token = alice.token();
            Client mallory = new Client(server.base());
            String foreign = mallory.token();

            HttpResponse<String> missing = alice.postForm("transfer", "amount=10");
            assertThat(missing.statusCode()).isEqualTo(403);
            assertThat(missing.body()).startsWith("CSRF token missing: ");
            HttpResponse<String> noBody = alice.send("DELETE", "transfer", null, null, Map.of());
            assertThat(noBody.statusCode()).isEqualTo(403);

            HttpResponse<String> wrong = alice.postWithHeader("POST", "transfer", token.replace(token.charAt(0),
                    token.charAt(0) == 'a' ? 'b' : 'a'));
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).startsWith("CSRF token invalid: ").doesNotContain(token);

            HttpResponse<String> stolen = alice.postForm("transfer", "amount=10&_csrf_token=" + foreign);
            assertThat(stolen.statusCode()).isEqualTo(403);
            assertThat(stolen.body()).startsWith("CSRF token invalid: ");

            Client fresh = new Client(server.base());
            assertThat(fresh.postWithHeader("POST", "transfer", token).statusCode())
                    .as("a token without its session").isEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void safeMethodsAndExemptPathsPassWithoutATokenAndWithoutASession(Kind kind) throws Exception {
        try (Running server = start(kind)) {
            Client client = new Client(server.base());
            HttpResponse<String> hook = client.postForm("webhooks/in", "event=paid");
            assertThat(hook.statusCode()).isEqualTo(200);
            assertThat(hook.headers().allValues("set-cookie")).isEmpty();
            HttpResponse<String> get = client.send("GET", "transfer", null, null, Map.of());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().allValues("set-cookie")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTokenIssuedByChirpIsAcceptedAndOursIsChirpsFormat(Kind kind) throws Exception {
        String minted = python("import json, secrets, sys\n"
                + "from itsdangerous import URLSafeTimedSerializer\n"
                + "token = secrets.token_hex(32)\n"
                + "print(token + ' ' + URLSafeTimedSerializer(sys.argv[1]).dumps({'_csrf_token': token}))", SECRET);
        String chirpToken = minted.substring(0, minted.indexOf(' '));
        String chirpCookie = minted.substring(minted.indexOf(' ') + 1);
        try (Running server = start(kind)) {
            Client client = new Client(server.base());
            client.jar.put("chirp_session", chirpCookie);
            assertThat(client.postWithHeader("POST", "transfer", chirpToken).statusCode()).isEqualTo(200);
            assertThat(client.token()).isEqualTo(chirpToken);

            Client java = new Client(server.base());
            String ours = java.token();
            String seenByPython = python("import sys\n"
                    + "from itsdangerous import URLSafeTimedSerializer\n"
                    + "print(URLSafeTimedSerializer(sys.argv[1]).loads(sys.argv[2])['_csrf_token'])",
                    SECRET, java.jar.get("chirp_session"));
            assertThat(seenByPython).isEqualTo(ours);
        }
    }

    private static String python(String script, String... args) throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String[] command = new String[args.length + 3];
        command[0] = python;
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: no python3 to compare with chirp (" + e.getMessage() + ")");
            throw e;
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0,
                "skipped: python3 lacks itsdangerous (apt-get install python3-itsdangerous): " + out);
        return out;
    }

    // --- the three servers ---

    private interface Running extends AutoCloseable {
        URI base();

        @Override
        void close() throws Exception;
    }

    private static SessionMiddleware middleware() {
        return new SessionMiddleware(SessionConfig.builder(SECRET).build());
    }

    private static CsrfGuard guard() {
        return CsrfGuard.builder().exemptPaths("/webhooks/*").build();
    }

    /** The servlet application: prints the token, echoes the form through getParameter. */
    private static final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            response.setContentType("text/plain;charset=UTF-8");
            if (path.equals("/form")) {
                response.getWriter().write(Csrf.token());
            } else if (request.getMethod().equals("POST") && request.getParameter("amount") != null) {
                response.getWriter().write("ok amount=" + request.getParameter("amount") + " to="
                        + request.getParameter("to"));
            } else {
                response.getWriter().write("ok");
            }
        }
    }

    private static Running start(Kind kind) throws Exception {
        switch (kind) {
            case JETTY: {
                Server server = new Server();
                ServerConnector connector = new ServerConnector(server);
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                server.addConnector(connector);
                ServletContextHandler context = new ServletContextHandler("/");
                context.addFilter(new FilterHolder(new SessionFilter(middleware())), "/*",
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
                    SessionFilter.register(servletContext, middleware());
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
                HttpContext context = server.createContext("/", CsrfTest::handle);
                context.getFilters().add(new SessionHttpFilter(middleware()));
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
        String answer = path.equals("/form") ? Csrf.token()
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
