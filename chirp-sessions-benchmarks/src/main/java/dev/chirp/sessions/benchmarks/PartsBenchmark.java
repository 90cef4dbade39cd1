package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.internal.Json;
import dev.chirp.sessions.internal.JsonValues;
import dev.chirp.sessions.internal.SetCookie;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pieces of the hot path one at a time, to size each finding in the profiling notes: the JSON
 * validation pass, a JSON write, read and comparison (each with its Jackson-only reference), zlib with a new versus a reused (de)compressor, and the
 * {@code Set-Cookie} formatting. run-all.sh runs the zlib and JSON parts on the cart, to say how much
 * of a compressed session's time zlib alone takes; scripts/bench/profile.sh runs them all.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PartsBenchmark {

    /** A {@link Payloads} name, or a size such as {@code 250B} for {@link Payloads#sized}: the common 100-300 B band. */
    @Param({"small", "cart", "large", "100B", "250B"})
    public String payload;

    private Map<String, Object> value;
    private byte[] json;
    private byte[] deflated;
    private String header;
    private final SetCookie setCookie = new SetCookie("chirp_session", "/", null, false, true, "Lax", false);
    private final Deflater reusedDeflater = new Deflater();
    private final Deflater level1Deflater = new Deflater(Deflater.BEST_SPEED);
    private final Inflater reusedInflater = new Inflater();
    private final byte[] scratch = new byte[16 * 1024];

    @Setup
    public void setUp() {
        value = payload.endsWith("B")
                ? Payloads.sized(Integer.parseInt(payload.substring(0, payload.length() - 1)))
                : Payloads.named(payload);
        json = Json.write(value);
        Deflater d = new Deflater();
        d.setInput(json);
        d.finish();
        int n = d.deflate(scratch);
        d.end();
        deflated = Arrays.copyOf(scratch, n);
        header = setCookie.session(new Floor(Payloads.SECRET).dumps(value, 1_732_700_000L), 86_400, Instant.now());
    }

    @TearDown
    public void tearDown() {
        reusedDeflater.end();
        level1Deflater.end();
        reusedInflater.end();
    }

    /** The JSON check {@code dumps}, {@code put} and {@code commit} each run over the value. */
    @Benchmark
    public JsonValues.Invalid validatePaths() {
        return JsonValues.firstInvalid(value, 0, false);
    }

    /** What {@code dumps} writes: the plain fast path when the session is plain ASCII, else Jackson. */
    @Benchmark
    public byte[] jsonWrite() {
        return Json.write(value);
    }

    /** The same write on Jackson alone, as before the fast path: the difference is the generator setup. */
    @Benchmark
    public byte[] jsonWriteJackson() {
        return Json.writeWithJackson(value);
    }

    /** What {@code loads} reads: the plain fast path when the JSON is plain ASCII, else Jackson. */
    @Benchmark
    public Object jsonRead() throws IOException {
        return Json.read(json);
    }

    /** The same read on Jackson alone, as before the fast path: the difference is the parser setup. */
    @Benchmark
    public Object jsonReadJackson() throws IOException {
        return Json.readWithJackson(json, 0, json.length);
    }

    /** The in-place change check the middleware runs on every request whose session holds a list or map. */
    @Benchmark
    public boolean jsonSameAs() {
        return Json.sameAs(value, json);
    }

    @Benchmark
    public boolean jsonSameAsJackson() {
        return Json.sameAsWithJackson(value, json);
    }

    @Benchmark
    public int deflateNew() {
        Deflater d = new Deflater();
        try {
            d.setInput(json);
            d.finish();
            return d.deflate(scratch);
        } finally {
            d.end();
        }
    }

    @Benchmark
    public int deflateReused() {
        reusedDeflater.reset();
        reusedDeflater.setInput(json);
        reusedDeflater.finish();
        return reusedDeflater.deflate(scratch);
    }

    /** What {@code TimedSerializer} does: zlib level 1, with a Deflater reused (reset between calls). */
    @Benchmark
    public int deflateLevel1Reused() {
        level1Deflater.reset();
        level1Deflater.setInput(json);
        level1Deflater.finish();
        return level1Deflater.deflate(scratch);
    }

    /** zlib level 1 instead of the default 6: any level is valid on the wire. */
    @Benchmark
    public int deflateFastest() {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(json);
            d.finish();
            return d.deflate(scratch);
        } finally {
            d.end();
        }
    }

    @Benchmark
    public int inflateNew() throws DataFormatException {
        Inflater i = new Inflater();
        try {
            i.setInput(deflated);
            return i.inflate(scratch);
        } finally {
            i.end();
        }
    }

    @Benchmark
    public int inflateReused() throws DataFormatException {
        reusedInflater.reset();
        reusedInflater.setInput(deflated);
        return reusedInflater.inflate(scratch);
    }

    /** {@code SetCookie.session}: dominated by formatting {@code Expires} with a DateTimeFormatter. */
    @Benchmark
    public String setCookieHeader() {
        return setCookie.session("v", 86_400, Instant.now());
    }

    /** What {@code decideCookie} does to measure the header: a UTF-8 copy of it. */
    @Benchmark
    public int headerUtf8Length() {
        return header.getBytes(StandardCharsets.UTF_8).length;
    }
}
