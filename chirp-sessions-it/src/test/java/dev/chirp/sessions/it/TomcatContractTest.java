package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import org.junit.jupiter.api.Test;

/** The session contract on Tomcat 11 embedded. */
class TomcatContractTest extends ServletContract {

    @Override
    protected TestServer start(Apps apps) throws Exception {
        return TomcatServer.start(apps);
    }

    @Test
    void forwardWithoutTheForwardMappingLosesTheCookieLoudly() throws Exception {
        // /initparam is mapped for REQUEST, ASYNC and ERROR only: Tomcat completes the forwarded
        // response before the filter runs again, so the cookie cannot be written; it must be reported.
        try (LogCapture log = LogCapture.of("dev.chirp.sessions.servlet")) {
            Reply reply = browser().get("/initparam/s/forward");
            assertThat(reply.body()).isEqualTo("forward target sees v=forwarded");
            assertThat(reply.setCookies()).isEmpty();
            // The advice names the cause the filter saw: a forward it is not mapped for.
            assertThat(log.awaitWarning("committed before the session cookie")).anySatisfy(w -> assertThat(w)
                    .contains("committed before the session cookie")
                    .contains("forwarded with a RequestDispatcher")
                    .contains("map the filter for the FORWARD dispatcher type"));
        }
    }
}
