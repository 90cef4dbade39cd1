package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The HTTP benchmark's Jetty 12 (ee10) app: one counter endpoint served five ways, each in its own
 * context so that one's session machinery never runs for another's requests.
 *
 * <ul>
 *   <li>{@code /plain/read}, {@code /plain/write}: no sessions (a process-wide counter);</li>
 *   <li>{@code /chirp/...}: our {@link SessionFilter}, the counter in the signed cookie;</li>
 *   <li>{@code /container/...}: Jetty's own {@link HttpSession}, in memory, the default a Java user
 *       gets;</li>
 *   <li>{@code /spring/...}: Spring Session's {@link SessionRepositoryFilter} over a
 *       {@link MapSessionRepository};</li>
 *   <li>{@code /floor/...}: the same cookie (same format and secret as {@code /chirp}) handled by hand
 *       in the servlet with {@link Floor}: no filter, no response wrapper, no lazy loading, so
 *       {@code /chirp} over {@code /floor} is what the filter and middleware add. Like the middleware
 *       (whose verified-cookie cache is on by default) it verifies a cookie value once and then only
 *       re-checks its age: without that the floor's read did more work than the library's (a full
 *       HMAC, base64 and JSON parse against a cache hit) and flattered the library. Unlike the
 *       middleware it copies the cached map only when the request changes it.</li>
 * </ul>
 * {@code read} only reads the counter; {@code write} increments it on every request.
 * {@code /stats/allocated} answers the bytes allocated by all threads of the JVM so far and the
 * process's CPU time in nanoseconds, so the driver can report allocation and server CPU per request,
 * which unlike req/s do not depend much on how busy the machine is.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.chirp.sessions.benchmarks.HttpBenchmarkServer PORT
 * [MAX_SECONDS]}. It listens on 127.0.0.1 only, prints {@code ready} once started, and stops by itself
 * after {@code MAX_SECONDS} (default 900) so a crashed driver never leaves it running.
 */
public final class HttpBenchmarkServer {

    private HttpBenchmarkServer() {
    }

    /** Starts the server; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HttpBenchmarkServer PORT [MAX_SECONDS]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long maxSeconds = args.length == 2 ? Long.parseLong(args[1]) : 900;

        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // As docs/servers.md says every Jetty must: Jetty's header cache otherwise matches a repeated
        // Cookie value ignoring case on a keep-alive connection (and wrk repeats one Cookie exactly).
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        contexts.addHandler(context("/plain", Kind.PLAIN, null, false));
        SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder(Payloads.SECRET).build());
        contexts.addHandler(context("/chirp", Kind.CHIRP, new SessionFilter(middleware), false));
        contexts.addHandler(context("/container", Kind.HTTP_SESSION, null, true));
        contexts.addHandler(context("/spring", Kind.HTTP_SESSION,
                new SessionRepositoryFilter<>(new MapSessionRepository(new ConcurrentHashMap<>())), false));
        contexts.addHandler(context("/floor", Kind.FLOOR, null, false));
        ServletContextHandler stats = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        stats.setContextPath("/stats");
        stats.addServlet(new ServletHolder(new AllocationServlet()), "/*");
        contexts.addHandler(stats);
        server.setHandler(contexts);
        server.setStopAtShutdown(true);
        server.start();

        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(maxSeconds * 1000);
                System.err.println("HttpBenchmarkServer: " + maxSeconds + " s elapsed, stopping");
                server.stop();
            } catch (Exception e) {
                // interrupted or failed to stop: exit anyway
            }
            System.exit(0);
        }, "benchmark-deadline");
        deadline.setDaemon(true);
        deadline.start();

        System.out.println("ready on 127.0.0.1:" + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    private static ServletContextHandler context(String path, Kind kind, Filter filter, boolean sessions) {
        ServletContextHandler context = new ServletContextHandler(
                sessions ? ServletContextHandler.SESSIONS : ServletContextHandler.NO_SESSIONS);
        context.setContextPath(path);
        if (filter != null) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            // The dispatcher types SessionFilter.register uses; Spring's filter gets the same for fairness.
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD,
                    DispatcherType.ASYNC, DispatcherType.ERROR));
        }
        ServletHolder servlet = new ServletHolder(new CounterServlet(kind));
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/*");
        return context;
    }

    private enum Kind { PLAIN, CHIRP, HTTP_SESSION, FLOOR }

    /** Answers the JVM's total allocated bytes (HotSpot's thread allocation counters) and its CPU time in ns. */
    private static final class AllocationServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long bytes = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                    .getTotalThreadAllocatedBytes();
            // The server process's CPU time (all threads, user + system): divided by the requests of a
            // run, what each request cost the server however busy the machine was.
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            byte[] body = (bytes + " " + cpu + "\n").getBytes(StandardCharsets.US_ASCII);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /**
     * The floor's verified-cookie cache: a cookie value verified once by {@link Floor#loads} is not
     * verified again, only its signing time is checked against the maximum age, as the middleware's
     * cache does, and keys are hashed on the token's tail, as the middleware's are. Unbounded growth is cut by clearing it (wrk sends one cookie per variant).
     */
    static final class VerifiedFloorCookies {
        private static final int MAX_ENTRIES = 10_000;

