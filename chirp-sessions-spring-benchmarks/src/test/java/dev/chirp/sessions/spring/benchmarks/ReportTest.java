package dev.chirp.sessions.spring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final String SECTION = Report.BEGIN + "\n## new\n" + Report.END + "\n";

    @Test
    void replacesOnlyItsOwnSection() {
        String document = "# Benchmarks\n\nperf's part\n\n" + Report.BEGIN + "\n## old\n" + Report.END + "\n\nafter\n";
        assertThat(Report.replaceSection(document, SECTION))
                .isEqualTo("# Benchmarks\n\nperf's part\n\n" + SECTION + "\nafter\n");
    }

    @Test
    void appendsItsSectionToADocumentWithoutOne() {
        assertThat(Report.replaceSection("# Benchmarks\n", SECTION)).isEqualTo("# Benchmarks\n\n" + SECTION);
    }

    @Test
    void commandsPerRequestAreAllCommandsOfAllRoundsOverAllRequests() {
        List<Measurement> runs = new ArrayList<>();
        runs.add(run(1, Form.CHIRP_REDIS, "read", 1000, 1000, Map.of("get", 1000L)));
        runs.add(run(2, Form.CHIRP_REDIS, "read", 3000, 1100, Map.of("get", 3000L, "set", 30L)));
        Report.Summary summary = report(runs).summary(Form.CHIRP_REDIS, "read");
        assertThat(summary.commandsPerRequest()).isEqualTo(1.0075);
        assertThat(summary.commandMix()).isEqualTo("GET 1.00, SET 0.01");
        assertThat(summary.rps()).isEqualTo(1050);
    }

    @Test
    void targetsCompareMediansAndCountTheRoundsWon() {
        List<Measurement> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (String endpoint : SpringBenchmark.ENDPOINTS) {
                runs.add(run(round, Form.CHIRP_COOKIE, endpoint, 100_000, 10_000, Map.of()));
                runs.add(run(round, Form.CHIRP_REDIS, endpoint, 50_000, round == 2 ? 4_000 : 5_000,
                        Map.of("get", 50_000L)));
                runs.add(run(round, Form.SPRING_SESSION, endpoint, 30_000, 4_500, Map.of("hgetall", 60_000L)));
            }
        }
        List<String> targets = report(runs).targets();
        assertThat(targets).contains(
                "| (b) Redis store at least as fast as (c) Spring Session | `read` | 1.11× its req/s "
                        + "(ahead in 2 of 3 rounds) | met |",
                "| (b) fewer Redis commands per request than (c) (`INFO commandstats`, commands run by scripts included) "
                        + "| `write` | 1.00 vs 2.00 | met |",
                "| (a) cookie store faster than (c) Spring Session | `read` | 2.22× its req/s "
                        + "(ahead in 3 of 3 rounds) | met |");
    }

    @Test
    void aSmallLeadIsCalledATieNotAWin() {
        List<Measurement> runs = new ArrayList<>();
        for (String endpoint : SpringBenchmark.ENDPOINTS) {
            runs.add(run(1, Form.CHIRP_COOKIE, endpoint, 1000, 1010, Map.of()));
            runs.add(run(1, Form.CHIRP_REDIS, endpoint, 1000, 1000, Map.of("get", 1000L)));
            runs.add(run(1, Form.SPRING_SESSION, endpoint, 1000, 1020, Map.of("hgetall", 2000L)));
        }
        assertThat(report(runs).targets()).contains(
                "| (a) cookie store faster than (b) Redis store | `read` | 1.01× its req/s (ahead in 1 of 1 rounds) "
                        + "| tie (within ±3%): not clearly met |",
                "| (b) Redis store at least as fast as (c) Spring Session | `read` | 0.98× its req/s "
                        + "(ahead in 0 of 1 rounds) | tie (within ±3%): not clearly met |");
    }

    @Test
    void roundTripsCountOnlyTheCommandsTheApplicationSent() {
        List<Measurement> runs = new ArrayList<>();
        for (Form form : Form.values()) {
            for (String endpoint : SpringBenchmark.ENDPOINTS) {
                runs.add(run(1, form, endpoint, 1000, 1000, Map.of("get", 1000L)));
            }
        }
        List<BenchRedis.TracedCommand> chirp = List.of(traced("GET", false), traced("EVAL", false),
                traced("SET", true), traced("HSET", true));
        List<BenchRedis.TracedCommand> spring = List.of(traced("HGETALL", false), traced("EXISTS", false),
                traced("HMSET", false));
        Report report = new Report(runs, Map.of(Form.CHIRP_REDIS, Map.of("read", chirp, "write", chirp),
                Form.SPRING_SESSION, Map.of("read", spring, "write", spring)),
                RunConditions.atStart("test", new JavaLoad(1), 1, 10, 5, 16), List.of());
        assertThat(report.roundTrips(Form.CHIRP_REDIS, "write")).isEqualTo("2");
        assertThat(report.roundTrips(Form.CHIRP_COOKIE, "write")).isEqualTo("–");
        assertThat(report.targets()).contains("| (b) fewer commands sent to Redis per request than (c) (round trips, "
                + "from `MONITOR` on one request) | `read` | 2 vs 3 | met |");
        assertThat(Report.sequence(chirp)).isEqualTo("GET, EVAL (SET, HSET)");
        assertThat(Report.sequence(List.of())).isEqualTo("none");
        assertThat(Report.sequence(List.of(traced("EVAL", false), traced("DEL", true)))).isEqualTo("EVAL (DEL)");
    }

    private static BenchRedis.TracedCommand traced(String name, boolean script) {
        return new BenchRedis.TracedCommand(name, script);
    }

    private static Report report(List<Measurement> runs) {
        return new Report(runs, Map.of(), RunConditions.atStart("test", new JavaLoad(1), 3, 10, 5, 16), List.of());
    }

    private static Measurement run(int round, Form form, String endpoint, long requests, double rps,
            Map<String, Long> commands) {
        return new Measurement(round, form, endpoint, new LoadResult(requests, requests / rps, 0, 1, 2, 3, 4, 5),
                commands);
    }
}
