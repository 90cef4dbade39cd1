package dev.chirp.sessions.spring.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk with one thread and a fixed number of connections, reporting through {@code scripts/bench/wrk-report.lua}
 * (one {@code WRK_JSON} line), the same way as the Jetty HTTP benchmark.
 */
final class WrkLoad implements LoadGenerator {

    private final String wrk;
    private final String reportScript;
    private final int connections;

    WrkLoad(String wrk, String reportScript, int connections) {
        this.wrk = wrk;
        this.reportScript = reportScript;
        this.connections = connections;
    }

    @Override
    public LoadResult run(URI url, String cookie, Duration duration) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(wrk, "-t1", "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", "-s", reportScript, "-H", "Cookie: " + cookie,
                url.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException("wrk exited with " + exit + ": " + output);
        }
        return parse(output);
    }

    /** Reads the {@code WRK_JSON} line that wrk-report.lua prints. */
    static LoadResult parse(String output) throws IOException {
        int start = output.indexOf("WRK_JSON ");
        if (start < 0) {
            throw new IOException("wrk printed no WRK_JSON line: " + output);
        }
        String json = output.substring(start, output.indexOf('\n', start) < 0 ? output.length()
                : output.indexOf('\n', start));
        long errors = number(json, "non_2xx_or_3xx") + number(json, "connect") + number(json, "read")
                + number(json, "write") + number(json, "timeout");
        return new LoadResult(number(json, "requests"), Double.parseDouble(field(json, "duration_s")), errors,
                number(json, "p50"), number(json, "p90"), number(json, "p99"), number(json, "p99_9"),
                number(json, "max"));
    }

    private static long number(String json, String name) throws IOException {
        return (long) Double.parseDouble(field(json, name));
    }

    private static String field(String json, String name) throws IOException {
        Matcher matcher = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        if (!matcher.find()) {
            throw new IOException("wrk's summary has no " + name + ": " + json);
        }
        return matcher.group(1);
    }

    @Override
    public String command(int seconds) {
        return "wrk -t1 -c" + connections + " -d" + seconds + "s --latency -s scripts/bench/wrk-report.lua "
                + "-H 'Cookie: NAME=VALUE' URL";
    }

    @Override
    public String version() {
        try {
            Process process = new ProcessBuilder(wrk, "-v").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            String first = output.lines().findFirst().orElse("wrk");
            int copyright = first.indexOf(" Copyright");
            return copyright > 0 ? first.substring(0, copyright) : first;
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk (version unknown)";
        }
    }
}