        private final Floor floor;
        private final long maxAgeSeconds;
        private final ConcurrentHashMap<Tail, Verified> verified = new ConcurrentHashMap<>();

        private record Verified(long signedAt, Map<String, Object> data) {
        }

        /**
         * A token as a key hashed on its last 16 characters (its MAC), as the middleware's cache keys it:
         * {@code String.hashCode} would walk a whole 4 KB cookie on every request, a new string each time.
         */
        private record Tail(String token, int hash) {
            static Tail of(String token) {
                int h = token.length();
                for (int i = Math.max(0, token.length() - 16); i < token.length(); i++) {
                    h = 31 * h + token.charAt(i);
                }
                return new Tail(token, h);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Tail t && t.hash == hash && t.token.equals(token);
            }
        }

        VerifiedFloorCookies(Floor floor, long maxAgeSeconds) {
            this.floor = floor;
            this.maxAgeSeconds = maxAgeSeconds;
        }

        /** The cookie's object (shared: copy it before changing it), or null if it does not verify. */
        Map<String, Object> loads(String token, long nowSeconds) {
            Tail key = Tail.of(token);
            Verified hit = verified.get(key);
            if (hit != null) {
                long age = nowSeconds - hit.signedAt();
                return age > maxAgeSeconds || age < -5 ? null : hit.data();
            }
            Map<String, Object> data = floor.loads(token, nowSeconds, maxAgeSeconds);
            if (data != null) {
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
                verified.put(key, new Verified(signedAt(token), data));
            }
            return data;
        }

        /** The signing time of a token {@link Floor#loads} accepted: its second-to-last part, base64url. */
        static long signedAt(String token) {
            int sigDot = token.lastIndexOf('.');
            int tsDot = token.lastIndexOf('.', sigDot - 1);
            long bits = 0;
            int count = 0;
            for (int i = tsDot + 1; i < sigDot; i++) {
                char c = token.charAt(i);
                int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                        : c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' ? 62 : 63;
                bits = (bits << 6) | value;
                count += 6;
            }
            return bits >>> (count % 8); // the spare low bits of unpadded base64 are zero
        }
    }

    /** {@code GET .../read} answers the counter; {@code GET .../write} increments it first. */
    private static final class CounterServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final String COOKIE_NAME = "chirp_session";
        private static final long MAX_AGE_SECONDS = 86_400;
        private static final Floor FLOOR = new Floor(Payloads.SECRET);
        private static final VerifiedFloorCookies FLOOR_CACHE = new VerifiedFloorCookies(FLOOR, MAX_AGE_SECONDS);

        private final Kind kind;
        private final AtomicLong global = new AtomicLong();

        CounterServlet(Kind kind) {
            this.kind = kind;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String pathInfo = request.getPathInfo();
            boolean write;
            if ("/write".equals(pathInfo)) {
                write = true;
            } else if ("/read".equals(pathInfo)) {
                write = false;
            } else {
                response.sendError(404);
                return;
            }
            long counter;
            switch (kind) {
                case PLAIN:
                    counter = write ? global.incrementAndGet() : global.get();
                    break;
                case CHIRP: {
                    Session session = Sessions.get();
                    counter = ((Number) session.getOrDefault("counter", 0)).longValue();
                    if (write) {
                        session.put("counter", ++counter);
                    }
                    break;
                }
                case FLOOR: {
                    long now = System.currentTimeMillis() / 1000;
                    String cookie = Floor.cookieValue(request.getHeader("Cookie"), COOKIE_NAME);
                    Map<String, Object> data = cookie == null ? null : FLOOR_CACHE.loads(cookie, now);
                    Object value = data == null ? null : data.get("counter");
                    counter = value == null ? 0 : ((Number) value).longValue();
                    response.addHeader("Vary", "Cookie");
                    if (write) {
                        // The cached map is shared: change a copy, as the middleware does.
                        data = data == null ? new LinkedHashMap<>() : new LinkedHashMap<>(data);
                        data.put("counter", ++counter);
                        response.addHeader("Set-Cookie",
                                FLOOR.setCookie(COOKIE_NAME, FLOOR.dumps(data, now), now, MAX_AGE_SECONDS));
                    }
                    break;
                }
                default: {
                    HttpSession session = request.getSession(write);
                    Object value = session == null ? null : session.getAttribute("counter");
                    counter = value == null ? 0 : (Long) value;
                    if (write) {
                        session.setAttribute("counter", ++counter);
                    }
                    break;
                }
            }
            byte[] body = ("counter=" + counter + "\n").getBytes(StandardCharsets.US_ASCII);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
