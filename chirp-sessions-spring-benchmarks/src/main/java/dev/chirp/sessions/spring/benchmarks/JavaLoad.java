package dev.chirp.sessions.spring.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * The load generator when wrk is missing: one thread per connection, each sending requests one after the
 * other with the JDK's {@code HttpClient} and recording every latency. It costs more CPU per request than wrk,
 * which on a small machine takes CPU from the server, so its requests per second are lower than wrk's;
 * ratios between forms measured with it remain comparable.
 */
final class JavaLoad implements LoadGenerator {

    private final int connections;

    JavaLoad(int connections) {
        this.connections = connections;
    }

    @Override
    public LoadResult run(URI url, String cookie, Duration duration) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).header("Cookie", cookie).timeout(Duration.ofSeconds(10))
                .GET().build();
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<Worker>> running = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                running.add(threads.submit(() -> new Worker().drive(client, request, end)));
            }
            long[] all = new long[0];
            long errors = 0;
            for (Future<Worker> future : running) {
                Worker worker = future.get();
                errors += worker.errors;
                long[] merged = Arrays.copyOf(all, all.length + worker.count);
                System.arraycopy(worker.latencies, 0, merged, all.length, worker.count);
                all = merged;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(all);
            return new LoadResult(all.length, seconds, errors, percentile(all, 50), percentile(all, 90),
                    percentile(all, 99), percentile(all, 99.9), all.length == 0 ? 0 : all[all.length - 1]);
        } catch (ExecutionException e) {
            throw new IOException("a load thread failed", e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    /** The latency (µs) below which {@code percent} of the sorted samples lie. */
    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return 0;
        }
        // The epsilon keeps 99.9 % of 1000 samples at 999, not at 1000 through rounding of 99.9 / 100.
        int index = (int) Math.ceil(percent * sorted.length / 100.0 - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static final class Worker {
        long[] latencies = new long[1 << 14];
        int count;
        long errors;

        Worker drive(HttpClient client, HttpRequest request, long end) throws InterruptedException {
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() >= 400) {
                        errors++;
                        continue;
                    }
                } catch (IOException e) {
                    errors++;
                    continue;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = (System.nanoTime() - sent) / 1000;
            }
            return this;
        }
    }

    @Override
    public String command(int seconds) {
        return "(wrk missing) the runner's JavaLoad: " + connections + " threads, one connection each, "
                + seconds + " s, java.net.http.HttpClient";
    }

    @Override
    public String version() {
        return "JavaLoad (java.net.http.HttpClient on " + System.getProperty("java.version") + ")";
    }
}
