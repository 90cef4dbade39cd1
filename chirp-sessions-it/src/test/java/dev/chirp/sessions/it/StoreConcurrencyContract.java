package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.CookieSessionStore;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionStore;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.UserSessionRegistry;
import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The concurrency contract of a {@link SessionStore}: what happens when requests of one session overlap
 * (two tabs, a page and its XHRs, a slow upload beside a click), run through real HTTP on Jetty 12 with
 * the servlet filter. Requests are ordered with latches inside the handler, never with sleeps: each
 * overlapping request loads the session, says so, and waits until the test lets it write.
 *
 * <p>The policy it pins (docs/concurrency.md): changes of different keys from concurrent requests are all
 * kept; for the same key the last write wins; a removal is a change like any other; a slow write never
 * brings back a session that was regenerated or logged out everywhere meanwhile; a read-only request
 * writes nothing. {@link CookieSessionStore} cannot merge (the browser keeps the last {@code Set-Cookie}
 * it receives); for it ({@link #cookieStore()} true) the contract pins that instead: every response
 * carries its own request's change and nothing of the others'.
 *
 * <p>To run it against a store, subclass it and give the store; one Jetty server (port 0) serves the
 * whole class and is started at the first test, so a backend started in the subclass's own
 * {@code @BeforeAll} is up by then:
 *
 * <pre>{@code
 * class RedisConcurrencyTest extends StoreConcurrencyContract {
 *     static RedisProcess redis;
 *
 *     @BeforeAll
 *     static void startRedis() {
 *         redis = RedisProcess.launch();
 *     }
 *
 *     @AfterAll
 *     static void stopRedis() {
 *         redis.close();
 *     }
 *
 *     @Override
 *     protected SessionStore newStore() {
 *         return RedisSessionStore.builder(redis.uri()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Hooks: {@link #newStore()} (required, called once per class), {@link #closeStore} (default: closes an
 * {@link AutoCloseable} store after the server stopped), {@link #cookieStore()} (only the cookie store
 * says true). The "log out everywhere" race uses {@link UserSessionRegistry#revokeAll} when the store is
 * a registry, and a session-version bump ({@link SessionConfig.Builder#sessionVersions}) otherwise: every
 * store must keep a logged-out session dead, by one means or the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreConcurrencyContract {

    /** How many requests overlap in the different-keys race. */
    protected static final int OVERLAPPING = 16;
    private static final long HANG_GUARD_SECONDS = 60;
    private static final String SECRET = "store-concurrency-contract-0123456789-0123456789";

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final AtomicInteger users = new AtomicInteger();
    private SessionStore store;
    private Server server;
    private URI base;
    private HttpClient http;
    private ExecutorService clients;

    /** The store under test; called once, before the first test of the class. */
    protected abstract SessionStore newStore();

    /** Releases the store after the server stopped; by default closes it if it is {@link AutoCloseable}. */
    protected void closeStore(SessionStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * Whether the store keeps the whole session in the cookie and so cannot merge: true only for
     * {@link CookieSessionStore}, for which the contract pins last-write-wins instead of merging.
     */
    protected boolean cookieStore() {
        return false;
    }

    @BeforeEach
    void startServerOnce() throws Exception {
        if (server != null) {
            return;
        }
        store = newStore();
        SessionConfig config = SessionConfig.builder(SECRET).store(store)
                .sessionVersions(user -> Optional.ofNullable(versions.get(user))).build();
        server = new Server();
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setHeaderCacheCaseSensitive(true); // as docs/servers.md says every Jetty must
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new SessionFilter(new SessionMiddleware(config))), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new RaceServlet()), "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
        http = Browser.newClient(HttpClient.newBuilder());
        clients = Executors.newFixedThreadPool(OVERLAPPING);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server == null) {
            return;
        }
        clients.shutdownNow();
        server.stop();
        closeStore(store);
    }

    // --- the contract ---

    @Test
    void sixteenOverlappingRequestsEachSetADifferentKey() throws Exception {
        Browser browser = seeded("seed=1");
        String cookie = cookieHeader(browser);
        List<Future<Reply>> replies = new ArrayList<>();
        String gate = gate("sixteen", OVERLAPPING);
        for (int i = 0; i < OVERLAPPING; i++) {
            String path = "set?k=k" + i + "&v=" + i + "&gate=" + gate;
            replies.add(clients.submit(() -> new Browser(http, base).send(path, List.of(cookie))));
        }
        open(gate); // all sixteen loaded the session before any of them writes
        List<String> cookies = new ArrayList<>();
        for (Future<Reply> reply : replies) {
            Reply r = reply.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            cookies.add(r.onlyCookie().value());
        }

        if (cookieStore()) {
            // Each response carries the seed and its own key only: whichever cookie the browser keeps
            // last, the other fifteen changes are gone. Per-key merge is not possible in a cookie.
            for (int i = 0; i < OVERLAPPING; i++) {
                assertThat(dumpWith(cookies.get(i))).isEqualTo("{k" + i + "=" + i + ", seed=1}");
            }
            return;
        }
        Map<String, String> expected = new TreeMap<>(Map.of("seed", "1"));
        for (int i = 0; i < OVERLAPPING; i++) {
            expected.put("k" + i, Integer.toString(i));
        }
        String all = expected.toString();
        assertThat(browser.get("dump").body()).as("all sixteen keys kept").isEqualTo(all);
        for (String each : cookies) {
            assertThat(dumpWith(each)).as("every response's cookie names the merged session").isEqualTo(all);
        }
    }

    @Test
    void aRemovalAndASetOfAnotherKeyOverlapping() throws Exception {
        Browser browser = seeded("a=1&keep=1");
        String cookie = cookieHeader(browser);
        String gate = gate("remove-set", 2);
        Future<Reply> remove = send(cookie, "remove?k=a&gate=" + gate);
        Future<Reply> set = send(cookie, "set?k=b&v=2&gate=" + gate);
        open(gate);
        Reply removed = remove.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        Reply setB = set.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);

        if (cookieStore()) {
            // Each cookie has only its own request's change: the browser keeps one of them.
            assertThat(dumpWith(removed.onlyCookie().value())).isEqualTo("{keep=1}");
            assertThat(dumpWith(setB.onlyCookie().value())).isEqualTo("{a=1, b=2, keep=1}");
            return;
        }
        assertThat(browser.get("dump").body()).as("the removal and the set both applied")
                .isEqualTo("{b=2, keep=1}");
    }

    @Test
    void theSameKeyFromOverlappingRequestsKeepsTheLastWrite() throws Exception {
        Browser browser = seeded("k=seed&other=1");
        String cookie = cookieHeader(browser);
        String first = gate("same-key-first", 1);
        String second = gate("same-key-second", 1);
        Future<Reply> earlier = send(cookie, "set?k=k&v=first&gate=" + first);
        Future<Reply> later = send(cookie, "set?k=k&v=second&gate=" + second);
        awaitLoaded(first);
        awaitLoaded(second); // both loaded the seed before either writes
        release(first);
        browser.take(earlier.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        release(second);
        browser.take(later.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));

        assertThat(browser.get("dump").body()).isEqualTo("{k=second, other=1}");
    }

    @Test
    void aSlowReadOnlyRequestSendsNoCookieAndOverwritesNothing() throws Exception {
        Browser browser = seeded("cart=apple");
        // Written while the reader still holds what it loaded.
        Reply read = slowly(browser, "get?k=cart", () -> browser.get("set?k=cart&v=pear"));
        assertThat(read.body()).isEqualTo("apple");
        assertThat(read.setCookies()).as("a read-only response sends no cookie").isEmpty();
        browser.take(read);

        assertThat(browser.get("dump").body()).isEqualTo("{cart=pear}");
    }

    @Test
    void aSlowWriteRacingARegenerate() throws Exception {
        Browser browser = seeded("role=guest");
        String oldCookie = cookieHeader(browser);
        // Another tab regenerates: the browser now holds the new cookie.
        Reply late = slowly(browser, "set?k=late&v=1", () -> browser.get("regenerate?role=member"));

        if (cookieStore()) {
            // The cookie store cannot know the session was replaced: the slow response carries the old
            // session with its change, and a browser that receives it last is back in the old session.
            assertThat(dumpWith(late.onlyCookie().value())).isEqualTo("{late=1, role=guest}");
            return;
        }
        assertThat(late.setCookies()).as("no cookie for a session that ended meanwhile").isEmpty();
        browser.take(late);
        assertThat(browser.get("dump").body()).isEqualTo("{role=member}");
        assertThat(new Browser(http, base).send("dump", List.of(oldCookie)).body())
                .as("the old session stays dead").isEqualTo("{}");
    }

    @Test
    void aSlowWriteRacingLogOutEverywhere() throws Exception {
        String user = "user-" + users.incrementAndGet();
        versions.put(user, "1");
        Browser browser = new Browser(http, base);
        browser.get("login?user=" + user);
        String cookie = cookieHeader(browser);
        assertThat(browser.get("dump").body()).isEqualTo("{user_id=" + user + "}");
        Reply late = slowly(browser, "set?k=late&v=1", () -> {
            if (store instanceof UserSessionRegistry registry) {
                assertThat(registry.revokeAll(user)).isEqualTo(1);
            } else {
                versions.put(user, "2"); // the cookie store's "log out everywhere"
            }
        });
        if (store instanceof UserSessionRegistry) {
            assertThat(late.setCookies()).as("no cookie for a session that ended meanwhile").isEmpty();
        }
        browser.take(late);

        assertThat(browser.get("dump").body()).as("the logged-out session stays dead, whatever the "
                + "browser kept").isEqualTo("{}");
        assertThat(new Browser(http, base).send("dump", List.of(cookie)).body()).isEqualTo("{}");
    }

    // --- the harness ---

    /** A new browser whose session holds {@code query}'s pairs (all values are strings). */
    private Browser seeded(String query) {
        Browser browser = new Browser(http, base);
        Reply reply = browser.get("seed?" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(browser.jar()).containsKey("chirp_session");
        return browser;
    }

    private static String cookieHeader(Browser browser) {
        return "chirp_session=" + browser.jar().get("chirp_session");
    }

    private String dumpWith(String cookieValue) {
        return new Browser(http, base).send("dump", List.of("chirp_session=" + cookieValue)).body();
    }

    private Future<Reply> send(String cookie, String path) {
        return clients.submit(() -> new Browser(http, base).send(path, List.of(cookie)));
    }

    /**
     * Sends {@code path} with the browser's cookie as it is now (from another connection, as another tab
     * would), runs {@code meanwhile} once that request has loaded its session, then lets it finish;
     * returns its reply (asserted 200), not yet taken into the browser's jar.
     */
    private Reply slowly(Browser browser, String path, Runnable meanwhile) throws Exception {
        String gate = gate("slow", 1);
        Future<Reply> slow = send(cookieHeader(browser), path + "&gate=" + gate);
        awaitLoaded(gate);
        meanwhile.run();
        release(gate);
        Reply reply = slow.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }

    /** A gate for {@code parties} requests, named uniquely for this run. */
    private String gate(String name, int parties) {
        String unique = name + "-" + gates.size();
        gates.put(unique, new Gate(parties));
        return unique;
    }

    private void awaitLoaded(String gate) throws InterruptedException {
        assertThat(gates.get(gate).loaded.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS))
                .as("every request at gate " + gate + " loaded its session").isTrue();
    }

    private void release(String gate) {
        gates.get(gate).go.countDown();
    }

    /** Waits until every request at the gate loaded its session, then lets them all write. */
    private void open(String gate) throws InterruptedException {
        awaitLoaded(gate);
        release(gate);
    }

    /** Requests at a gate count down {@code loaded} once their session is loaded, then wait for {@code go}. */
    private static final class Gate {
        final CountDownLatch loaded;
        final CountDownLatch go = new CountDownLatch(1);

        Gate(int parties) {
            loaded = new CountDownLatch(parties);
        }
    }

    /**
     * The application: {@code seed?k=v&...}, {@code set?k=&v=}, {@code remove?k=}, {@code get?k=},
     * {@code regenerate?role=}, {@code login?user=}, {@code dump} (the session as a sorted map, without the
     * session version). With {@code gate=NAME}, the session is loaded first, then the request waits at the
     * gate before its change.
     */
    private final class RaceServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Session session = Sessions.get();
            String gateName = request.getParameter("gate");
            if (gateName != null) {
                Gate gate = gates.get(gateName);
                session.size(); // loads the session now, before the race
                gate.loaded.countDown();
                try {
                    if (!gate.go.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                        response.sendError(504, "gate " + gateName + " never opened");
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    response.sendError(503);
                    return;
                }
            }
            String body = "";
            switch (request.getRequestURI().substring(1)) {
                case "seed" -> request.getParameterMap().forEach((k, v) -> session.put(k, v[0]));
                case "set" -> session.put(request.getParameter("k"), request.getParameter("v"));
                case "remove" -> session.remove(request.getParameter("k"));
                case "get" -> body = String.valueOf(session.get(request.getParameter("k")));
                case "regenerate" -> session.regenerate().put("role", request.getParameter("role"));
                case "login" -> Sessions.login(request.getParameter("user"));
                case "dump" -> {
                    Map<String, Object> visible = new TreeMap<>(session);
                    visible.remove(Sessions.SESSION_VERSION_KEY);
                    body = visible.toString();
                }
                default -> {
                    response.sendError(404);
                    return;
                }
            }
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write(body);
        }
    }
}
