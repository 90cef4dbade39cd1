package dev.chirp.sessions.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chirp.sessions.Session;
import dev.chirp.sessions.SessionConfig;
import dev.chirp.sessions.SessionMiddleware;
import dev.chirp.sessions.SessionRequest;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Java and Python itsdangerous timed in one run, in alternating slices of thread CPU time, so that
 * whatever slows the machine down (other processes, frequency changes) hits both sides alike and the
 * ratios hold. Python runs as a child process ({@code scripts/bench/itsdangerous_worker.py}) driven
 * over a pipe, with glibc's heap trimming fixed by environment variables, because Python's zlib time
 * otherwise moves several-fold with the allocator's state.
 *
 * <p>For each payload (a sweep from 50 B to 3.5 KB of JSON, plus the {@code small}, {@code cart} and
 * {@code large} sessions of the JMH benchmarks) and each round, every case runs one slice: the
 * library's {@code dumps} and {@code loads}, the floor's, Python's, and the middleware cycles (a
 * read-only request on a repeated cookie, with and without the verified-cookie cache, and a request
 * that changes the session) beside the floor's and Python's equivalents. A cached case is compared with
 * the floor's own cache, never with an uncached floor. Python runs each case twice: as itsdangerous
 * behaves by default (zlib level 6 tried on every payload, its own tokens), and doing the same work as
 * the library (the same uncompressed token under 384 bytes of JSON, zlib level 1 above it). Each slice
 * gives a time per call; the report gives the median over rounds, the spread (lowest and highest), the median of the
 * per-round ratios, and bytes allocated per Java call.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.chirp.sessions.benchmarks.Interleaved PYTHON WORKER
 * OUT_DIR [--rounds N] [--slice-ms N]}; writes {@code interleaved.json} and {@code interleaved.md}.
 */
public final class Interleaved {

    /** JSON sizes of the sweep, in bytes; the 100-300 B band is where most sessions are. */
    static final int[] SWEEP = {50, 100, 150, 200, 250, 300, 400, 600, 1000, 2000, 3500};
    private static final String COOKIE_NAME = "chirp_session";
    private static final long MAX_AGE_SECONDS = 86_400;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static volatile int sink;

    private Interleaved() {
    }

    /** One timed thing: a Java call, or a request to the Python worker. */
    interface Case {
        /** Runs for {@code millis} of CPU time; returns {nanos, calls, allocatedBytes}. */
        long[] slice(int millis) throws IOException;
    }

    /** A Java case: calls {@code op} in batches until the thread has used the slice's CPU time. */
    static Case java(Supplier<Object> op) {
        return new Case() {
            int batch = 1;

            @Override
            public long[] slice(int millis) {
                long budget = millis * 1_000_000L;
                long thread = Thread.currentThread().getId();
                long alloc0 = THREADS.getThreadAllocatedBytes(thread);
                long start = THREADS.getCurrentThreadCpuTime();
                long calls = 0;
                long elapsed = 0;
                int h = 0;
                while (elapsed < budget) {
                    long batchStart = elapsed;
                    for (int i = 0; i < batch; i++) {
                        h += System.identityHashCode(op.get());
                    }
                    calls += batch;
                    elapsed = THREADS.getCurrentThreadCpuTime() - start;
                    // Batches of about 50 us keep the CPU-time reads (a system call each) under 1%.
                    if (elapsed - batchStart < 50_000 && batch < 1 << 16) {
                        batch *= 2;
                    }
                }
                long alloc = THREADS.getThreadAllocatedBytes(thread) - alloc0;
                sink += h;
                return new long[] {elapsed, calls, alloc};
            }
        };
    }

    /** The Python worker, started once; each slice is one request over its pipe. */
    static final class Python implements AutoCloseable {
        final Process process;
        final BufferedReader in;
        final Writer out;
        final String hello;

        Python(String python, String worker, Path payloads) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(python, worker, payloads.toString());
            // glibc trims and re-grows the heap around zlib's buffers unless told not to; this moved
            // Python's zlib time 10-70 us in an earlier measurement. Fixed here, stated in the report.
            builder.environment().put("MALLOC_TRIM_THRESHOLD_", "268435456");
            builder.environment().put("MALLOC_TOP_PAD_", "67108864");
            builder.environment().put("MALLOC_MMAP_THRESHOLD_", "268435456");
            builder.environment().put("PYTHONHASHSEED", "0");
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = builder.start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            out = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            hello = in.readLine();
            if (hello == null) {
                throw new IOException("the Python worker ended before it was ready (see its error output)");
            }
        }

