package dev.chirp.sessions.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** The session contract on the JDK's {@code HttpsServer}, with a key made by keytool for the test. */
class JdkHttpsServerContractTest extends JdkServerContractTest {

    @Override
    protected TestServer start(Apps apps) throws Exception {
        return JdkServer.startHttps(apps, TestKeys.server());
    }

    @Override
    protected HttpClient newClient() throws Exception {
        return Browser.newClient(HttpClient.newBuilder().sslContext(TestKeys.client()));
    }

    @Override
    @Test
    void plainHttpExchangeIsNotAnHttpsExchange() {
        // Over HTTPS the handler must still see an HttpsExchange, with its SSL session.
        assertThat(browser().get("/app/x/ssl").body()).startsWith("TLSv1.");
    }
}
