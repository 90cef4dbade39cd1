package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.testkit.LogCapture;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jetty with a large output buffer (64 KiB) and an output aggregation size far below a quarter of it
 * (1 KiB): Jetty sends any single write above the aggregation size at once, which commits the
 * response, and the Servlet API does not tell the filter that size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyOutputAggregationTest {

    private static final int BUFFER = 64 * 1024;
    private static final int AGGREGATION = 1024;

    private final Apps apps = new Apps();
    private TestServer server;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        server = JettyServer.start(apps, http -> {
            http.setOutputBufferSize(BUFFER);
            http.setOutputAggregationSize(AGGREGATION);
        });
        client = Browser.newClient(HttpClient.newBuilder());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private Reply get(String path) {
        return new Browser(client, server.base()).get(path);
    }

    @Test
    void singleWriteOfEightKibibytesCarriesTheCookieWhateverTheBufferSize() {
        // A quarter of this buffer is 16 KiB; Jetty's distribution keeps the aggregation size at 8 KiB
        // whatever the buffer, so the filter counts every write of 8 KiB or more as committing.
        Reply reply = get("/app/s/single-write?n=10000&id=aggregation-covered");
        assertThat(reply.body()).hasSize(10_000);
        assertThat(reply.vary()).containsExactly("Cookie");
        assertThat(apps.decode(reply.onlyCookie().value())).containsOnly(Map.entry("v", "single-write"));
    }

    @Test
    void writeThatCommitsEarlierThanAssumedIsReportedWithItsCauseAndFreezesTheSession() throws Exception {
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Reply reply = get("/app/s/single-write?n=2000&id=aggregation-below-floor");
            assertThat(reply.body()).hasSize(2000);
            assertThat(reply.setCookies()).as("the cookie of a response Jetty committed behind the filter").isEmpty();
            // The handler's change after the write was refused at once, not accepted and lost.
            assertThat(SessionOps.LATE_CHANGES.get("aggregation-below-floor")).isEqualTo("refused");
            assertThat(log.awaitWarning("committed before the session cookie")).anySatisfy(w -> assertThat(w)
                    .contains("A single write (2000 bytes at most) committed it")
                    .contains("outputAggregationSize"));
        }
    }
}