        Case op(String op, String payload) {
            return millis -> {
                out.write(op + " " + payload + " " + millis + "\n");
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("the Python worker ended");
                }
                String[] parts = line.trim().split(" ");
                return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[0]), -1};
            };
        }

        @Override
        public void close() throws IOException {
            out.write("quit\n");
            out.flush();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The sessions measured, by name, in report order. */
    static Map<String, Map<String, Object>> payloads() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (int size : SWEEP) {
            all.put(size + "B", Payloads.sized(size));
        }
        for (String name : Payloads.NAMES) {
            all.put(name, Payloads.named(name));
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Interleaved PYTHON WORKER OUT_DIR [--rounds N] [--slice-ms N] [--only NAME,...]");
            System.exit(2);
        }
        int rounds = 7;
        int sliceMs = 100;
        List<String> only = null;
        for (int i = 3; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds":
                    rounds = Integer.parseInt(args[i + 1]);
                    break;
                case "--slice-ms":
                    sliceMs = Integer.parseInt(args[i + 1]);
                    break;
                case "--only":
                    only = List.of(args[i + 1].split(","));
                    break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        Path outDir = Path.of(args[2]);
        Files.createDirectories(outDir);
        Map<String, Map<String, Object>> payloads = payloads();
        if (only != null) {
            payloads.keySet().retainAll(only);
        }

        TimedSerializer serializer = TimedSerializer.builder(Payloads.SECRET).build();
        Floor floor = new Floor(Payloads.SECRET);
        HttpBenchmarkServer.VerifiedFloorCookies floorCache =
                new HttpBenchmarkServer.VerifiedFloorCookies(floor, MAX_AGE_SECONDS);
        SessionMiddleware cached = new SessionMiddleware(SessionConfig.builder(Payloads.SECRET).build());
        SessionMiddleware uncached = new SessionMiddleware(
                SessionConfig.builder(Payloads.SECRET).verifiedCookieCacheBytes(0).build());
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : payloads.entrySet()) {
            tokens.put(e.getKey(), serializer.dumps(e.getValue()));
        }
        Path payloadFile = outDir.resolve("interleaved-payloads.json");
        writePayloads(payloadFile, payloads, tokens);

        Results results = new Results(rounds, sliceMs);
        try (Python python = new Python(args[0], args[1], payloadFile)) {
            results.python = python.hello;
            checkPythonTokens(serializer, python.hello, payloads);
            for (Map.Entry<String, Map<String, Object>> e : payloads.entrySet()) {
                String name = e.getKey();
                Map<String, Object> value = e.getValue();
                String token = tokens.get(name);
                String header = "_ga=GA1.2.1234567890.1700000000; " + COOKIE_NAME + "=" + token + "; lang=en";
                Map<String, Case> cases = new LinkedHashMap<>();
                cases.put("dumps/chirp", java(() -> serializer.dumps(value)));
                cases.put("dumps/floor", java(() -> floor.dumps(value, System.currentTimeMillis() / 1000)));
                cases.put("dumps/python-default", python.op("dumps-default", name));
                cases.put("dumps/python-same", python.op("dumps-same", name));
                cases.put("loads/chirp", java(() -> serializer.loads(token, Duration.ofSeconds(MAX_AGE_SECONDS))));
                cases.put("loads/floor", java(() -> floor.loads(token, System.currentTimeMillis() / 1000,
                        MAX_AGE_SECONDS)));
                cases.put("loads/python-default", python.op("loads-default", name));
                cases.put("loads/python-same", python.op("loads-same", name));
                cases.put("read/chirp-cached", java(() -> readOnly(cached, header)));
                cases.put("read/chirp-uncached", java(() -> readOnly(uncached, header)));
                cases.put("read/floor", java(() -> floorRead(floor, header)));
                cases.put("read/floor-cached", java(() -> floorReadCached(floorCache, header)));
                cases.put("cycle/chirp-cached", java(() -> readWrite(cached, header)));
                cases.put("cycle/chirp-uncached", java(() -> readWrite(uncached, header)));
                cases.put("cycle/floor", java(() -> floorCycle(floor, header)));
                cases.put("cycle/floor-cached", java(() -> floorCycleCached(floor, floorCache, header)));
                cases.put("cycle/python-default", python.op("cycle-default", name));
                cases.put("cycle/python-same", python.op("cycle-same", name));
                check(serializer, cached, uncached, floor, floorCache, value, token, header);
                // Warm-up: the JIT compiles the Java paths, Python fills its caches; not recorded.
                for (int w = 0; w < 3; w++) {
                    for (Case c : cases.values()) {
                        c.slice(Math.max(2, sliceMs / 2));
                    }
                }
                for (int round = 0; round < rounds; round++) {
                    for (Map.Entry<String, Case> c : cases.entrySet()) {
                        results.add(name, c.getKey(), c.getValue().slice(sliceMs));
                    }
                }
                results.sizes.put(name, new int[] {Payloads.jsonBytes(value), token.length(),
                        token.startsWith(".") ? 1 : 0});
                System.err.printf(Locale.ROOT, "interleaved %s: chirp loads %.0f ns, python loads %.0f ns%n",
                        name, results.median(name, "loads/chirp"), results.median(name, "loads/python-same"));
            }
        }
        Files.writeString(outDir.resolve("interleaved.json"), results.toJson(), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("interleaved.md"), results.toMarkdown(), StandardCharsets.UTF_8);
    }

    private static final BiConsumer<String, String> SINK = (name, value) -> sink += value.length();

    static Object readOnly(SessionMiddleware middleware, String header) {
        SessionRequest request = middleware.begin(header);
        Object counter = request.session().get("counter");
        request.commit(SINK);
        request.finish();
        return counter;
    }

    static Object readWrite(SessionMiddleware middleware, String header) {
        SessionRequest request = middleware.begin(header);
        Session session = request.session();
        session.put("counter", ((Number) session.get("counter")).intValue() + 1);
        String[] cookie = new String[1];
        request.commit((name, value) -> {
            if (name.equals("Set-Cookie")) {
                cookie[0] = value;
            }
        });
        request.finish();
        return cookie[0];
    }

    static Object floorRead(Floor floor, String header) {
        String value = Floor.cookieValue(header, COOKIE_NAME);
        Map<String, Object> data = value == null ? null
                : floor.loads(value, System.currentTimeMillis() / 1000, MAX_AGE_SECONDS);
        SINK.accept("Vary", "Cookie");
        return data == null ? null : data.get("counter");
    }

    /** As {@link #floorRead}, from the floor's verified-cookie cache, as the middleware's cache answers. */
    static Object floorReadCached(HttpBenchmarkServer.VerifiedFloorCookies cache, String header) {
        String value = Floor.cookieValue(header, COOKIE_NAME);
        Map<String, Object> data = value == null ? null : cache.loads(value, System.currentTimeMillis() / 1000);
        SINK.accept("Vary", "Cookie");
        return data == null ? null : data.get("counter");
    }

    /** As {@link #floorCycle}, reading through the floor's cache and copying the shared map before the change. */
    static Object floorCycleCached(Floor floor, HttpBenchmarkServer.VerifiedFloorCookies cache, String header) {
        long now = System.currentTimeMillis() / 1000;
        String value = Floor.cookieValue(header, COOKIE_NAME);
        Map<String, Object> shared = value == null ? null : cache.loads(value, now);
        Map<String, Object> data = shared == null ? new LinkedHashMap<>() : new LinkedHashMap<>(shared);
        data.put("counter", ((Number) data.get("counter")).intValue() + 1);
        String cookie = floor.setCookie(COOKIE_NAME, floor.dumps(data, now), now, MAX_AGE_SECONDS);
        SINK.accept("Vary", "Cookie");
        return cookie;
    }

    static Object floorCycle(Floor floor, String header) {
        long now = System.currentTimeMillis() / 1000;
        String value = Floor.cookieValue(header, COOKIE_NAME);
        Map<String, Object> data = value == null ? null : floor.loads(value, now, MAX_AGE_SECONDS);
        if (data == null) {
            data = new LinkedHashMap<>();
        }
        data.put("counter", ((Number) data.get("counter")).intValue() + 1);
        String cookie = floor.setCookie(COOKIE_NAME, floor.dumps(data, now), now, MAX_AGE_SECONDS);
        SINK.accept("Vary", "Cookie");
        return cookie;
    }

    /** Every Java case must do its real work: a wrong answer would time nothing. */
    private static void check(TimedSerializer serializer, SessionMiddleware cached, SessionMiddleware uncached,
            Floor floor, HttpBenchmarkServer.VerifiedFloorCookies floorCache, Map<String, Object> value, String token,
            String header) {
        LoadResult loaded = serializer.loads(token);
        Object counter = value.get("counter");
        if (!loaded.isVerified() || !loaded.value().equals(value)
                || !value.equals(floor.loads(token, System.currentTimeMillis() / 1000, MAX_AGE_SECONDS))
                || !counter.equals(readOnly(cached, header)) || !counter.equals(readOnly(uncached, header))
                || !counter.equals(floorRead(floor, header)) || !counter.equals(floorReadCached(floorCache, header))
                || !(floorCycleCached(floor, floorCache, header) instanceof String)
                || !(readWrite(cached, header) instanceof String) || !(floorCycle(floor, header) instanceof String)) {
            throw new IllegalStateException("a benchmark case does not do its work");
        }
    }

    /** Java must read what Python wrote, too: the comparison is between two sides of one format. */
    private static void checkPythonTokens(TimedSerializer serializer, String hello,
            Map<String, Map<String, Object>> payloads) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(hello)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && "tokens".equals(parser.currentName())) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        LoadResult result = serializer.loads(parser.getText());
                        if (!result.isVerified() || !result.value().equals(payloads.get(name))) {
                            throw new IllegalStateException("Java read Python's token for " + name + " as "
                                    + result);
                        }
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("the Python worker sent no tokens");
    }

    private static void writePayloads(Path file, Map<String, Map<String, Object>> payloads,
            Map<String, String> tokens) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator gen = new JsonFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("secret", Payloads.SECRET);
            gen.writeObjectFieldStart("payloads");
            for (Map.Entry<String, Map<String, Object>> e : payloads.entrySet()) {
                gen.writeFieldName(e.getKey());
                Floor.writeJson(gen, e.getValue());
            }
            gen.writeEndObject();
            gen.writeObjectFieldStart("tokens");
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
            gen.writeEndObject();
        }
    }

    /** Per payload and case, one time per call (ns) and bytes per call for each round. */
    static final class Results {
        final int rounds;
        final int sliceMs;
        final Map<String, Map<String, List<double[]>>> data = new LinkedHashMap<>();
        final Map<String, int[]> sizes = new LinkedHashMap<>();
        String python;

        Results(int rounds, int sliceMs) {
            this.rounds = rounds;
            this.sliceMs = sliceMs;
        }

        void add(String payload, String cas, long[] slice) {
            double nsPerCall = (double) slice[0] / slice[1];
            double bytesPerCall = slice[2] < 0 ? -1 : (double) slice[2] / slice[1];
            data.computeIfAbsent(payload, k -> new LinkedHashMap<>())
                    .computeIfAbsent(cas, k -> new ArrayList<>()).add(new double[] {nsPerCall, bytesPerCall});
        }

        double[] times(String payload, String cas) {
            return data.get(payload).get(cas).stream().mapToDouble(d -> d[0]).toArray();
        }

        double median(String payload, String cas) {
            return median(times(payload, cas));
        }

        double allocation(String payload, String cas) {
            return median(data.get(payload).get(cas).stream().mapToDouble(d -> d[1]).toArray());
        }

        /** The median over rounds of {@code numerator / denominator} measured in the same round. */
        double ratio(String payload, String numerator, String denominator) {
            double[] a = times(payload, numerator);
            double[] b = times(payload, denominator);
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[i] / b[i];
            }
            return median(r);
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        String spread(String payload, String cas) {
            double[] t = times(payload, cas);
            return time(Arrays.stream(t).min().orElse(0)) + "–" + time(Arrays.stream(t).max().orElse(0));
        }

        String toJson() {
            StringWriter w = new StringWriter();
            try (JsonGenerator gen = new JsonFactory().createGenerator(w)) {
                gen.writeStartObject();
                gen.writeNumberField("rounds", rounds);
                gen.writeNumberField("slice_ms", sliceMs);
                gen.writeStringField("python", python);
                gen.writeObjectFieldStart("payloads");
                for (Map.Entry<String, Map<String, List<double[]>>> p : data.entrySet()) {
                    gen.writeObjectFieldStart(p.getKey());
                    int[] size = sizes.get(p.getKey());
                    gen.writeNumberField("json_bytes", size[0]);
                    gen.writeNumberField("cookie_chars", size[1]);
                    gen.writeBooleanField("compressed", size[2] == 1);
                    for (Map.Entry<String, List<double[]>> c : p.getValue().entrySet()) {
                        gen.writeObjectFieldStart(c.getKey());
                        gen.writeArrayFieldStart("ns_per_call");
                        for (double[] d : c.getValue()) {
                            gen.writeNumber(Math.round(d[0] * 10) / 10.0);
                        }
                        gen.writeEndArray();
                        gen.writeNumberField("bytes_per_call", Math.round(allocation(p.getKey(), c.getKey())));
                        gen.writeEndObject();
                    }
                    gen.writeEndObject();
                }
                gen.writeEndObject();
                gen.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return w.toString();
        }

        String toMarkdown() {
            StringBuilder md = new StringBuilder();
            md.append("| payload | JSON | cookie | op | chirp-sessions (spread) | alloc | floor | vs floor"
                    + " | itsdangerous, default (spread) | × default | itsdangerous, same work (spread) | × same work |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (String p : data.keySet()) {
                int[] size = sizes.get(p);
                String json = size[0] + " B";
                String cookie = size[1] + (size[2] == 1 ? " (zlib)" : "");
                row(md, p, json, cookie, "`dumps`", "dumps/chirp", "dumps/floor", "dumps/python");
                row(md, p, json, cookie, "`loads`", "loads/chirp", "loads/floor", "loads/python");
                row(md, p, json, cookie, "read, repeated cookie, **cached**", "read/chirp-cached",
                        "read/floor-cached", "loads/python");
                row(md, p, json, cookie, "read, uncached", "read/chirp-uncached", "read/floor", "loads/python");
                row(md, p, json, cookie, "read + write, cached read", "cycle/chirp-cached", "cycle/floor-cached",
                        "cycle/python");
                row(md, p, json, cookie, "read + write, uncached", "cycle/chirp-uncached", "cycle/floor",
                        "cycle/python");
            }
            return md.toString();
        }

        private void row(StringBuilder md, String p, String json, String cookie, String op, String chirp,
                String floor, String python) {
            md.append("| ").append(p).append(" | ").append(json).append(" | ").append(cookie).append(" | ")
                    .append(op).append(" | ")
                    .append(time(median(p, chirp))).append(" (").append(spread(p, chirp)).append(") | ")
                    .append(bytes(allocation(p, chirp))).append(" | ")
                    .append(time(median(p, floor))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f×", ratio(p, chirp, floor))).append(" | ")
                    .append(time(median(p, python + "-default"))).append(" (").append(spread(p, python + "-default"))
                    .append(") | ").append(String.format(Locale.ROOT, "%.1f×", ratio(p, python + "-default", chirp)))
                    .append(" | ").append(time(median(p, python + "-same"))).append(" (")
                    .append(spread(p, python + "-same")).append(") | ")
                    .append(String.format(Locale.ROOT, "%.1f×", ratio(p, python + "-same", chirp))).append(" |\n");
        }

        static String time(double ns) {
            return ns >= 10_000 ? String.format(Locale.ROOT, "%.1f µs", ns / 1000)
                    : ns >= 1000 ? String.format(Locale.ROOT, "%.2f µs", ns / 1000)
                    : String.format(Locale.ROOT, "%.0f ns", ns);
        }

        static String bytes(double b) {
            return b < 0 ? "–" : b >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024)
                    : String.format(Locale.ROOT, "%.0f B", b);
        }
    }
}
