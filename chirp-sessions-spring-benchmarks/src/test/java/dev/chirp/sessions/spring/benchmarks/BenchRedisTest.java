package dev.chirp.sessions.spring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchRedisTest {

    @Test
    void readsCallsPerCommandFromInfoCommandstats() {
        String info = "# Commandstats\r\n"
                + "cmdstat_get:calls=15277,usec=20000,usec_per_call=1.31,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_hgetall:calls=7,usec=30,usec_per_call=4.29,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_client|setinfo:calls=2,usec=3,usec_per_call=1.50\r\n";
        assertThat(BenchRedis.parseCommandStats(info))
                .containsExactlyInAnyOrderEntriesOf(Map.of("get", 15277L, "hgetall", 7L, "client|setinfo", 2L));
    }

    @Test
    void deltaCountsOnlyWhatTheRunAddedAndLeavesInfoOut() {
        Map<String, Long> before = Map.of("get", 10L, "info", 4L, "ping", 1L);
        Map<String, Long> after = Map.of("get", 25L, "info", 6L, "ping", 1L, "set", 3L);
        assertThat(Measurement.delta(before, after)).containsExactlyInAnyOrderEntriesOf(Map.of("get", 15L, "set", 3L));
    }

    @Test
    void tracesWhatTheClientSentApartFromWhatAScriptRan() throws Exception {
        try (BenchRedis redis = BenchRedis.start(null)) {
            List<BenchRedis.TracedCommand> trace = redis.trace(() -> {
                redis.command("GET", "k");
                return redis.command("EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", "k", "v");
            }, Duration.ofSeconds(10)); // the longest wait for the end marker, not a pause
            assertThat(trace).containsExactly(new BenchRedis.TracedCommand("GET", false),
                    new BenchRedis.TracedCommand("EVAL", false), new BenchRedis.TracedCommand("SET", true));
        }
    }

    @Test
    void countsTheCommandsSentToARealServer() throws Exception {
        try (BenchRedis redis = BenchRedis.start(null)) {
            Map<String, Long> before = redis.commandStats();
            redis.command("SET", "k", "v");
            assertThat(redis.command("GET", "k")).isEqualTo("v");
            assertThat(Measurement.delta(before, redis.commandStats()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "set", 1L));
            assertThat(redis.version()).matches("\\d+\\.\\d+.*");
        }
    }
}
