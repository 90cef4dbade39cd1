package dev.chirp.sessions.spring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JavaLoadTest {

    @Test
    void countsEveryRequestTheServerAnsweredAndSendsTheCookie() throws Exception {
        AtomicLong served = new AtomicLong();
        AtomicLong withCookie = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            if ("s=1".equals(exchange.getRequestHeaders().getFirst("Cookie"))) {
                withCookie.incrementAndGet();
            }
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            LoadResult result = new JavaLoad(2).run(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/read"), "s=1",
                    Duration.ofMillis(500));
            assertThat(result.requests()).isPositive().isEqualTo(served.get()).isEqualTo(withCookie.get());
            assertThat(result.errors()).isZero();
            assertThat(result.p50()).isLessThanOrEqualTo(result.p99()).isLessThanOrEqualTo(result.max());
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void percentileIsTheSampleAtOrBelowWhichThatShareLies() {
        long[] sorted = new long[1000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertThat(JavaLoad.percentile(sorted, 50)).isEqualTo(500);
        assertThat(JavaLoad.percentile(sorted, 99.9)).isEqualTo(999);
        assertThat(JavaLoad.percentile(sorted, 100)).isEqualTo(1000);
        assertThat(JavaLoad.percentile(new long[0], 50)).isZero();
    }
}
