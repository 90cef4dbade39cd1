package dev.chirp.sessions.webflux.benchmarks;

import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.webflux.WebFluxSessions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * HTTP load on one WebFlux endpoint on Reactor Netty in three forms: no sessions, chirp cookie sessions
 * ({@link WebFluxSessions}) and Spring's default in-memory {@code WebSession}; a read (one attribute) and a
 * write (a counter), in interleaved rounds so that a machine's changing load hits every form alike.
 * Reports requests per second and bytes the server's threads allocate per request (medians over rounds).
 *
 * <pre>java -cp ... WebFluxBenchmark [--rounds 3] [--seconds 10] [--connections 16] [--warmup 3]</pre>
 */
public final class WebFluxBenchmark {

    enum Form { NONE, CHIRP_COOKIE, SPRING_IN_MEMORY }

    enum Op { READ, WRITE }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private WebFluxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = option(args, "--rounds", 3);
        int seconds = option(args, "--seconds", 10);
        int connections = option(args, "--connections", 16);
        int warmup = option(args, "--warmup", 3);
        Map<Form, DisposableServer> servers = new EnumMap<>(Form.class);
        for (Form form : Form.values()) {
            servers.put(form, HttpServer.create().host("127.0.0.1").port(0)
                    .handle(new ReactorHttpHandlerAdapter(handler(form))).bindNow());
        }
        Map<String, List<double[]>> results = new java.util.LinkedHashMap<>();
        for (Op op : Op.values()) {
            for (Form form : Form.values()) {
                run(servers.get(form).port(), op, warmup, connections); // JIT and pools warm for every form
            }
        }
        for (int round = 1; round <= rounds; round++) {
            for (Op op : Op.values()) {
                for (Form form : Form.values()) {
                    double[] measured = run(servers.get(form).port(), op, seconds, connections);
                    results.computeIfAbsent(form + " " + op, k -> new ArrayList<>()).add(measured);
                    System.out.printf("round %d  %-16s %-5s %,10.0f req/s %,8.0f B/req%n", round, form, op,
                            measured[0], measured[1]);
                }
            }
        }
        servers.values().forEach(DisposableServer::disposeNow);
        System.out.printf("%nmedians over %d rounds of %d s, %d connections, %d cores%n", rounds, seconds, connections,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| form | op | req/s | bytes allocated / request |");
        System.out.println("| --- | --- | ---: | ---: |");
        results.forEach((key, list) -> System.out.printf("| %s | %s | %,.0f | %,.0f |%n", key.split(" ")[0],
                key.split(" ")[1], median(list, 0), median(list, 1)));
    }

    /** The same endpoint in each form; NONE never asks for the session. */
    private static HttpHandler handler(Form form) {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/login", request -> request.session().flatMap(session -> {
                    session.getAttributes().put("user", "ada");
                    session.getAttributes().put("n", 0);
                    return ServerResponse.ok().bodyValue("ok");
                }))
                .GET("/read", request -> form == Form.NONE ? ServerResponse.ok().bodyValue("user=ada")
                        : request.session().flatMap(session ->
                                ServerResponse.ok().bodyValue("user=" + session.getAttributes().get("user"))))
                .GET("/write", request -> form == Form.NONE ? ServerResponse.ok().bodyValue("n=1")
                        : request.session().flatMap(session -> ServerResponse.ok().bodyValue("n=" + increment(session))))
                .build();
        WebSessionManager sessions = form == Form.CHIRP_COOKIE
                ? new WebFluxSessions(new SessionMiddleware(SessionConfig.builder(
                        "webflux-benchmark-secret-0123456789abcdef").build()))
                : new DefaultWebSessionManager();
        return WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes)).sessionManager(sessions).build();
    }

    private static int increment(WebSession session) {
        Object before = session.getAttributes().get("n");
        int n = before instanceof Number number ? number.intValue() + 1 : 1;
        session.getAttributes().put("n", n);
        return n;
    }

    /** One measurement: {requests per second, server bytes allocated per request}. */
    private static double[] run(int port, Op op, int seconds, int connections) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port);
        AtomicLong requests = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch ready = new CountDownLatch(connections);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread worker = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String[] cookie = {null};
                try {
                    send(http, base.resolve("/login"), cookie);
                    ready.countDown();
                    start.await();
                    URI target = base.resolve(op == Op.READ ? "/read" : "/write");
                    while (System.nanoTime() < deadline) {
                        send(http, target, cookie);
                        requests.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "load-" + i);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long allocatedBefore = serverAllocatedBytes();
        long began = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        long allocated = serverAllocatedBytes() - allocatedBefore;
        return new double[] {requests.get() / elapsed, (double) allocated / Math.max(1, requests.get())};
    }

    private static void send(HttpClient http, URI uri, String[] cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (cookie[0] != null) {
            request.header("Cookie", cookie[0]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode());
        }
        for (String set : response.headers().allValues("Set-Cookie")) {
            cookie[0] = set.substring(0, set.indexOf(';'));
        }
    }

    /** Bytes allocated so far by the server's threads: Reactor Netty's event loops and Reactor's schedulers. */
    private static long serverAllocatedBytes() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("reactor-http") || name.startsWith("boundedElastic") || name.startsWith("parallel")) {
                long bytes = THREADS.getThreadAllocatedBytes(thread.getId());
                total += Math.max(0, bytes);
            }
        }
        return total;
    }

    private static double median(List<double[]> values, int index) {
        double[] sorted = values.stream().mapToDouble(v -> v[index]).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static int option(String[] args, String name, int fallback) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? Integer.parseInt(args[at + 1]) : fallback;
    }
}
