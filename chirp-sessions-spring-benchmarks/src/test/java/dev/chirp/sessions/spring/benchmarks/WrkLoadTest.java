package dev.chirp.sessions.spring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class WrkLoadTest {

    @Test
    void readsTheSummaryLineOfWrkReportLua() throws IOException {
        String output = "Running 10s test @ http://127.0.0.1:1/read\n  1 threads and 16 connections\n"
                + "WRK_JSON {\"requests\":51234,\"duration_s\":10.002,\"rps\":5122.3,\"non_2xx_or_3xx\":2,"
                + "\"errors\":{\"connect\":0,\"read\":1,\"write\":0,\"timeout\":3},"
                + "\"latency_us\":{\"mean\":2890.5,\"p50\":2100,\"p90\":4400,\"p99\":9800,\"p99_9\":21000,\"max\":45000}}\n";
        LoadResult result = WrkLoad.parse(output);
        assertThat(result).isEqualTo(new LoadResult(51234, 10.002, 6, 2100, 4400, 9800, 21000, 45000));
        assertThat(result.requestsPerSecond()).isCloseTo(5122.3, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void refusesOutputWithoutTheSummaryLine() {
        assertThatThrownBy(() -> WrkLoad.parse("unable to connect to 127.0.0.1:1 Connection refused\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("no WRK_JSON line");
    }
}
