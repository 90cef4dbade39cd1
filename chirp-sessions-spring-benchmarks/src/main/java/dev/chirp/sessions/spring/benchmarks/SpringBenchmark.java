package dev.chirp.sessions.spring.benchmarks;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side benchmark: starts one Redis, then each {@link Form} of {@link BenchApplication} in turn as
 * its own JVM, in interleaved rounds (a, b, c, a, b, c, ...), drives {@code /read} and {@code /write} with
 * wrk (or {@link JavaLoad} without it), reads {@code INFO commandstats} before and after each run, and prints
 * a table; with {@code --markdown FILE} it also writes the section of {@code docs/benchmarks.md}.
 *
 * <p>Run it through {@code scripts/bench-spring}, which builds the module and passes its class path.
 */
public final class SpringBenchmark {

    static final List<String> ENDPOINTS = List.of("read", "write");
    static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g");

    private SpringBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --rounds N} (3), {@code --seconds N} (10), {@code --warmup N} (10),
     *             {@code --connections N} (16), {@code --forms a,b,c}, {@code --wrk PATH|none} (wrk on the
     *             PATH), {@code --wrk-script FILE} (scripts/bench/wrk-report.lua), {@code --redis-server PATH},
     *             {@code --results DIR} (chirp-sessions-spring-benchmarks/target/spring-bench),
     *             {@code --markdown FILE}, {@code --commit SHA}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
        List<Form> forms = new ArrayList<>();
        for (String name : options.getOrDefault("forms", "a,b,c").split(",")) {
            forms.add(Form.of(name));
        }
        Path results = Path.of(options.getOrDefault("results", "chirp-sessions-spring-benchmarks/target/spring-bench"));
        Files.createDirectories(results);
        LoadGenerator load = loadGenerator(options.get("wrk"),
                options.getOrDefault("wrk-script", "scripts/bench/wrk-report.lua"), connections);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        RunConditions conditions = RunConditions.atStart(options.getOrDefault("commit", "unknown"), load,
                rounds, seconds, warmup, connections);
        List<Measurement> measurements = new ArrayList<>();
        Map<Form, Map<String, List<BenchRedis.TracedCommand>>> traces = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (BenchRedis redis = BenchRedis.start(options.get("redis-server"))) {
            conditions.redis(redis.binary(), redis.version());
            say("redis-server " + redis.version() + " (" + redis.binary() + ") on port " + redis.port()
                    + "; load: " + load.version());
            for (int round = 1; round <= rounds; round++) {
                for (Form form : forms) {
                    Path log = results.resolve("app-" + form.profile() + "-round" + round + ".log");
                    say("round " + round + "/" + rounds + ": (" + form.letter() + ") " + form.title());
                    try (AppProcess app = AppProcess.start(java, JVM_OPTIONS, classPath, form, redis.port(), secret,
                            log)) {
                        String cookie = app.login();
                        for (String endpoint : ENDPOINTS) {
                            load.run(app.url("/" + endpoint), cookie, Duration.ofSeconds(warmup));
                        }
                        // A Boot JVM is still compiling for a while after its warm-up: alternate which endpoint
                        // is measured first, so that neither always gets the less warm JVM.
                        List<String> order = round % 2 == 1 ? ENDPOINTS : List.of(ENDPOINTS.get(1), ENDPOINTS.get(0));
                        for (String endpoint : order) {
                            Map<String, Long> before = redis.commandStats();
                            LoadResult result = load.run(app.url("/" + endpoint), cookie, Duration.ofSeconds(seconds));
                            Map<String, Long> after = redis.commandStats();
                            Measurement measurement = new Measurement(round, form, endpoint, result,
                                    Measurement.delta(before, after));
                            measurements.add(measurement);
                            say(String.format("  %-5s %,9.0f req/s  p50 %s  p99 %s  %.2f Redis commands/request %s%s",
                                    endpoint, result.requestsPerSecond(), Report.ms(result.p50()),
                                    Report.ms(result.p99()), (double) measurement.totalCommands() / result.requests(),
                                    measurement.commands(), result.errors() > 0 ? "  ERRORS " + result.errors() : ""));
                        }
                        if (round == 1) {
                            // After the load, with nothing in flight: one request per endpoint as Redis sees it.
                            Thread.sleep(1000);
                            Map<String, List<BenchRedis.TracedCommand>> traced = new LinkedHashMap<>();
                            for (String endpoint : ENDPOINTS) {
                                traced.put(endpoint, redis.trace(() -> app.get("/" + endpoint, cookie),
                                        Duration.ofSeconds(10)));
                            }
                            traces.put(form, traced);
                        }
                    }
                }
            }
        }
        conditions.finish(Duration.ofNanos(System.nanoTime() - started));
        List<String> commands = List.of(
                "mvn -B -ntp -q -pl chirp-sessions-spring-benchmarks -am package -DskipTests",
                "java -cp chirp-sessions-spring-benchmarks/target/classes:"
                        + "\"$(cat chirp-sessions-spring-benchmarks/target/classpath.txt)\" "
                        + SpringBenchmark.class.getName() + " "
                        + String.join(" ", args),
                "#  each form, each round: " + String.join(" ", AppProcess.command("java", JVM_OPTIONS, "CLASSPATH",
                        Form.CHIRP_COOKIE, 0, 0)).replace("--server.port=0", "--server.port=FREE")
                        .replace("--spring.data.redis.port=0", "--spring.data.redis.port=REDIS")
                        .replace("chirp-cookie", "{chirp-cookie,chirp-redis,spring-session}"),
                "#  then: POST /login?user=" + AppProcess.USER + ", check /read and /write, warm-up " + warmup
                        + " s on each endpoint, then per endpoint: INFO commandstats; "
                        + load.command(seconds).replace("URL", "http://127.0.0.1:FREE/{read,write}")
                        + "; INFO commandstats");
        Report report = new Report(measurements, traces, conditions, commands);
        String table = report.consoleTable();
        System.out.println(table);
        Files.writeString(results.resolve("results.tsv"), report.tsv(), StandardCharsets.UTF_8);
        if (options.containsKey("markdown")) {
            Path markdown = Path.of(options.get("markdown"));
            String existing = Files.exists(markdown) ? Files.readString(markdown, StandardCharsets.UTF_8) : "";
            Files.writeString(markdown, Report.replaceSection(existing, report.markdown()), StandardCharsets.UTF_8);
            say("wrote the section \"" + Report.TITLE + "\" of " + markdown);
        }
    }

    private static LoadGenerator loadGenerator(String wrk, String script, int connections) {
        if ("none".equals(wrk)) {
            return new JavaLoad(connections);
        }
        String executable = wrk != null ? wrk : onPath("wrk");
        if (executable == null) {
            say("wrk not found on the PATH: using the Java load generator (install wrk for the documented numbers)");
            return new JavaLoad(connections);
        }
        if (!new File(script).isFile()) {
            throw new IllegalArgumentException("--wrk-script must name wrk-report.lua: " + script
                    + "; run from the repository root or pass --wrk-script scripts/bench/wrk-report.lua");
        }
        return new WrkLoad(executable, script, connections);
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            File candidate = new File(entry, name);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments must be --name value pairs: " + args[i]
                        + "; see the SpringBenchmark Javadoc for the names");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static void say(String line) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + line);
    }
}
