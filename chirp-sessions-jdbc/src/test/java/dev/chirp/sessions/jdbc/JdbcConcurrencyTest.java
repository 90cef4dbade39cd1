package dev.chirp.sessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.Sessions;
import dev.chirp.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Requests of one session racing each other on PostgreSQL: over real HTTP on Jetty (a slow write against
 * a regenerate, a logout, a revoke-all), and on the store from many threads (the per-key merge under
 * contention: no write lost, no statement failed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcConcurrencyTest {

    // Not the common pool: on a 2-core machine it has one worker (and JDK 25's CompletableFuture uses it even
    // then), so tasks meant to overlap would run one after another, or wait forever behind a loop.
    private static final ExecutorService ASYNC = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-async");
        thread.setDaemon(true);
        return thread;
    });


    private static final String TABLE = "concurrency_test_session";
    private static final Duration DAY = Duration.ofDays(1);

    private Postgres pg;
    private HikariDataSource pool;
    private JdbcSessionStore store;
    private Server jetty;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile CountDownLatch slowGate = new CountDownLatch(0);
    private volatile CountDownLatch slowLoaded = new CountDownLatch(0);

    @BeforeAll
    void start() throws Exception {
        pg = Postgres.shared();
        pool = pg.pool(20);
        store = JdbcSessionStore.builder(pool).tableName(TABLE).createTableIfMissing(true)
                .cleanupInterval(Duration.ZERO).build();
        SessionMiddleware middleware = new SessionMiddleware(SessionConfig.builder("jdbc-concurrency-secret-0123456789")
                .store(store).build());
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(new FilterHolder(new SessionFilter(middleware)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new App()), "/*");
        jetty.setHandler(context);
        jetty.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    void stop() throws Exception {
        jetty.stop();
        store.close();
        pool.close();
    }

    @BeforeEach
    void emptyTable() {
        pg.execute("TRUNCATE " + TABLE);
    }

    /** /put?k=&v=, /get?k=, /login?u=, /logout, /slowput?k=&v= (loads, waits for the test, then writes). */
    private final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            var session = Sessions.get();
            String k = request.getParameter("k");
            String body = "";
            switch (request.getRequestURI()) {
                case "/put" -> session.put(k, request.getParameter("v"));
                case "/get" -> body = String.valueOf(session.get(k));
                case "/login" -> Sessions.login(request.getParameter("u"));
                case "/logout" -> Sessions.logout();
                case "/slowput" -> {
                    session.get(k); // loaded now
                    slowLoaded.countDown();
                    try {
                        slowGate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    session.put(k, request.getParameter("v"));
                }
                default -> response.setStatus(404);
            }
            response.getWriter().write(body);
        }
    }

    /** A cookie jar of one browser. */
    private final class Client {
        String cookie;

        HttpResponse<String> get(String pathAndQuery) throws Exception {
            return get(pathAndQuery, cookie);
        }

        HttpResponse<String> get(String pathAndQuery, String withCookie) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery));
            if (withCookie != null) {
                request.header("Cookie", "chirp_session=" + withCookie);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String value = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
                cookie = value.isEmpty() || set.contains("Max-Age=0") ? null : value;
            }
            return response;
        }
    }

    private HttpResponse<String> slowWriteAround(Client client, Runnable meanwhile) throws Exception {
        slowGate = new CountDownLatch(1);
        slowLoaded = new CountDownLatch(1);
        String cookie = client.cookie;
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return new Client().get("/slowput?k=late&v=write", cookie);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ASYNC);
        assertThat(slowLoaded.await(30, TimeUnit.SECONDS)).isTrue();
        meanwhile.run();
        slowGate.countDown();
        return slow.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSlowWriteCannotBringBackASessionRegeneratedMeanwhile() throws Exception {
        Client browser = new Client();
        browser.get("/login?u=alice");
        String old = browser.cookie;
        HttpResponse<String> slow = slowWriteAround(browser, () -> call(() -> browser.get("/login?u=alice")));
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(slow.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(new Client().get("/get?k=user_id", old).body()).isEqualTo("null");
        assertThat(browser.get("/get?k=user_id").body()).isEqualTo("alice");
        assertThat(browser.get("/get?k=late").body()).isEqualTo("null");
        assertThat(pg.queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(1);
    }

    @Test
    void aSlowWriteCannotBringBackSessionsRevokedEverywhereMeanwhile() throws Exception {
        Client laptop = new Client();
        Client phone = new Client();
        laptop.get("/login?u=bob");
        phone.get("/login?u=bob");
        HttpResponse<String> slow = slowWriteAround(laptop, () -> assertThat(store.revokeAll("bob")).isEqualTo(2));
        assertThat(slow.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(laptop.get("/get?k=user_id").body()).isEqualTo("null");
        assertThat(phone.get("/get?k=user_id").body()).isEqualTo("null");
        assertThat(pg.queryLong("SELECT count(*) FROM " + TABLE)).isZero();
    }

    @Test
    void aSlowWriteCannotUndoALogoutInAnotherTab() throws Exception {
        Client browser = new Client();
        browser.get("/login?u=carol");
        Client otherTab = new Client();
        otherTab.cookie = browser.cookie;
        HttpResponse<String> slow = slowWriteAround(browser, () -> call(() -> otherTab.get("/logout")));
        assertThat(slow.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(browser.get("/get?k=user_id").body()).isEqualTo("null");
        assertThat(pg.queryLong("SELECT count(*) FROM " + TABLE)).isZero();
    }

    @Test
    void sixteenConcurrentWritersOfDifferentKeysAreAllKept() throws Exception {
        Map<String, Object> payload = store.save(null, new LinkedHashMap<>(Map.of("base", 0)), DAY);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Map<String, Object>>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "k" + i;
                int value = i;
                done.add(threads.submit(() -> {
                    Map<String, Object> data = new LinkedHashMap<>(Map.of("base", 0));
                    data.put(key, value);
                    return store.save(payload, data, SessionChanges.of(Set.of(key), Set.of()), DAY);
                }));
            }
            for (Future<Map<String, Object>> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
            }
        } finally {
            threads.shutdownNow();
        }
        Map<String, Object> expected = new LinkedHashMap<>(Map.of("base", 0));
        for (int i = 0; i < 16; i++) {
            expected.put("k" + i, i);
        }
        assertThat(store.load(payload)).isEqualTo(expected);
    }

    @Test
    void concurrentRemoveAndSetAreBothApplied() throws Exception {
        for (int round = 0; round < 20; round++) {
            Map<String, Object> payload = store.save(null, new LinkedHashMap<>(Map.of("a", 1, "b", 2)), DAY);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Map<String, Object>> remove = CompletableFuture.supplyAsync(() -> {
                await(go);
                return store.save(payload, new LinkedHashMap<>(Map.of("b", 2)), SessionChanges.of(Set.of(), Set.of("a")), DAY);
            }, ASYNC);
            CompletableFuture<Map<String, Object>> set = CompletableFuture.supplyAsync(() -> {
                await(go);
                return store.save(payload, new LinkedHashMap<>(Map.of("a", 1, "b", 2, "c", 3)),
                        SessionChanges.of(Set.of("c"), Set.of()), DAY);
            }, ASYNC);
            go.countDown();
            assertThat(remove.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
            assertThat(set.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
            assertThat(store.load(payload)).isEqualTo(Map.of("b", 2, "c", 3));
        }
    }

    @Test
    void concurrentRequestsOverHttpNeverFailAndEveryBrowserKeepsItsOwnData() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String me = "client-" + i;
                done.add(threads.submit(() -> {
                    Client client = new Client();
                    client.get("/put?k=owner&v=" + me);
                    for (int n = 0; n < 20; n++) {
                        HttpResponse<String> put = client.get("/put?k=n&v=" + n);
                        if (put.statusCode() != 200) {
                            return "status " + put.statusCode();
                        }
                    }
                    return client.get("/get?k=owner").body() + "/" + client.get("/get?k=n").body();
                }));
            }
            for (int i = 0; i < 16; i++) {
                assertThat(done.get(i).get(120, TimeUnit.SECONDS)).isEqualTo("client-" + i + "/19");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    private static void call(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
