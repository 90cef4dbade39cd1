package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import java.util.concurrent.TimeUnit;
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
            for (int i = 0; i < 200 && log.warnings().isEmpty(); i++) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("committed before the session cookie"));
        }
    }
}
