package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.signing.TimedSerializer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The size sweep behind {@link TimedSerializer#COMPRESSION_THRESHOLD_BYTES}: for a typical session of
 * {@code jsonBytes} bytes of JSON (a user id, a CSRF token, flags, short random ids), the time of
 * {@code dumps} without compression beside the extra time a zlib attempt costs at level 1 with a reused
 * {@link Deflater} and at the default level with a new one per call (the old policy). The setup prints
 * how many cookie characters compression saves at each size. Run:
 * {@code java -jar chirp-sessions-benchmarks/target/benchmarks.jar CompressionSweep -f 1 -wi 3 -w 1s -i 5 -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CompressionSweepBenchmark {

    @Param({"100", "150", "200", "256", "300", "400", "512", "1024", "2048"})
    public int jsonBytes;

    private TimedSerializer plain;
    private Map<String, Object> value;
    private byte[] json;
    private byte[] out;
    private Deflater reused;

    @Setup
    public void setUp() {
        plain = TimedSerializer.builder(Payloads.SECRET).compress(false).build();
        value = session(jsonBytes, new SplittableRandom(jsonBytes));
        String compact = plain.dumps(value);
        json = java.util.Base64.getUrlDecoder().decode(compact.substring(0, compact.indexOf('.')));
        out = new byte[json.length + 64];
        reused = new Deflater(Deflater.BEST_SPEED);
        int level1 = deflate(reused);
        reused.reset();
        Deflater fresh = new Deflater();
        int level6 = deflate(fresh);
        fresh.end();
        System.out.printf("%n# sweep: %d B of JSON -> %d chars uncompressed; level 1: %d chars (saves %d); "
                + "level 6: %d chars (saves %d)%n", json.length, chars(json.length), 1 + chars(level1),
                chars(json.length) - 1 - chars(level1), 1 + chars(level6), chars(json.length) - 1 - chars(level6));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.end();
    }

    /** {@code dumps} with no compression attempt: the baseline the attempt adds to. */
    @Benchmark
    public String dumpsUncompressed() {
        return plain.dumps(value);
    }

    /** The attempt as the library now makes it: level 1, a reused Deflater. */
    @Benchmark
    public int deflateLevel1Reused() {
        int n = deflate(reused);
        reused.reset();
        return n;
    }

    /** The attempt as it was: the default level, a new Deflater per call. */
    @Benchmark
    public int deflateDefaultNew() {
        Deflater deflater = new Deflater();
        try {
            return deflate(deflater);
        } finally {
            deflater.end();
        }
    }

    private int deflate(Deflater deflater) {
        deflater.setInput(json);
        deflater.finish();
        return deflater.deflate(out);
    }

    private static int chars(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    /** A session like the common ones: an id, a CSRF token, flags, then short random ids to the size. */
    static Map<String, Object> session(int jsonBytes, SplittableRandom random) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user_id", 4711);
        session.put("_csrf_token", hex(random, 64));
        session.put("theme", "dark");
        session.put("beta", true);
        int i = 0;
        while (size(session) < jsonBytes) {
            session.put("k" + i++, hex(random, 12));
        }
        while (size(session) > jsonBytes && session.size() > 4) {
            String last = "k" + --i;
            String id = (String) session.remove(last);
            int over = size(session) + last.length() + id.length() + 6 - jsonBytes;
            if (over < id.length()) {
                session.put(last, id.substring(0, id.length() - over));
            }
        }
        return session;
    }

    private static int size(Map<String, Object> session) {
        return dev.chirp.sessions.json.SessionJson.write(session).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hex(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }
}
