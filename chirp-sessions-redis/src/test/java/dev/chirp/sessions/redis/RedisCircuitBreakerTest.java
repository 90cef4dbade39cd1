package dev.chirp.sessions.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chirp.sessions.SessionStoreException;
import dev.chirp.sessions.testkit.Await;
import dev.chirp.sessions.testkit.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 3: a hung Redis (SIGSTOP, connections stay open) under concurrent load through a real
 * HTTP server. Once one command has timed out, session requests fail at once instead of each holding a
 * worker thread for the command timeout; requests that never touch the session stay unaffected; a probe
 * closes the breaker when Redis runs again.
 */
class RedisCircuitBreakerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final int CLIENTS = 60;
    private static final int REQUESTS_DURING_STALL = CLIENTS * 12;

    private RedisProcess redis;
    private RedisSessionStore store;
    private HttpServer server;
    private ExecutorService workers;
    private HttpClient client;
    private LogCapture captured;
    private Map<String, Object> cookie;

    @BeforeEach
    void start() throws IOException {
        captured = LogCapture.of("dev.chirp.sessions.redis");
        redis = RedisProcess.launch();
        store = RedisSessionStore.builder(redis.uri()).commandTimeout(TIMEOUT).build();
        cookie = store.save(null, Map.of("visits", 1), Duration.ofMinutes(5));
        // Fewer workers than clients, as on a real server: a worker held by a hung Redis is a worker
        // that /health cannot have.
        workers = Executors.newFixedThreadPool(16);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(workers);
        server.createContext("/session", this::session);
        server.createContext("/health", exchange -> reply(exchange, 200, "ok"));
        server.start();
        client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    }

    @AfterEach
    void stop() {
        redis.close(); // resumes a paused server first
        store.close();
        server.stop(0);
        workers.shutdownNow();
        captured.close();
    }

    /** Loads the session: 200 with its data, or 503 saying whether this request waited for Redis. */
    private void session(HttpExchange exchange) throws IOException {
        try {
            reply(exchange, 200, String.valueOf(store.load(cookie)));
        } catch (SessionStoreException e) {
            reply(exchange, 503, e.getMessage().contains("no answer within") ? "waited" : "failed fast");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpResponse<String> get(String path) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hungRedisUnderLoadFailsSessionRequestsFastKeepsHealthServedAndRecovers() throws Exception {
        assertThat(get("/session").body()).isEqualTo("{visits=1}");
        assertThat(store.isAvailable()).isTrue();

        redis.pause();
        AtomicInteger started = new AtomicInteger();
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> healthStatuses = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(load.submit(() -> {
                    while (started.incrementAndGet() <= REQUESTS_DURING_STALL) {
                        HttpResponse<String> response = get("/session");
                        outcomes.add(response.statusCode() + " " + response.body());
                    }
                }));
            }
            clients.add(load.submit(() -> {
                while (started.get() < REQUESTS_DURING_STALL) {
                    healthStatuses.add(get("/health").statusCode());
                }
            }));
            for (Future<?> each : clients) {
                each.get();
            }
            assertThat(store.isAvailable()).isFalse();
        } finally {
            load.shutdownNow();
            redis.resume();
        }

        // Every session request failed closed with a 503; only the requests already waiting when Redis
        // stopped (at most one per client, as each sends one at a time) waited for the command timeout:
        // without the breaker, all of them would have.
        assertThat(outcomes).hasSize(REQUESTS_DURING_STALL).allSatisfy(o -> assertThat(o).startsWith("503 "));
        long waited = outcomes.stream().filter(o -> o.equals("503 waited")).count();
        assertThat(waited).isBetween(1L, (long) CLIENTS);
        assertThat(outcomes.stream().filter(o -> o.equals("503 failed fast")).count())
                .isGreaterThanOrEqualTo(REQUESTS_DURING_STALL - CLIENTS);
        assertThat(healthStatuses).isNotEmpty().containsOnly(200);

        // Recovery needs no request: the probe sees Redis answer and closes the breaker.
        Await.until(Duration.ofSeconds(30), () -> "the circuit breaker closes after SIGCONT", store::isAvailable);
        assertThat(get("/session").body()).isEqualTo("{visits=1}");
        List<LogRecord> warnings = captured.records().stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertThat(warnings).hasSize(1); // one line for the whole outage, not one per request
    }

    @Test
    void redisAnsweringWithAnErrorDoesNotOpenTheBreaker() {
        try (RedisProcess limited = RedisProcess.launch("--maxmemory", "1", "--maxmemory-policy", "noeviction");
                RedisSessionStore full = RedisSessionStore.builder(limited.uri()).commandTimeout(TIMEOUT).build()) {
            for (int i = 0; i < 3; i++) {
                try {
                    full.save(null, Map.of("visits", i), Duration.ofMinutes(1));
                } catch (SessionStoreException expected) {
                    assertThat(expected).hasMessageContaining("Redis answered with an error: OOM");
                }
            }
            assertThat(full.isAvailable()).isTrue(); // Redis answers: a probe would not change anything
        }
    }

    @Test
    void closedStoreIsNotAvailable() {
        assertThat(store.isAvailable()).isTrue();
        store.close();
        assertThat(store.isAvailable()).isFalse();
    }
}
