package dev.chirp.sessions.spring.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The machine and settings of one benchmark run, for the report: numbers mean little without them. */
final class RunConditions {

    private final String date;
    private final String commit;
    private final String loadGenerator;
    private final String loadAtStart;
    private final int rounds;
    private final int seconds;
    private final int warmup;
    private final int connections;
    private String redis = "unknown";
    private String loadAtEnd = "unknown";
    private Duration runTime = Duration.ZERO;

    private RunConditions(String commit, String loadGenerator, int rounds, int seconds, int warmup,
            int connections) {
        this.date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        this.commit = commit;
        this.loadGenerator = loadGenerator;
        this.loadAtStart = loadAverage();
        this.rounds = rounds;
        this.seconds = seconds;
        this.warmup = warmup;
        this.connections = connections;
    }

    static RunConditions atStart(String commit, LoadGenerator load, int rounds, int seconds, int warmup,
            int connections) {
        return new RunConditions(commit, load.version(), rounds, seconds, warmup, connections);
    }

    void redis(String binary, String version) {
        this.redis = version + " (" + binary + ")";
    }

    void finish(Duration runTime) {
        this.runTime = runTime;
        this.loadAtEnd = loadAverage();
    }

    int rounds() {
        return rounds;
    }

    int seconds() {
        return seconds;
    }

    int warmup() {
        return warmup;
    }

    int connections() {
        return connections;
    }

    String loadGenerator() {
        return loadGenerator;
    }

    /** Bullet lines for the report. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("date: `" + date + "`");
        lines.add("cores (nproc): `" + Runtime.getRuntime().availableProcessors() + "`");
        lines.add("CPU: `" + cpu() + "`");
        lines.add("kernel: `" + System.getProperty("os.name") + " " + System.getProperty("os.version") + "`");
        lines.add("java: `" + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "`");
        lines.add("Spring Boot 4.0.7 (Spring MVC, Tomcat 11.0.22), Spring Session 4.0.4, Lettuce 6.8.2");
        lines.add("redis-server: `" + redis + "`");
        lines.add("load generator: `" + loadGenerator + "`, " + connections + " connections, one thread");
        lines.add("commit: `" + commit + "`");
        lines.add("load average at start: `" + loadAtStart + "`, at end: `" + loadAtEnd + "`");
        lines.add("rounds: " + rounds + " × (" + warmup + " s warm-up per endpoint, then " + seconds
                + " s measured per endpoint); run time " + runTime.toSeconds() + " s");
        return lines;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
