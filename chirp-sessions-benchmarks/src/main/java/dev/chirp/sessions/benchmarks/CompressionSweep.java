package dev.chirp.sessions.benchmarks;

import dev.chirp.sessions.signing.TimedSerializer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * The size sweep behind {@link TimedSerializer#COMPRESSION_THRESHOLD_BYTES}, in thread CPU time, so
 * that a busy machine slows it down without skewing it (JMH's wall-clock figures in
 * {@link CompressionSweepBenchmark} need an idle machine). For sessions like the common ones (see
 * {@link CompressionSweepBenchmark#session}) of 100 B to 2 KiB of JSON it prints the median CPU time
 * of {@code dumps} without compression, the extra CPU time of a zlib attempt at level 1 with a reused
 * {@link Deflater} (the library's policy now) and at the default level with a new one per call (the
 * old policy), and the cookie characters compression saves. Run:
 * {@code java -cp chirp-sessions-benchmarks/target/benchmarks.jar dev.chirp.sessions.benchmarks.CompressionSweep}.
 */
public final class CompressionSweep {

    private static final int[] SIZES = {100, 150, 200, 256, 300, 400, 512, 1024, 2048};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CompressionSweep() {
    }

    /** Runs the sweep and prints a Markdown table. */
    public static void main(String[] args) {
        TimedSerializer plain = TimedSerializer.builder(Payloads.SECRET).compress(false).build();
        System.out.println("| JSON | cookie chars | saved by level 1 | `dumps` without zlib | + level 1, reused | "
                + "+ default level, new Deflater |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int size : SIZES) {
            Map<String, Object> value = CompressionSweepBenchmark.session(size, new SplittableRandom(size));
            String token = plain.dumps(value);
            byte[] json = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
            byte[] out = new byte[json.length + 64];
            Deflater reused = new Deflater(Deflater.BEST_SPEED);
            int level1 = deflate(reused, json, out);
            reused.reset();
            int plainChars = (json.length * 4 + 2) / 3;
            int savedChars = plainChars - 1 - (level1 * 4 + 2) / 3;
            double dumps = median(() -> plain.dumps(value));
            double attempt = median(() -> {
                deflate(reused, json, out);
                reused.reset();
            });
            double old = median(() -> {
                Deflater fresh = new Deflater();
                deflate(fresh, json, out);
                fresh.end();
            });
            reused.end();
            System.out.printf("| %d B | %d | %d | %.1f µs | %.1f µs | %.1f µs |%n", json.length, plainChars, savedChars,
                    dumps / 1000, attempt / 1000, old / 1000);
        }
    }

    private static int deflate(Deflater deflater, byte[] json, byte[] out) {
        deflater.setInput(json);
        deflater.finish();
        return deflater.deflate(out);
    }

    /** Median over 7 rounds of the thread CPU nanoseconds per call, after a warm-up. */
    private static double median(Runnable call) {
        for (int i = 0; i < 20_000; i++) {
            call.run();
        }
        double[] rounds = new double[7];
        int calls = 5_000;
        for (int r = 0; r < rounds.length; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            rounds[r] = (THREADS.getCurrentThreadCpuTime() - start) / (double) calls;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
