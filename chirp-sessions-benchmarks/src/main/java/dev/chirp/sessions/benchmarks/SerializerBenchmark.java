package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.signing.LoadResult;
import dev.chirp.sessions.signing.TimedSerializer;
import java.time.Duration;
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
 * {@link TimedSerializer#dumps} and {@link TimedSerializer#loads} on the three {@link Payloads}, beside
 * the same work done by {@link Floor}; the ratio library/floor is the library's own overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializerBenchmark {

    private static final Duration MAX_AGE = Duration.ofDays(1);

    @Param({"small", "cart", "large"})
    public String payload;

    private TimedSerializer serializer;
    private Floor floor;
    private Map<String, Object> value;
    private String token;

    @Setup
    public void setUp() {
        serializer = TimedSerializer.builder(Payloads.SECRET).build();
        floor = new Floor(Payloads.SECRET);
        value = Payloads.named(payload);
        token = serializer.dumps(value);
        LoadResult check = serializer.loads(token, MAX_AGE);
        if (!check.isVerified() || !check.value().equals(value)
                || !value.equals(floor.loads(token, System.currentTimeMillis() / 1000, MAX_AGE.getSeconds()))) {
            throw new IllegalStateException("benchmark fixture does not round-trip: " + payload);
        }
    }

    @Benchmark
    public String dumps() {
        return serializer.dumps(value);
    }

    @Benchmark
    public Object loads() {
        return serializer.loads(token, MAX_AGE).value();
    }

    @Benchmark
    public String floorDumps() {
        return floor.dumps(value, System.currentTimeMillis() / 1000);
    }

    @Benchmark
    public Object floorLoads() {
        return floor.loads(token, System.currentTimeMillis() / 1000, MAX_AGE.getSeconds());
    }
}
