package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chirp.sessions.it.Browser.Reply;
import dev.chirp.sessions.testkit.LogCapture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session contract on the JDK's {@code com.sun.net.httpserver}, plus its own ways to respond. */
class JdkServerContractTest extends SessionContract {

    @Override
    protected TestServer start(Apps apps) throws Exception {
        return JdkServer.start(apps);
    }

    @Override
    protected String serverCase(String name) {
        return "/app/x/" + name;
    }

    @Test
    void fixedLengthResponseCarriesTheCookie() {
        Reply reply = browser().get("/app/put?k=v&v=fixed");
        assertThat(reply.response().headers().firstValue("content-length")).hasValue("2");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "fixed"));
    }

    @Test
    void chunkedResponseCarriesTheCookieAndRefusesLaterChanges() {
        Reply reply = browser().get("/app/x/chunked");
        assertThat(reply.body()).isEqualTo("before;refused");
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "chunked"));
    }

    @Test
    void responseWithoutBodyCarriesTheCookie() {
        Reply reply = browser().get("/app/x/no-body");
        assertThat(reply.status()).isEqualTo(204);
        assertThat(savedSession(reply)).containsOnly(Map.entry("v", "no-body"));
    }

    @Test
    void handlerAnsweringFromAnotherThreadWritesOneUpToDateCookie() {
        Browser browser = browser();
        for (int i = 1; i <= 3; i++) {
            Reply reply = browser.get("/app/x/async");
            assertThat(reply.body()).isEqualTo("async count=" + i);
            assertThat(savedSession(reply)).containsOnly(Map.entry("count", i));
        }
    }

    @Test
    void changeInPlaceByAHandlerOnAnotherThreadThatClosesTheBodyIsReported() throws Exception {
        Browser browser = browser();
        browser.get("/app/cart");
        try (LogCapture log = LogCapture.of("dev.chirp.sessions")) {
            Reply reply = browser.get("/app/x/late-async");
            assertThat(reply.body()).isEqualTo("sent;");
            assertThat(reply.setCookies()).isEmpty();
            assertThat(reply.vary()).containsExactly("Cookie");
            assertThat(log.awaitWarning("changed in place after it was written"))
                    .anySatisfy(w -> assertThat(w).contains("changed in place after it was written"));
        }
        assertThat(browser.get("/app/get?k=cart").body()).isEqualTo("[a]");
    }

    @Test
    void exchangeOutsideTheFilterHasNoSession() {
        assertThat(browser().get("/plain/x/accessor").body()).isEqualTo("no session; Sessions.get(): not bound");
        assertThat(browser().get("/app/x/accessor").body()).isEqualTo("session keys []; Sessions.get(): bound");
    }

    @Test
    void plainHttpExchangeIsNotAnHttpsExchange() {
        assertThat(browser().get("/app/x/ssl").body()).isEqualTo("plain");
    }
}
