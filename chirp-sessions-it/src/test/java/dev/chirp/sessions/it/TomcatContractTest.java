package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.testkit.LogCapture;
import org.junit.jupiter.api.Test;

/** The session contract on Tomcat 11 embedded (and on Tomcat 10.1, by scripts/check-dependency-ranges.sh). */
class TomcatContractTest extends ServletContract {

    @Override
    protected TestServer start(Apps apps) throws Exception {
        return TomcatServer.start(apps);
    }

    @Override
    protected int serverCookieCap() {
        return 200; // Connector maxCookieCount's default: more cookies and Tomcat answers 400 itself
    }

    @Test
    void forwardWithoutTheForwardMappingLosesTheCookieLoudlyOnTomcat11() throws Exception {
        // /initparam is mapped for REQUEST, ASYNC and ERROR only. Tomcat 11 completes the forwarded
        // response before the filter runs again, so the cookie cannot be written; it must be reported.
        // Tomcat 10.1 (run by scripts/check-dependency-ranges.sh) leaves the response open, and the
        // filter writes the cookie as usual.
        try (LogCapture log = LogCapture.of("dev.chirp.sessions.servlet")) {
            Reply reply = browser().get("/initparam/s/forward");
            assertThat(reply.body()).isEqualTo("forward target sees v=forwarded");
            if (tomcatMajorVersion() < 11) {
                assertThat(reply.setCookies()).singleElement().asString().startsWith("chirp_session=");
                return;
            }
            assertThat(reply.setCookies()).isEmpty();
            // The advice names the cause the filter saw: a forward it is not mapped for.
            assertThat(log.awaitWarning("committed before the session cookie")).anySatisfy(w -> assertThat(w)
                    .contains("committed before the session cookie")
                    .contains("forwarded with a RequestDispatcher")
                    .contains("map the filter for the FORWARD dispatcher type"));
        }
    }

    private static int tomcatMajorVersion() {
        return Integer.parseInt(org.apache.catalina.util.ServerInfo.getServerNumber().split("\\.")[0]);
    }
}
