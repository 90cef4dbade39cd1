package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One request through {@link SessionMiddleware} as a server adapter drives it: {@code begin} with the
 * raw {@code Cookie} header, read the counter (and write it back incremented), {@code commit} to a
 * header sink, {@code finish}. The floor variants do the same by hand with {@link Floor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MiddlewareBenchmark {

    private static final String COOKIE_NAME = "chirp_session";
    private static final long MAX_AGE_SECONDS = 86_400;

    @Param({"small", "cart", "large"})
    public String payload;

    private SessionMiddleware middleware;
    private SessionMiddleware uncached;
    private Floor floor;
    private HttpBenchmarkServer.VerifiedFloorCookies floorCache;
    private String cookieHeader;
    private final HeaderSink sink = new HeaderSink();

    @Setup
    public void setUp() {
        middleware = new SessionMiddleware(SessionConfig.builder(Payloads.SECRET).build());
        uncached = new SessionMiddleware(SessionConfig.builder(Payloads.SECRET).verifiedCookieCacheBytes(0).build());
        floor = new Floor(Payloads.SECRET);
        floorCache = new HttpBenchmarkServer.VerifiedFloorCookies(floor, MAX_AGE_SECONDS);
        String token = floor.dumps(Payloads.named(payload), System.currentTimeMillis() / 1000);
        // Real browsers send other cookies beside the session; the adapter gets the raw header.
        cookieHeader = "_ga=GA1.2.1234567890.1700000000; " + COOKIE_NAME + "=" + token + "; lang=en";
        if (!(readWrite() instanceof String) || !(floorReadWrite() instanceof String)) {
            throw new IllegalStateException("the write cycle must produce a Set-Cookie for " + payload);
        }
    }

    /** The handler reads the counter and stores it incremented: a new cookie every request. */
    @Benchmark
    public Object readWrite() {
        SessionRequest request = middleware.begin(cookieHeader);
        Session session = request.session();
        int counter = ((Number) session.get("counter")).intValue();
        session.put("counter", counter + 1);
        sink.last = null;
        request.commit(sink);
        request.finish();
        return sink.last;
    }

    /** As {@link #readOnly} with the verified-cookie cache off: every request verifies the cookie in full. */
    @Benchmark
    public Object readOnlyUncached() {
        SessionRequest request = uncached.begin(cookieHeader);
        Object counter = request.session().get("counter");
        request.commit(sink);
        request.finish();
        return counter;
    }

    /**
     * The handler only reads the counter: {@code Vary: Cookie} and no {@code Set-Cookie}. The same cookie
     * every time, as a browser sends it, so after the first call the verified-cookie cache answers.
     */
    @Benchmark
    public Object readOnly() {
        SessionRequest request = middleware.begin(cookieHeader);
        Object counter = request.session().get("counter");
        request.commit(sink);
        request.finish();
        return counter;
    }

    @Benchmark
    public Object floorReadWrite() {
        long now = System.currentTimeMillis() / 1000;
        String value = Floor.cookieValue(cookieHeader, COOKIE_NAME);
        Map<String, Object> data = value == null ? null : floor.loads(value, now, MAX_AGE_SECONDS);
        if (data == null) {
            data = new LinkedHashMap<>();
        }
        data.put("counter", ((Number) data.get("counter")).intValue() + 1);
        String header = floor.setCookie(COOKIE_NAME, floor.dumps(data, now), now, MAX_AGE_SECONDS);
        if (header.length() > 4096) {
            throw new IllegalStateException("cookie too large");
        }
        sink.last = null;
        sink.accept("Vary", "Cookie");
        sink.accept("Set-Cookie", header);
        return sink.last;
    }

    /**
     * {@link #floorReadWrite} reading through the floor's verified-cookie cache (and copying the shared map
     * before the change), as {@link #readWrite}'s middleware reads through its own.
     */
    @Benchmark
    public Object floorReadWriteCached() {
        long now = System.currentTimeMillis() / 1000;
        String value = Floor.cookieValue(cookieHeader, COOKIE_NAME);
        Map<String, Object> shared = value == null ? null : floorCache.loads(value, now);
        Map<String, Object> data = shared == null ? new LinkedHashMap<>() : new LinkedHashMap<>(shared);
        data.put("counter", ((Number) data.get("counter")).intValue() + 1);
        String header = floor.setCookie(COOKIE_NAME, floor.dumps(data, now), now, MAX_AGE_SECONDS);
        if (header.length() > 4096) {
            throw new IllegalStateException("cookie too large");
        }
        sink.last = null;
        sink.accept("Vary", "Cookie");
        sink.accept("Set-Cookie", header);
        return sink.last;
    }

    /**
     * {@link #floorReadOnly} through the floor's verified-cookie cache: what {@link #readOnly}, which the
     * middleware's cache answers, is compared with.
     */
    @Benchmark
    public Object floorReadOnlyCached() {
        String value = Floor.cookieValue(cookieHeader, COOKIE_NAME);
        Map<String, Object> data = value == null ? null : floorCache.loads(value, System.currentTimeMillis() / 1000);
        sink.accept("Vary", "Cookie");
        return data == null ? null : data.get("counter");
    }

    /** The floor for {@link #readOnlyUncached}: every request verifies the cookie in full. */
    @Benchmark
    public Object floorReadOnly() {
        String value = Floor.cookieValue(cookieHeader, COOKIE_NAME);
        Map<String, Object> data = value == null ? null
                : floor.loads(value, System.currentTimeMillis() / 1000, MAX_AGE_SECONDS);
        sink.accept("Vary", "Cookie");
        return data == null ? null : data.get("counter");
    }

    /** Keeps the last header value so that the work cannot be optimised away. */
    static final class HeaderSink implements BiConsumer<String, String> {
        String last;

        @Override
        public void accept(String name, String value) {
            last = value;
        }
    }
}
