package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.signing.FlaskSerializer;
import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.SealedSerializer;
import dev.chirp.sessions.signing.SessionCodec;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The three cookie formats side by side on the same {@link Payloads}: chirp's signed format
 * (HMAC-SHA1, zlib when it pays), Flask's (the same plus tagged JSON) and sealed v1 (AES-256-GCM, never
 * compressed). Run: {@code java -jar chirp-sessions-benchmarks/target/benchmarks.jar FormatBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FormatBenchmark {

    private static final Duration MAX_AGE = Duration.ofDays(1);

    @Param({"chirp", "flask", "sealed"})
    public String format;

    @Param({"small", "cart", "large"})
    public String payload;

    private SessionCodec codec;
    private Map<String, Object> value;
    private String cookie;

    @Setup
    public void setUp() {
        switch (format) {
            case "sealed":
                codec = SealedSerializer.builder(Payloads.SECRET).build();
                break;
            case "flask":
                codec = FlaskSerializer.builder(Payloads.SECRET).build();
                break;
            default:
                codec = TimedSerializer.builder(Payloads.SECRET).build();
        }
        value = Payloads.named(payload);
        cookie = codec.dumps(value, Instant.now());
        LoadResult check = codec.loads(cookie, MAX_AGE);
        if (!check.isVerified() || !check.value().equals(value)) {
            throw new IllegalStateException("benchmark fixture does not round-trip: " + format + " " + payload);
        }
    }

    @Benchmark
    public String dumps() {
        return codec.dumps(value, Instant.now());
    }

    @Benchmark
    public Object loads() {
        return codec.loads(cookie, MAX_AGE).value();
    }
}
