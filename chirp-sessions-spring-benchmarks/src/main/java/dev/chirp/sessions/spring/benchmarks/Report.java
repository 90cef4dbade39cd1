package dev.chirp.sessions.spring.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the measurements of a run into the console table, a TSV of every run and the "Spring Boot:
 * chirp-sessions vs Spring Session" section of {@code docs/benchmarks.md}.
 *
 * <p>Each form's figure is the median over rounds, with the spread beside it: on a shared 2-core machine
 * one round can be far off, and the median of interleaved rounds is what survives that.
 */
final class Report {

    static final String TITLE = "Spring Boot: chirp-sessions vs Spring Session";
    static final String BEGIN = "<!-- spring-bench: begin (written by scripts/bench-spring; scripts/bench/run-all.sh keeps it) -->";
    static final String END = "<!-- spring-bench: end -->";

    /** Below this relative difference two medians are called a tie: rounds of one form differ by more. */
    private static final double NOISE = 0.03;

    private final List<Measurement> measurements;
    private final Map<Form, Map<String, List<BenchRedis.TracedCommand>>> traces;
    private final RunConditions conditions;
    private final List<String> commands;

    Report(List<Measurement> measurements, Map<Form, Map<String, List<BenchRedis.TracedCommand>>> traces,
            RunConditions conditions, List<String> commands) {
        this.measurements = List.copyOf(measurements);
        this.traces = Map.copyOf(traces);
        this.conditions = conditions;
        this.commands = List.copyOf(commands);
    }

    /** One form on one endpoint, over all rounds. */
    record Summary(Form form, String endpoint, List<Measurement> runs) {

        double median(ToDoubleFunction<LoadResult> value) {
            double[] values = runs.stream().mapToDouble(run -> value.applyAsDouble(run.load())).sorted().toArray();
            int n = values.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        double rps() {
            return median(LoadResult::requestsPerSecond);
        }

        double minRps() {
            return runs.stream().mapToDouble(run -> run.load().requestsPerSecond()).min().orElse(Double.NaN);
        }

        double maxRps() {
            return runs.stream().mapToDouble(run -> run.load().requestsPerSecond()).max().orElse(Double.NaN);
        }

        long requests() {
            return runs.stream().mapToLong(run -> run.load().requests()).sum();
        }

        long errors() {
            return runs.stream().mapToLong(run -> run.load().errors()).sum();
        }

        /** All Redis commands of all rounds over all requests of all rounds. */
        double commandsPerRequest() {
            return (double) runs.stream().mapToLong(Measurement::totalCommands).sum() / requests();
        }

        /** Per command, calls per request, e.g. {@code GET 1.00, SET 1.00}. */
        String commandMix() {
            Map<String, Long> calls = new TreeMap<>();
            runs.forEach(run -> run.commands().forEach((command, n) -> calls.merge(command, n, Long::sum)));
            long requests = requests();
            return calls.entrySet().stream()
                    .filter(entry -> (double) entry.getValue() / requests >= 0.005)
                    .map(entry -> entry.getKey().toUpperCase(Locale.ROOT)
                            + String.format(Locale.ROOT, " %.2f", (double) entry.getValue() / requests))
                    .collect(Collectors.joining(", "));
        }
    }

    /** The commands of one traced request, or {@code null} when the run traced none. */
    List<BenchRedis.TracedCommand> trace(Form form, String endpoint) {
        return traces.getOrDefault(form, Map.of()).get(endpoint);
    }

    /** Commands the application sent for one traced request: its round trips to Redis. */
    String roundTrips(Form form, String endpoint) {
        List<BenchRedis.TracedCommand> trace = trace(form, endpoint);
        return trace == null ? "–" : Long.toString(trace.stream().filter(command -> !command.script()).count());
    }

