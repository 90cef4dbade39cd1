package dev.chirp.sessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chirp.sessions.signing.TimedSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interleaved harness works: right-sized sessions, Java slices that do their work, a Python round trip. */
class InterleavedTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path WORKER = Path.of("..", "scripts", "bench", "itsdangerous_worker.py");

    @Test
    void sweepSessionsHaveTheSizeTheyAreNamedFor() {
        for (int size : Interleaved.SWEEP) {
            Map<String, Object> session = Payloads.sized(size);
            assertThat(Payloads.jsonBytes(session)).as("%d B session", size).isBetween(size - 3, size);
            assertThat(session).containsKey("counter");
        }
    }

    @Test
    void sessionsFromTheCompressionThresholdUpAreSentCompressedAndSmallerOnesAreNot() {
        TimedSerializer serializer = TimedSerializer.builder(Payloads.SECRET).build();
        Instant now = Instant.ofEpochSecond(1_732_700_000L);
        assertThat(serializer.dumps(Payloads.sized(250), now)).doesNotStartWith(".");
        assertThat(serializer.dumps(Payloads.sized(400), now)).startsWith(".");
    }

    @Test
    void aJavaSliceRunsForItsCpuTimeAndCountsCallsAndBytes() throws IOException {
        long[] calls = new long[1];
        long[] slice = Interleaved.java(() -> {
            calls[0]++;
            return new byte[64];
        }).slice(20);
        assertThat(slice[0]).isGreaterThanOrEqualTo(20_000_000L);
        assertThat(slice[1]).isEqualTo(calls[0]).isPositive();
        assertThat(slice[2]).isGreaterThanOrEqualTo(64 * slice[1]);
    }

    @Test
    void aShortRunAgainstThePythonWorkerWritesBothReports(@TempDir Path out) throws Exception {
        boolean python = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import itsdangerous")
                .start().waitFor() == 0;
        assumeTrue(python, "skipped: /usr/bin/python3 with itsdangerous is not installed "
                + "(apt-get install python3-itsdangerous)");

        Interleaved.main(new String[] {PYTHON.toString(), WORKER.toString(), out.toString(),
            "--rounds", "1", "--slice-ms", "5", "--only", "50B"});

        String table = Files.readString(out.resolve("interleaved.md"), StandardCharsets.UTF_8);
        assertThat(table).contains("| 50B | 50 B |", "read, repeated cookie, **cached**", "× default", "× same work");
        assertThat(Files.readString(out.resolve("interleaved.json"), StandardCharsets.UTF_8))
                .contains("\"loads/python-default\"", "\"loads/python-same\"", "\"dumps/python-same\"",
                        "\"cycle/python-same\"", "\"cycle/chirp-cached\"", "\"cycle/floor-cached\"",
                        "\"read/floor-cached\"", "MALLOC_TRIM_THRESHOLD_");
    }
}
