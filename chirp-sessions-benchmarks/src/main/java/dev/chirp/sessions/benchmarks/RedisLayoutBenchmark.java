package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.SessionChanges;
import dev.chirp.sessions.json.SessionJson;
import dev.chirp.sessions.redis.RedisSessionStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis store's layout against 0.1's, one request's Redis work at a time on a real redis-server
 * (the embedded-redis binary on a free port, or {@code -Dredis.uri=redis://host:port}): loading a session
 * of ten keys (about 1 KB of JSON) as a hash ({@code HGETALL}, a parse per field) or as one JSON string
 * ({@code GET}, one parse), and saving a change of one key as the store does (one script) or as 0.1 did
 * (the whole JSON, {@code SET ... XX}). Round trips dominate both; the figures say what the layout costs.
 *
 * <pre>
 * java -jar chirp-sessions-benchmarks/target/benchmarks.jar RedisLayoutBenchmark -f 1 -wi 3 -i 5
 * java -cp chirp-sessions-benchmarks/target/benchmarks.jar dev.chirp.sessions.benchmarks.RedisLayoutBenchmark
 * </pre>
 *
 * <p>The second form ({@link #main}) measures <em>CPU time</em> per operation instead of wall time, on
 * both sides: redis-server's ({@code INFO cpu}, user + system) and the calling thread's (the JSON work
 * and Lettuce's encoding), in interleaved rounds with the median taken. Wall time on a loaded shared
 * machine mostly measures the scheduler; CPU time says what each layout costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLayoutBenchmark {

    private static final Duration TTL = Duration.ofHours(1);

    private Process server;
    private RedisClient client;
    private RedisCommands<String, String> redis;
    private RedisAsyncCommands<String, String> async;
    private RedisSessionStore store;
    private Map<String, Object> payload;
    private Map<String, Object> session;
    private long counter;

    @Setup
    public void start() throws Exception {
        String uri = System.getProperty("redis.uri");
        if (uri == null) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            File binary = ExecutableProvider.newJarResourceProvider().get();
            server = new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            uri = "redis://127.0.0.1:" + port;
            awaitPing(uri);
        }
        client = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = client.connect();
        redis = connection.sync();
        async = connection.async(); // the string cases wait on a future, as the store does
        store = RedisSessionStore.builder(uri).keyPrefix("bench:layout:").build();
        session = new LinkedHashMap<>();
        session.put("user_id", "bench-user-0001");
        session.put("csrf", "f".repeat(64));
        session.put("counter", 0L);
        session.put("cart", List.of(Map.of("sku", "A-100", "qty", 2, "price", 19.99),
                Map.of("sku", "B-220", "qty", 1, "price", 5.5)));
        session.put("theme", "dark");
        session.put("locale", "de-DE");
        session.put("last_page", "/catalog/garden/tools?page=3&sort=price");
        session.put("flags", Map.of("beta", true, "tour_done", false));
        session.put("recent", List.of("p-1001", "p-1002", "p-1003", "p-1004", "p-1005", "p-1006"));
        session.put("note", "x".repeat(400));
        payload = store.save(null, session, SessionChanges.whole(), TTL);
        redis.set("bench:layout:string", SessionJson.write(session), SetArgs.Builder.px(TTL.toMillis()));
    }

    private static void awaitPing(String uri) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                RedisClient probe = RedisClient.create(uri);
                try (StatefulRedisConnection<String, String> c = probe.connect()) {
                    c.sync().ping();
                    return;
                } finally {
                    probe.shutdown();
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start at " + uri);
    }

    /** CPU microseconds per operation, Redis's and the caller's, medians of interleaved rounds. */
    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        RedisLayoutBenchmark b = new RedisLayoutBenchmark();
        b.start();
        try {
            Map<String, Runnable> cases = new LinkedHashMap<>();
            cases.put("load: hash (HGETALL, a parse per field)", b::loadHash);
            cases.put("load: 0.1's string (GET, one parse)", () -> unchecked(b::loadString));
            cases.put("save one key: hash (EVALSHA: PTTL, HSET)", b::saveOneKeyHash);
            cases.put("save one key: 0.1's string (whole JSON, SET XX)", () -> unchecked(b::saveWholeString));
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                for (Map.Entry<String, Runnable> c : cases.entrySet()) {
                    double redisBefore = b.redisCpuMicros();
                    long callerBefore = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < ops; i++) {
                        c.getValue().run();
                    }
                    double caller = (threads.getCurrentThreadCpuTime() - callerBefore) / 1000.0 / ops;
                    double redisCpu = (b.redisCpuMicros() - redisBefore) / ops;
                    if (round >= 0) {
                        results.computeIfAbsent(c.getKey(), k -> new java.util.ArrayList<>())
                                .add(new double[] {redisCpu, caller});
                    }
                }
            }
            System.out.println("| operation | redis-server CPU µs/op | caller thread CPU µs/op |");
            System.out.println("| --- | --- | --- |");
            for (Map.Entry<String, List<double[]>> r : results.entrySet()) {
                System.out.printf("| %s | %.1f | %.1f |%n", r.getKey(), median(r.getValue(), 0), median(r.getValue(), 1));
            }
        } finally {
            b.stop();
        }
    }

    private static void unchecked(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(List<double[]> values, int column) {
        double[] sorted = values.stream().mapToDouble(v -> v[column]).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** redis-server's CPU time so far (user + system), in microseconds, from {@code INFO cpu}. */
    private double redisCpuMicros() {
        double seconds = 0;
        for (String line : redis.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return seconds * 1_000_000;
    }

    @TearDown
    public void stop() {
        store.close();
        client.shutdown();
        if (server != null) {
            server.destroy();
        }
    }

    /** The store's read: one {@code HGETALL}, a JSON parse per field. */
    @Benchmark
    public Map<String, Object> loadHash() {
        return store.load(payload);
    }

    /** 0.1's read: one {@code GET}, one JSON parse. */
    @Benchmark
    public Object loadString() throws Exception {
        return SessionJson.read(async.get("bench:layout:string").get());
    }

    /** The store's write of one changed key: one script (PTTL, HSET). */
    @Benchmark
    public Map<String, Object> saveOneKeyHash() {
        session.put("counter", ++counter);
        return store.save(payload, session, SessionChanges.of(Set.of("counter"), Set.of()), TTL);
    }

    /** 0.1's write of the same change: the whole session as JSON, {@code SET ... PX ... XX}. */
    @Benchmark
    public String saveWholeString() throws Exception {
        session.put("counter", ++counter);
        return async.set("bench:layout:string", SessionJson.write(session), SetArgs.Builder.px(TTL.toMillis()).xx())
                .get();
    }
}