    /** One traced request's commands in order, those a script ran in parentheses after its EVAL. */
    static String sequence(List<BenchRedis.TracedCommand> trace) {
        if (trace.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        boolean inScript = false;
        for (BenchRedis.TracedCommand command : trace) {
            if (command.script()) {
                out.append(inScript ? ", " : " (").append(command.name());
                inScript = true;
                continue;
            }
            if (inScript) {
                out.append(')');
                inScript = false;
            }
            out.append(out.length() == 0 ? "" : ", ").append(command.name());
        }
        return inScript ? out.append(')').toString() : out.toString();
    }

    Summary summary(Form form, String endpoint) {
        return new Summary(form, endpoint, measurements.stream()
                .filter(run -> run.form() == form && run.endpoint().equals(endpoint)).toList());
    }

    private List<Form> forms() {
        return measurements.stream().map(Measurement::form).distinct().sorted().toList();
    }

    String consoleTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%-6s %-32s %10s %19s %8s %8s %8s %8s %9s  %s%n", "endpt", "form",
                "req/s", "(min - max)", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "redis/req", "command mix"));
        for (String endpoint : SpringBenchmark.ENDPOINTS) {
            for (Form form : forms()) {
                Summary s = summary(form, endpoint);
                out.append(String.format(Locale.ROOT, "%-6s %-32s %,10.0f %,9.0f - %,7.0f %8s %8s %8s %8s %9.2f  %s%s%n",
                        endpoint, "(" + form.letter() + ") " + form.title(), s.rps(), s.minRps(), s.maxRps(),
                        ms((long) s.median(LoadResult::p50)), ms((long) s.median(LoadResult::p90)),
                        ms((long) s.median(LoadResult::p99)), ms((long) s.median(LoadResult::p999)),
                        s.commandsPerRequest(), s.commandMix(), s.errors() > 0 ? "  ERRORS " + s.errors() : ""));
            }
        }
        for (String line : targets()) {
            out.append(line.replace("`", "").replace("**", "")).append('\n');
        }
        return out.toString();
    }

    String tsv() {
        StringBuilder out = new StringBuilder("round\tform\tendpoint\trequests\tseconds\treq_per_s\terrors\tp50_us\tp90_us"
                + "\tp99_us\tp99_9_us\tmax_us\tredis_commands\tcommand_mix\n");
        for (Measurement run : measurements) {
            LoadResult load = run.load();
            out.append(String.join("\t", Integer.toString(run.round()), run.form().profile(), run.endpoint(),
                    Long.toString(load.requests()), String.format(Locale.ROOT, "%.3f", load.seconds()),
                    String.format(Locale.ROOT, "%.1f", load.requestsPerSecond()), Long.toString(load.errors()),
                    Long.toString(load.p50()), Long.toString(load.p90()), Long.toString(load.p99()),
                    Long.toString(load.p999()), Long.toString(load.max()), Long.toString(run.totalCommands()),
                    run.commands().toString())).append('\n');
        }
        return out.toString();
    }

    /** One line per target of issue 9, item 5, as a Markdown table row. */
    List<String> targets() {
        List<String> rows = new ArrayList<>();
        if (!forms().containsAll(List.of(Form.CHIRP_COOKIE, Form.CHIRP_REDIS, Form.SPRING_SESSION))) {
            return rows;
        }
        for (String endpoint : SpringBenchmark.ENDPOINTS) {
            Summary a = summary(Form.CHIRP_COOKIE, endpoint);
            Summary b = summary(Form.CHIRP_REDIS, endpoint);
            Summary c = summary(Form.SPRING_SESSION, endpoint);
            rows.add(row("(b) Redis store at least as fast as (c) Spring Session", endpoint, b, c, true));
            boolean fewer = b.commandsPerRequest() < c.commandsPerRequest();
            rows.add("| (b) fewer Redis commands per request than (c) (`INFO commandstats`, commands run by scripts "
                    + "included) | `" + endpoint + "` | "
                    + String.format(Locale.ROOT, "%.2f vs %.2f", b.commandsPerRequest(), c.commandsPerRequest())
                    + " | " + (fewer ? "met" : "**not met**") + " |");
            if (trace(Form.CHIRP_REDIS, endpoint) != null && trace(Form.SPRING_SESSION, endpoint) != null) {
                long mine = Long.parseLong(roundTrips(Form.CHIRP_REDIS, endpoint));
                long theirs = Long.parseLong(roundTrips(Form.SPRING_SESSION, endpoint));
                rows.add("| (b) fewer commands sent to Redis per request than (c) (round trips, from `MONITOR` on one "
                        + "request) | `" + endpoint + "` | " + mine + " vs " + theirs + " | "
                        + (mine < theirs ? "met" : "**not met**") + " |");
            }
            rows.add(row("(a) cookie store faster than (b) Redis store", endpoint, a, b, false));
            rows.add(row("(a) cookie store faster than (c) Spring Session", endpoint, a, c, false));
        }
        return rows;
    }

    private String row(String target, String endpoint, Summary mine, Summary theirs, boolean tieMeets) {
        double ratio = mine.rps() / theirs.rps();
        int rounds = 0;
        int ahead = 0;
        for (Measurement run : mine.runs()) {
            for (Measurement other : theirs.runs()) {
                if (other.round() == run.round()) {
                    rounds++;
                    boolean won = tieMeets ? run.load().requestsPerSecond() >= other.load().requestsPerSecond()
                            : run.load().requestsPerSecond() > other.load().requestsPerSecond();
                    ahead += won ? 1 : 0;
                }
            }
        }
        boolean tie = Math.abs(ratio - 1) < NOISE;
        String status;
        if (tieMeets) {
            status = ratio >= 1 ? "met" : tie ? "tie (within ±3%): not clearly met" : "**not met**";
        } else {
            status = ratio > 1 + NOISE ? "met" : ratio > 1 ? "tie (within ±3%): not clearly met" : "**not met**";
        }
        return "| " + target + " | `" + endpoint + "` | " + String.format(Locale.ROOT, "%.2f× its req/s", ratio)
                + " (ahead in " + ahead + " of " + rounds + " rounds) | " + status + " |";
    }

    String markdown() {
        List<String> md = new ArrayList<>();
        md.add(BEGIN);
        md.add("## " + TITLE);
        md.add("");
        md.add("Written by `scripts/bench-spring` (module `chirp-sessions-spring-benchmarks`): re-run it rather than "
                + "editing this section; `scripts/bench/run-all.sh` keeps it as it is.");
        md.add("");
        md.add("One Spring Boot 4.0.7 application (Spring MVC on Tomcat, `BenchApplication`) in three forms, on the "
                + "same endpoints and the same Redis:");
        md.add("");
        md.add("* **(a) chirp-sessions, cookie store**: `chirp-sessions-spring-boot-starter` and nothing else (the "
                + "secret from `CHIRP_SESSION_SECRET`); the whole session is in the signed cookie; Redis is not used.");
        md.add("* **(b) chirp-sessions, Redis store**: the same starter with `chirp.sessions.store=redis`, on Boot's "
                + "`spring.data.redis.*` settings, the same ones Spring Session reads; the cookie carries a signed id.");
        md.add("* **(c) Spring Session Data Redis** (`spring-boot-starter-session-data-redis`) exactly as Boot "
                + "auto-configures it: `RedisSessionRepository`, Boot 4's default "
                + "(`spring.session.data.redis.repository-type=default`), one hash per session with JDK-serialized "
                + "attributes, flush on save. Not the indexed repository: that one also keeps expiry and "
                + "principal-index keys and needs keyspace notifications, so it would cost more commands per "
                + "request still; the default is what a Boot user gets and the fairer comparison.");
        md.add("");
        md.add("Each profile excludes the other side's auto-configuration (`application-*.properties` in the module). "
                + "The app has no Actuator and so no `MeterRegistry`: the starter's metrics are off, as Spring "
                + "Session has none either.");
        md.add("");
        md.add("Endpoints: `POST /login?user=...` creates the session (`Sessions.login`; for (c) a new id and "
                + "`setAttribute`) with `user_id` and `counter = 0`; `GET /read` returns the user id and changes "
                + "nothing; `GET /write` increments the counter, so the session changes on every request. The load "
                + "generator sends the login's cookie on every request (for (a), every `/write` response re-signs "
                + "the cookie). Each form runs in its own JVM (`-Xms1g -Xmx1g`), started anew in every round; "
                + "rounds interleave the forms (a, b, c, a, b, c, ...), each form is warmed up on both endpoints ("
                + conditions.warmup() + " s each) before its measured runs, and odd rounds measure `/read` first, "
                + "even rounds `/write` first, so that neither endpoint always meets the less warm JVM. Redis commands per request are the `INFO commandstats` call counts "
                + "(without `INFO` itself) after a run minus before it, divided by the requests the load generator "
                + "completed (requests still in flight when it stops make this up to 16 commands too high of tens "
                + "of thousands). Latencies are in milliseconds, coordinated omission not corrected.");
        md.add("");
        md.add("### Targets (issue 9, item 5), reported rather than asserted");
        md.add("");
        md.add("Ratios are of the medians over rounds; \"ahead in\" counts the rounds in which the form beat the "
                + "other one started just before or after it.");
        md.add("");
        md.add("| target | endpoint | measured | status |");
        md.add("| --- | --- | --- | --- |");
        md.addAll(targets());
        md.add("");
        md.add("### Results (median of " + conditions.rounds() + " rounds)");
        md.add("");
        md.add("| endpoint | form | req/s | min – max | vs (c) | p50 | p90 | p99 | p99.9 | Redis commands/request "
                + "| round trips/request | errors |");
        md.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String endpoint : SpringBenchmark.ENDPOINTS) {
            Summary c = summary(Form.SPRING_SESSION, endpoint);
            for (Form form : forms()) {
                Summary s = summary(form, endpoint);
                String mix = s.commandMix();
                md.add("| `" + endpoint + "` | (" + form.letter() + ") " + form.title() + " | "
                        + String.format(Locale.ROOT, "%,.0f", s.rps()) + " | "
                        + String.format(Locale.ROOT, "%,.0f – %,.0f", s.minRps(), s.maxRps()) + " | "
                        + (c.runs().isEmpty() ? "–" : String.format(Locale.ROOT, "%.2f×", s.rps() / c.rps())) + " | "
                        + ms((long) s.median(LoadResult::p50)) + " | " + ms((long) s.median(LoadResult::p90)) + " | "
                        + ms((long) s.median(LoadResult::p99)) + " | " + ms((long) s.median(LoadResult::p999)) + " | "
                        + String.format(Locale.ROOT, "%.2f", s.commandsPerRequest())
                        + (mix.isEmpty() ? "" : " (" + mix + ")") + " | " + roundTrips(form, endpoint) + " | "
                        + s.errors() + " |");
            }
        }
        md.add("");
        md.add("### Every round (req/s)");
        md.add("");
        StringBuilder header = new StringBuilder("| round | endpoint |");
        StringBuilder rule = new StringBuilder("| --- | --- |");
        for (Form form : forms()) {
            header.append(" (").append(form.letter()).append(") |");
            rule.append(" --- |");
        }
        md.add(header.toString());
        md.add(rule.toString());
        for (int round = 1; round <= conditions.rounds(); round++) {
            for (String endpoint : SpringBenchmark.ENDPOINTS) {
                StringBuilder line = new StringBuilder("| " + round + " | `" + endpoint + "` |");
                for (Form form : forms()) {
                    int r = round;
                    double[] rps = measurements.stream().filter(m -> m.round() == r && m.form() == form
                            && m.endpoint().equals(endpoint)).mapToDouble(m -> m.load().requestsPerSecond()).toArray();
                    line.append(' ').append(rps.length == 0 ? "–"
                            : String.format(Locale.ROOT, "%,.0f", Arrays.stream(rps).sum())).append(" |");
                }
                md.add(line.toString());
            }
        }
        md.add("");
        md.add("### Where the Redis commands come from");
        md.add("");
        md.add("\"Redis commands/request\" counts what Redis executed (`INFO commandstats`, which also counts the "
                + "commands a Lua script runs); \"round trips/request\" counts what the application sent, from "
                + "`redis-cli MONITOR`-style tracing of one request per form and endpoint after round 1's load "
                + "(script-run commands in parentheses after their `EVAL`):");
        md.add("");
        md.add("| form | `GET /read` | `GET /write` |");
        md.add("| --- | --- | --- |");
        for (Form form : forms()) {
            List<BenchRedis.TracedCommand> read = trace(form, "read");
            List<BenchRedis.TracedCommand> write = trace(form, "write");
            md.add("| (" + form.letter() + ") " + form.title() + " | " + (read == null ? "–" : sequence(read)) + " | "
                    + (write == null ? "–" : sequence(write)) + " |");
        }
        md.add("");
        md.add("* (b) reads an unchanged session with one `GET` and never writes it back; its expiry moves only by a "
                + "throttled touch, once the cookie is older than `refreshThreshold` × `maxAge` (half a day by "
                + "default). A changed session of a logged-in user is saved by one script that also keeps the "
                + "user's session index (`RedisSessionStore`'s per-user index, for listing and revoking a user's "
                + "sessions): one round trip, several commands inside Redis.");
        md.add("* (c) Spring Session writes `lastAccessedTime` on every request, read or write; `SessionRepositoryFilter` "
                + "saves the session when the response commits and once more when the request ends, and reads it "
                + "again in between to check the requested id. Attribute values are JDK-serialized.");
        md.add("* (a) sends nothing to Redis: it verifies an HMAC and parses JSON on every request, and signs again on "
                + "every write, all on the application's own CPU.");
        md.add("");
        md.add("### Machine and run");
        md.add("");
        md.add("The machine has 2 cores shared with other work (other engineers' builds ran during this run: see "
                + "the load averages), and the load generator runs on the same cores as the server and Redis. "
                + "Absolute req/s are not a capacity estimate; compare forms within a round and look at the "
                + "spread.");
        md.add("");
        for (String line : conditions.lines()) {
            md.add("* " + line);
        }
        md.add("");
        md.add("### Reproduce");
        md.add("");
        md.add("Needs a JDK 17+ and Maven; `wrk` (`apt-get install wrk`) for these numbers, otherwise the runner "
                + "falls back to a Java load generator that takes more CPU from the server; Debian's "
                + "`redis-server` if installed, otherwise the binary of the embedded-redis jar. From the repository "
                + "root:");
        md.add("");
        md.add("```");
        md.add("scripts/bench-spring                    # 3 rounds, about 10 minutes; writes this section");
        md.add("scripts/bench-spring --rounds 5 --seconds 20");
        md.add("scripts/bench-spring --quick            # 1 round of 3 s: checks the pipeline, numbers meaningless");
        md.add("```");
        md.add("");
        md.add("Exact commands of this run:");
        md.add("");
        md.add("```");
        md.addAll(commands);
        md.add("```");
        md.add("");
        md.add("Raw results (one line per run, with the command mix) and each app's log are left in "
                + "`chirp-sessions-spring-benchmarks/target/spring-bench/`.");
        md.add(END);
        return String.join("\n", md) + "\n";
    }

    /**
     * {@code document} with its spring-bench section replaced by {@code section}, or with {@code section}
     * appended when it has none yet.
     */
    static String replaceSection(String document, String section) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin >= 0 && end > begin) {
            int after = end + END.length();
            if (after < document.length() && document.charAt(after) == '\n') {
                after++;
            }
            return document.substring(0, begin) + section + document.substring(after);
        }
        String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n";
        return document + separator + section;
    }

    /** Microseconds as milliseconds with two decimals. */
    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
