package dev.chirp.sessions.spring.benchmarks;

/**
 * What one load run measured. Latencies are in microseconds, as the load generator saw them (coordinated
 * omission not corrected).
 *
 * @param requests completed requests
 * @param seconds  how long the run lasted
 * @param errors   failed requests: connection errors, timeouts and non-2xx/3xx answers
 * @param p50      median latency
 * @param p90      90th percentile latency
 * @param p99      99th percentile latency
 * @param p999     99.9th percentile latency
 * @param max      the slowest request
 */
public record LoadResult(long requests, double seconds, long errors, long p50, long p90, long p99, long p999,
        long max) {

    /** Completed requests per second. */
    public double requestsPerSecond() {
        return requests / seconds;
    }
}
