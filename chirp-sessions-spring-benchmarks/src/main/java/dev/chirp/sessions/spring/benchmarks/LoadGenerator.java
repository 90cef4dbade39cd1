package dev.chirp.sessions.spring.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Drives one URL with a fixed number of keep-alive connections, all sending the same cookie. */
public interface LoadGenerator {

    /**
     * Sends GET requests to {@code url} for {@code duration} and reports what it measured.
     *
     * @param cookie the whole {@code Cookie} header value, {@code name=value}
     */
    LoadResult run(URI url, String cookie, Duration duration) throws IOException, InterruptedException;

    /** The command line (or its equivalent) of one measured run, for the report. */
    String command(int seconds);

    /** The generator's name and version, for the report. */
    String version();
}
